// @vitest-environment node
// The weight budget, measured on a real production build (into a temporary folder).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, expect, test } from 'vitest';
import { BUDGET_BYTES, measure } from '../scripts/check-size.mjs';

const outDir = mkdtempSync(join(tmpdir(), 'public-site-size-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

test('HTML + CSS + JS stay within 20 KB gzipped', async () => {
  await build({
    root: fileURLToPath(new URL('..', import.meta.url)),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  const { rows, total } = measure(outDir);
  expect(rows.map((r) => r.file.split('.').pop()).sort()).toEqual(['css', 'html', 'html', 'js']);
  console.log(`public-site: ${total} bytes gzipped (budget ${BUDGET_BYTES})`);
  expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
}, 60_000);
