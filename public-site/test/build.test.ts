// @vitest-environment node
// The production build, made once into a temporary folder: its weight budget, and the Russian
// text the build writes into the pages (what a visitor reads before the script runs, and for
// good if the API never answers).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';
import { build } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BUDGET_BYTES, measure } from '../scripts/check-size.mjs';
import { ru } from '../src/i18n/ru.ts';
import { i18nHtml } from '../vite.config.ts';

const outDir = mkdtempSync(join(tmpdir(), 'public-site-build-'));
beforeAll(async () => {
  // As `npm run build` does: the order page, then the 404 page beside it.
  for (const mode of ['production', 'not-found']) {
    await build({
      root: fileURLToPath(new URL('..', import.meta.url)),
      mode,
      logLevel: 'silent',
      build: { outDir },
    });
  }
}, 60_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

test('each page loads one stylesheet and one script, within 20 KB gzipped', () => {
  const pages = measure(outDir);
  expect(pages.map((p) => p.page)).toEqual(['404.html', 'index.html']);
  for (const { page, files, total } of pages) {
    // The order page's script is one file: the 404 page, built apart, shares no chunk with it.
    expect(files.map((f) => f.file.split('.').pop()).sort(), page).toEqual(['css', 'html', 'js']);
    console.log(`public-site ${page}: ${total} bytes gzipped (budget ${BUDGET_BYTES})`);
    expect(total, page).toBeLessThanOrEqual(BUDGET_BYTES);
  }
});

test.each(['index.html', '404.html'])(
  'every element marked for text carries its Russian text in the built %s',
  (file) => {
    const window = new Window();
    const doc = window.document;
    doc.write(readFileSync(join(outDir, file), 'utf8'));
    const marked = [...doc.querySelectorAll('[data-i18n]')];
    expect(marked.length).toBeGreaterThan(0);
    const texts = marked.map((el) => [el.getAttribute('data-i18n'), el.textContent]);
    const expected = texts.map(([key]) => [key, ru[key as keyof typeof ru]]);
    expect(texts).toEqual(expected);
    for (const meta of doc.querySelectorAll('meta[data-i18n-content]')) {
      const key = meta.getAttribute('data-i18n-content') as keyof typeof ru;
      expect(meta.getAttribute('content'), key).toBe(ru[key]);
    }
    // The consent box is named by its wording, not by the "*" beside it.
    const consent = doc.getElementById('consent-text');
    if (file === 'index.html') expect(consent?.textContent).toBe(ru['consent.default']);
    void window.happyDOM.close();
  },
);

test('the built page keeps the SSI include of its link preview, with its stub', () => {
  // nginx fills it from the server (nginx/templates, e2e/nginx.test.mjs); Vite must not drop it.
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const head = html.slice(0, html.indexOf('</head>'));
  expect(head).toMatch(/<!--# block name="no-preview" -->\s*<!--# endblock -->/);
  expect(head).toContain('<!--# include virtual="/page-meta" stub="no-preview" -->');
});

test('the text goes in however the markup is wrapped; an element it cannot fill fails the build', () => {
  const hook = i18nHtml().transformIndexHtml as (html: string, ctx: { filename: string }) => string;
  const fill = (html: string) => hook(html, { filename: 'index.html' });
  const lead = ru['page.lead'];
  expect(fill('<p data-i18n="page.lead"></p>')).toBe(`<p data-i18n="page.lead">${lead}</p>`);
  expect(fill('<span\n  id="x"\n  data-i18n="page.lead"\n></span\n>')).toBe(
    `<span\n  id="x"\n  data-i18n="page.lead"\n>${lead}</span\n>`,
  );
  expect(fill('<b data-i18n="page.lead">\n  </b>')).toBe(`<b data-i18n="page.lead">${lead}</b>`);
  expect(fill('<meta data-i18n-content="page.lead"\n  content="" />')).toBe(
    `<meta data-i18n-content="page.lead" content="${lead}" />`,
  );
  expect(() => fill('<p data-i18n="page.lead">typed by hand</p>')).toThrow(/1 of 1/);
  expect(() => fill('<p data-i18n="page.lead"><b></b></p>')).toThrow(/could not be filled/);
  expect(() => fill('<p data-i18n="no.such.key"></p>')).toThrow(/unknown i18n key/);
});
