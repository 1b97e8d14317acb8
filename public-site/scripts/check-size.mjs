// The pages' weight budget: what a visitor's browser fetches for a page before anything else —
// its HTML, stylesheets, module scripts and their preloads in dist/ — gzipped, at most 20 KB a
// page. (Raised from 15 KB when the page became the business's own: its settings applied live,
// service cards with prices, the consent box and policy section, length counters and the retry
// beside the button — 17.3 KB then; the rest is headroom for the form's choice codes.) The 404
// page shares the main page's stylesheet and common code, so each is counted with every page
// that loads it.
// Usage: node scripts/check-size.mjs [distDir]. Exits 1 when a page is over the budget.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 20 * 1024;

const REFERENCES = [
  /<script\b[^>]*\btype="module"[^>]*\bsrc="\/([^"]+)"/g,
  /<link\b[^>]*\brel="(?:modulepreload|stylesheet)"[^>]*\bhref="\/([^"]+)"/g,
];

const sizeOf = (path) => {
  const bytes = readFileSync(path);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};

/** Every page in `dist` with the files it loads first (the page itself first), their raw and
 * gzipped sizes, and the gzipped total. A reference to a file not in `dist` throws. */
export function measure(dist) {
  return readdirSync(dist)
    .filter((name) => name.endsWith('.html'))
    .sort()
    .map((page) => {
      const html = readFileSync(join(dist, page), 'utf8');
      const loaded = REFERENCES.flatMap((pattern) =>
        [...html.matchAll(pattern)].map((match) => match[1]),
      );
      const files = [page, ...new Set(loaded)].map((file) => ({
        file,
        ...sizeOf(join(dist, file)),
      }));
      return { page, files, total: files.reduce((sum, f) => sum + f.gzip, 0) };
    });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../dist'));
  const pages = measure(dist);
  if (pages.length === 0) {
    console.error(`no HTML page in ${dist}: run the build first`);
    process.exit(1);
  }
  let over = false;
  for (const { page, files, total } of pages) {
    for (const f of files)
      console.log(
        `${f.file.padEnd(36)} ${String(f.raw).padStart(7)} B  ${String(f.gzip).padStart(6)} B gz`,
      );
    const verdict = total <= BUDGET_BYTES ? 'within' : 'OVER';
    console.log(
      `${page}: ${(total / 1024).toFixed(2)} KB gz — ${verdict} the ${BUDGET_BYTES / 1024} KB budget\n`,
    );
    over ||= total > BUDGET_BYTES;
  }
  if (over) process.exit(1);
}
