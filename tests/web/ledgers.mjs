// ledgers.mjs - ledger files for the browser tests, built in memory: a small zip writer, an XLSX
// workbook of voucher lines (the CSV columns, Chinese headers, docs/formats.md) and a GB/T 19581
// export (DZZB, KJKM, KMYE, JZPZ; as in tests/cli/t0008-import-gbt.sh) zipped. Each builder also
// returns the figures an import report must show for it.
import { deflateRawSync } from 'node:zlib';

const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// A zip archive (deflated members, UTF-8 names) of {name: string | Buffer}.
export function zip(files) {
  const locals = [], centrals = [];
  let offset = 0;
  const dosTime = (12 << 11), dosDate = ((2026 - 1980) << 9) | (3 << 5) | 2;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const packed = deflateRawSync(data);
    const fname = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8); local.writeUInt16LE(dosTime, 10); local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fname.length, 26); local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8); central.writeUInt16LE(8, 10); central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14); central.writeUInt32LE(crc, 16); central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24); central.writeUInt16LE(fname.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fname, packed);
    centrals.push(central, fname);
    offset += local.length + fname.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8); end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const col = (i) => String.fromCharCode(65 + i);

// An .xlsx workbook with one sheet "凭证" holding `rows` (arrays; numbers become number cells,
// everything else inline strings).
export function xlsx(rows) {
  const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
  const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  const cells = rows.map((r, y) => `<row r="${y + 1}">${r.map((v, x) => (typeof v === 'number'
    ? `<c r="${col(x)}${y + 1}"><v>${v}</v></c>`
    : `<c r="${col(x)}${y + 1}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`)).join('')}</row>`).join('');
  return zip({
    '[Content_Types].xml': `${head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`
      + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      + '<Default Extension="xml" ContentType="application/xml"/>'
      + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    '_rels/.rels': `${head}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `${head}<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="凭证" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `${head}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `${head}<worksheet xmlns="${NS}"><sheetData>${cells}</sheetData></worksheet>`,
  });
}

// Money in fen -> "1234.56".
const yuan = (fen) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

// An XLSX ledger of `unit` for `year`: three vouchers of two lines each, Chinese headers.
export function xlsxLedger(unit, year) {
  const head = ['单位代码', '会计年度', '会计期间', '凭证日期', '凭证类型', '凭证号', '分录号', '摘要', '科目编码', '科目名称', '借方金额', '贷方金额', '往来单位'];
  const vouchers = [
    [`${year}-01-15`, 1, '购买办公用品', '5001', '业务活动费用', 128000, '天津市文具商行'],
    [`${year}-02-20`, 2, '支付物业费', '5001', '业务活动费用', 4567890, '天津市南开区物业公司'],
    [`${year}-03-05`, 3, '报销差旅费', '5001', '业务活动费用', 35050, '王丽'],
  ];
  const rows = [head];
  let debit = 0;
  for (const [date, no, summary, acct, name, fen, cp] of vouchers) {
    const period = Number(date.slice(5, 7));
    rows.push([unit, year, period, date, '记', String(no), 1, summary, acct, name, fen / 100, 0, cp]);
    rows.push([unit, year, period, date, '记', String(no), 2, summary, '1011', '零余额账户用款额度', 0, fen / 100, cp]);
    debit += fen;
  }
  return { name: `ledger-${year}.xlsx`, buffer: xlsx(rows), lines: rows.length - 1, vouchers: vouchers.length, debit: yuan(debit), year };
}

// A GB/T 19581 export of `unit` for `year` as a zip: 4 voucher lines in 2 vouchers, a chart of 5
// accounts, balances whose 5001 debit movement (12000.00) differs from the vouchers' (12345.67):
// one data-quality finding of kind kmye_vs_jzpz.
export function gbtZip(unit, year) {
  const crlf = (lines) => lines.map((l) => l + '\r\n').join('');
  const tail = '\t""\t""\t""\t""\t""\t0\t"张三"\t"李四"\t"王五"\t"赵六"\t1\t0';
  const files = {
    'DZZB.TXT': crlf([`"001"\t"${year}年账套"\t"天津市南开区第二中学"\t"${unit}"\t"事业单位"\t"教育"\t"某软件"\t"V8"\t${year}\t"人民币"\t"4-2-2"`]),
    'KJKM.TXT': crlf([
      '"1002"\t"银行存款"\t1\t0\t""\t"资产"\t""\t"借"',
      '"100201"\t"工商银行"\t2\t0\t""\t"资产"\t""\t"借"',
      '"4001"\t"财政拨款收入"\t1\t0\t""\t"收入"\t""\t"贷"',
      '"5001"\t"业务活动费用"\t1\t0\t""\t"费用"\t""\t"借"',
      '"500101"\t"工资福利费用"\t2\t0\t""\t"费用"\t""\t"借"']),
    'KMYE.TXT': crlf([
      '"1002"\t"人民币"\t""\t100000.00\t0\t0\t50000.00\t0\t0\t12345.67\t0\t0\t137654.33\t0\t0\t1',
      '"100201"\t"人民币"\t""\t100000.00\t0\t0\t50000.00\t0\t0\t12345.67\t0\t0\t137654.33\t0\t0\t1',
      '"4001"\t"人民币"\t""\t0\t0\t0\t0\t0\t0\t50000.00\t0\t0\t-50000.00\t0\t0\t1',
      '"5001"\t"人民币"\t""\t0\t0\t0\t12000.00\t0\t0\t0\t0\t0\t12000.00\t0\t0\t1',
      '"500101"\t"人民币"\t""\t0\t0\t0\t12345.67\t0\t0\t0\t0\t0\t12345.67\t0\t0\t1']),
    'JZPZ.TXT': crlf([
      `${year}0105\t"记"\t"0001"\t1\t"收到财政拨款"\t"100201"\t50000.00\t0\t"人民币"\t0\t0\t1\t0\t0${tail}`,
      `${year}0105\t"记"\t"0001"\t2\t"收到财政拨款"\t"4001"\t0\t50000.00\t"人民币"\t0\t0\t1\t0\t0${tail}`,
      `${year}0110\t"记"\t"0002"\t1\t"支付工资"\t"500101"\t12345.67\t0\t"人民币"\t0\t0\t1\t0\t0${tail}`,
      `${year}0110\t"记"\t"0002"\t2\t"支付工资"\t"100201"\t0\t12345.67\t"人民币"\t0\t0\t1\t0\t0${tail}`]),
  };
  return { name: `gbt-${year}.zip`, buffer: zip(files), lines: 4, vouchers: 2, debit: '62345.67', year, finding: 'kmye_vs_jzpz' };
}
