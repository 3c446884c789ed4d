// xlsx_text.mjs - prints what an XLSX file says, for the shell tests: the sheet names
// (one "sheet: NAME" line each), then every shared string and inline string, one per line.
// It reads the zip container itself (central directory, stored or deflated members) with
// node's zlib, so the tests need neither unzip nor python. Exit 1 when the file is not a zip.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

const buf = readFileSync(process.argv[2]);
let eocd = -1;
for (let i = buf.length - 22; i >= 0 && i >= buf.length - 65557; i--)
  if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
if (eocd < 0) { console.error('not a zip file'); process.exit(1); }
const count = buf.readUInt16LE(eocd + 10);
let p = buf.readUInt32LE(eocd + 16);
const members = {};
for (let n = 0; n < count; n++) {
  if (buf.readUInt32LE(p) !== 0x02014b50) { console.error('bad central directory'); process.exit(1); }
  const method = buf.readUInt16LE(p + 10), csize = buf.readUInt32LE(p + 20);
  const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
  const local = buf.readUInt32LE(p + 42);
  const name = buf.toString('utf8', p + 46, p + 46 + nlen);
  const data = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
  const raw = buf.subarray(data, data + csize);
  members[name] = (method === 8 ? inflateRawSync(raw) : raw).toString('utf8');
  p += 46 + nlen + xlen + clen;
}
const unxml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
  .replace(/&apos;/g, "'").replace(/&amp;/g, '&');
for (const m of (members['xl/workbook.xml'] || '').matchAll(/<sheet [^>]*name="([^"]*)"/g))
  console.log('sheet: ' + unxml(m[1]));
const texts = [members['xl/sharedStrings.xml'] || '',
  ...Object.keys(members).filter((k) => k.startsWith('xl/worksheets/')).map((k) => members[k])];
for (const x of texts)
  for (const m of x.matchAll(/<t(?: [^>]*)?>([^<]*)<\/t>/g)) console.log(unxml(m[1]));
