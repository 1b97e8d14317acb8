// The page's weight budget: HTML + CSS + JS in dist/, gzipped, at most 20 KB in total. (Raised
// from 15 KB when the page became the business's own: its settings applied live, service cards
// with prices, the consent box and policy section, length counters and the retry beside the
// button — 17.3 KB then; the rest is headroom for the form's choice codes.)
// Usage: node scripts/check-size.mjs [distDir]. Exits 1 above the budget.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 20 * 1024;
const COUNTED = /\.(html|css|js|mjs)$/;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Every counted file with its raw and gzipped size, and the gzipped total. */
export function measure(dist) {
  const rows = files(dist)
    .filter((path) => COUNTED.test(path))
    .map((path) => {
      const bytes = readFileSync(path);
      return {
        file: relative(dist, path),
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
      };
    });
  return { rows, total: rows.reduce((sum, row) => sum + row.gzip, 0) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../dist'));
  const { rows, total } = measure(dist);
  if (rows.length === 0) {
    console.error(`no HTML/CSS/JS in ${dist}: run the build first`);
    process.exit(1);
  }
  for (const row of rows)
    console.log(
      `${row.file.padEnd(36)} ${String(row.raw).padStart(7)} B  ${String(row.gzip).padStart(6)} B gz`,
    );
  const verdict = total <= BUDGET_BYTES ? 'within' : 'OVER';
  console.log(
    `total ${(total / 1024).toFixed(2)} KB gz — ${verdict} the ${BUDGET_BYTES / 1024} KB budget`,
  );
  if (total > BUDGET_BYTES) process.exit(1);
}
