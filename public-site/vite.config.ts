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
 * unknown key fails the build. English is applied at run time (src/i18n). */
export function i18nHtml(): Plugin {
  return {
    name: 'order-desk-i18n-html',
    transformIndexHtml(html) {
      return html
        .replace(
          /(<([a-z0-9]+)\b[^>]*\bdata-i18n="([^"]+)"[^>]*>)(<\/\2>)/g,
          (_m, open: string, _tag: string, key: string, close: string) =>
            `${open}${lookup(key)}${close}`,
        )
        .replace(
          /\bdata-i18n-content="([^"]+)" content=""/g,
          (_m, key: string) => `data-i18n-content="${key}" content="${lookup(key)}"`,
        );
    },
  };
}

export default defineConfig({
  plugins: [i18nHtml()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    target: 'es2022',
    // The page, and the 404 page the server (embedded mode) and nginx answer unknown paths with.
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        notFound: fileURLToPath(new URL('404.html', import.meta.url)),
      },
    },
  },
  server: {
    // `npm run dev` against a server started with `make run` (port 8080).
    proxy: { '/graphql': { target: 'http://127.0.0.1:8080', ws: true } },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
