// Copies the UMD builds GraphiQL needs into dist/, next to our init script. The server serves
// dist/ at /graphiql/assets in development.
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const files = [
  'react/umd/react.production.min.js',
  'react-dom/umd/react-dom.production.min.js',
  'graphql-ws/umd/graphql-ws.min.js',
  'graphiql/graphiql.min.js',
  'graphiql/graphiql.min.css',
];
const dist = join(here, 'dist');
mkdirSync(dist, { recursive: true });
for (const file of files) {
  // Plain paths: these packages' `exports` maps hide their UMD files from require.resolve.
  copyFileSync(join(here, 'node_modules', file), join(dist, basename(file)));
}
copyFileSync(join(here, 'init.js'), join(dist, 'graphiql-init.js'));
console.log(`graphiql: ${files.length + 1} files in ${dist}`);
