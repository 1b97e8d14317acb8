// Initial JS budget: the entry script plus every chunk index.html preloads, gzipped, must stay
// within 160 KB. Lazy chunks (the statistics screen and its chart) are listed but not counted.
// 150 KB until the data router (react-router's `createBrowserRouter`: 141.0 KB with
// `<BrowserRouter>`, 157.4 with it, measured on the same tree), which the unsaved-changes
// blocker on Settings needs: of the ways to ask before leaving, only it catches Back too.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 160 * 1024;

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const base = '/admin/';

const initial = new Set();
for (const match of html.matchAll(/<script[^>]+type="module"[^>]*src="([^"]+)"/g)) {
  initial.add(match[1]);
}
for (const match of html.matchAll(/<link[^>]+rel="modulepreload"[^>]*href="([^"]+)"/g)) {
  initial.add(match[1]);
}
if (initial.size === 0) {
  console.error('check-size: no module script in dist/index.html');
  process.exit(1);
}

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

let total = 0;
const initialFiles = [...initial].map((src) => src.replace(base, ''));
for (const file of initialFiles) {
  const size = gz(join(dist, file));
  total += size;
  console.log(`initial  ${kb(size).padStart(9)}  ${file}`);
}
for (const file of readdirSync(join(dist, 'assets'))) {
  const path = `assets/${file}`;
  if (file.endsWith('.js') && !initialFiles.includes(path)) {
    console.log(`lazy     ${kb(gz(join(dist, path))).padStart(9)}  ${path}`);
  }
}
console.log(`initial JS (gzip): ${kb(total)} of ${kb(BUDGET_BYTES)} budget`);
if (total > BUDGET_BYTES) {
  console.error('check-size: initial JS is over budget');
  process.exit(1);
}
