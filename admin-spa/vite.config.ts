import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Served by the server at /admin/ in development and by nginx in production.
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: {
    target: 'es2022',
    // Maps for debugging and size analysis, not referenced from the served files.
    sourcemap: 'hidden',
  },
  // `npm run dev` (http://127.0.0.1:5173/admin/) against a server started with `make run`.
  server: {
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:8080', ws: true },
      // Everything outside /admin/ is the server's: the CSV export and the public page the
      // heatmap frames.
      '^/(?!admin(/|$))': 'http://127.0.0.1:8080',
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
