// rules_duckdb.mjs - runs the default rule catalog as SQL (rules.sql) in DuckDB over the
// canonical CSV files, and writes the warnings as canonical keys (see compare.py).
// Usage: node rules_duckdb.mjs --catalog catalog/rules.json --holidays catalog/holidays.csv
//            --staff DIR/staff.csv --out keys.tsv [--timing] FILE.csv...
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const here = dirname(fileURLToPath(import.meta.url));
const opt = { catalog: null, holidays: null, staff: null, out: null, timing: false };
const files = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--timing') opt.timing = true;
    else if (a.startsWith('--')) opt[a.slice(2)] = argv[++i];
    else files.push(resolve(a));
}
if (!opt.catalog || !opt.holidays || !opt.staff || !opt.out || files.length === 0) {
    console.error('usage: rules_duckdb.mjs --catalog F --holidays F --staff F --out F [--timing] CSV...');
    process.exit(2);
}

const lit = (s) => `'${String(s).replace(/'/g, "''")}'`;
const catalog = JSON.parse(readFileSync(opt.catalog, 'utf8'));
const params = new Map();
for (const r of catalog.rules)
    for (const [k, v] of Object.entries(r.params || {}))
        params.set(`${r.id}.${k}`, Array.isArray(v) ? `[${v.map(Number).join(', ')}]` : String(Number(v)));

let sql = readFileSync(join(here, 'rules.sql'), 'utf8')
    .replace(/^\s*--.*$/gm, '')
    .replace('{{FILES}}', `[${files.map(lit).join(', ')}]`)
    .replaceAll('{{STAFF}}', resolve(opt.staff).replace(/'/g, "''"))
    .replaceAll('{{HOLIDAYS}}', resolve(opt.holidays).replace(/'/g, "''"))
    .replaceAll('{{OUT}}', resolve(opt.out).replace(/'/g, "''"))
    .replace(/\{\{([a-z_0-9]+\.[a-z_0-9]+)\}\}/g, (m, key) => {
        if (!params.has(key)) throw new Error(`rules.sql names ${key}, which the catalog lacks`);
        return params.get(key);
    });
// The catalog's rule ids must all be covered by the SQL.
for (const r of catalog.rules)
    if (!sql.includes(`'${r.id}'`)) throw new Error(`rules.sql has no rule ${r.id}`);

const statements = sql.split(/^;\s*$/m).map((s) => s.trim()).filter((s) => s.replace(/--.*$/gm, '').trim());
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
for (const st of statements) {
    const t0 = performance.now();
    await con.run(st);
    if (opt.timing) {
        const head = st.replace(/--.*$/gm, '').trim().split('\n')[0].slice(0, 70);
        console.error(`${((performance.now() - t0) / 1000).toFixed(2).padStart(7)} s  ${head}`);
    }
}
const n = await con.runAndReadAll('SELECT count(*) FROM w');
console.error(`duckdb: ${n.getRows()[0][0]} warnings`);
con.closeSync?.();
