// Fails when the committed src/gql/ no longer matches what GraphQL Code Generator makes from
// ../schema.graphql and the documents in src/ (a schema change or an edited query without
// `npm run codegen`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const committed = join(root, 'src', 'gql');
const fresh = mkdtempSync(join(tmpdir(), 'admin-codegen-'));

try {
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', '@graphql-codegen', 'cli', 'esm', 'bin.js'),
      '--config',
      'codegen.ts',
      '--silent',
    ],
    { cwd: root, env: { ...process.env, CODEGEN_OUT: `${fresh}/` }, encoding: 'utf8' },
  );
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    console.error('codegen:check: generation failed');
    process.exit(1);
  }
  const names = new Set([...readdirSync(committed), ...readdirSync(fresh)]);
  const drift = [];
  for (const name of names) {
    let a = null;
    let b = null;
    try {
      a = readFileSync(join(committed, name), 'utf8');
    } catch {
      /* missing */
    }
    try {
      b = readFileSync(join(fresh, name), 'utf8');
    } catch {
      /* missing */
    }
    if (a !== b) drift.push(name);
  }
  if (drift.length > 0) {
    console.error(
      `codegen:check: src/gql/ is out of date (${drift.join(', ')}); run \`npm run codegen\``,
    );
    process.exit(1);
  }
  console.log('codegen:check: src/gql/ matches ../schema.graphql and the documents');
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
