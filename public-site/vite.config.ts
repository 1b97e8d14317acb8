import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';
import { ru } from './src/i18n/ru.ts';

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const lookup = (key: string): string => {
  if (!(key in ru)) throw new Error(`index.html uses an unknown i18n key: ${key}`);
  return escape(ru[key as keyof typeof ru]);
};

/** Writes the Russian text into index.html at build time: no flash of empty labels, and an
 * unknown key fails the build. English is applied at run time (src/i18n).
 *
 * A marked element must be empty in the source; however Prettier wraps it (`></span>`,
 * `></span\n>`, a line break between the tags), its text goes right after the opening tag. A
 * marked element the build could not fill (not empty, or not closed) fails the build rather than
 * reach a visitor blank. test/build.test.ts checks the built pages. */
export function i18nHtml(): Plugin {
  return {
    name: 'order-desk-i18n-html',
    transformIndexHtml(html, context) {
      let filled = 0;
      const out = html
        .replace(
          /(<([a-z0-9]+)\b[^>]*\sdata-i18n="([^"]+)"[^>]*>)\s*(<\/\2\s*>)/g,
          (_m, open: string, _tag: string, key: string, close: string) => {
            filled += 1;
            return `${open}${lookup(key)}${close}`;
          },
        )
        .replace(/\sdata-i18n-content="([^"]+)"\s+content=""/g, (_m, key: string) => {
          filled += 1;
          return ` data-i18n-content="${key}" content="${lookup(key)}"`;
        });
      const marked = html.match(/\sdata-i18n(-content)?="/g)?.length ?? 0;
      if (filled !== marked) {
        throw new Error(
          `${context.filename}: ${marked - filled} of ${marked} data-i18n elements could not be filled (each must be empty and closed in the source)`,
        );
      }
      return out;
    },
  };
}

/** The build of one page: `vite build` makes the order page and empties dist/ first; `vite build
 * --mode not-found` adds the 404 page that the server (embedded mode) and nginx answer unknown
 * paths with. Apart, because the 404 page uses much of the order page's code: built together,
 * that code goes into a chunk of its own, and the order page loads it as a second file, about
 * 1 KB heavier gzipped. */
export const pageOf = (mode: string) => (mode === 'not-found' ? '404.html' : 'index.html');

export default defineConfig(({ mode }) => {
  const page = pageOf(mode);
  return {
    plugins: [i18nHtml()],
    build: {
      outDir: 'dist',
      emptyOutDir: page === 'index.html',
      modulePreload: { polyfill: false },
      target: 'es2022',
      rollupOptions: { input: fileURLToPath(new URL(page, import.meta.url)) },
    },
    server: {
      // `npm run dev` against a server started with `make run` (port 8080).
      proxy: { '/graphql': { target: 'http://127.0.0.1:8080', ws: true } },
    },
    test: {
      environment: 'happy-dom',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    },
  };
});
