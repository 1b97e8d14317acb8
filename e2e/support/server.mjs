// Starts the real `server` binary on a free port with a fresh SQLite database, the way a
// developer runs it. Tests talk to it over HTTP and WebSocket like any client.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const serverBinary = process.env.SERVER_BIN ?? join(repoRoot, 'target/debug/server');
// Random (`openssl rand -hex 32`): production refuses guessable secrets.
export const TEST_SECRET = '0f6e2c9b4a81d7e35c20b9f4e8a1d63c7b05e92f4d8c1a6b3e70f5d2c9a84b16';

/** The first-run setup code a production server derives from its secret (see `admins::setup`). */
export function setupCode(secret = TEST_SECRET) {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const digest = createHmac('sha256', secret).update('order-desk first-run setup code v1').digest();
  const symbols = [...digest.subarray(0, 12)].map((byte) => alphabet[byte % 32]).join('');
  return symbols.match(/.{4}/g).join('-');
}

/** Port from the server's `listening` log line: text (development) or a JSON line (production). */
export function listeningPort(line) {
  const text = /listening addr=([\d.]+):(\d+)/.exec(line);
  if (text) return Number(text[2]);
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line);
    const fields = entry.fields ?? entry;
    const match = fields.message === 'listening' && /:(\d+)$/.exec(String(fields.addr));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // not a log entry
  }
}

/**
 * @param {{ env?: Record<string,string>, seedDemo?: boolean, production?: boolean }} [options]
 * @returns {Promise<{ url: string, port: number, dataDir: string, databaseUrl: string,
 *   gql: (query: string, variables?: object, token?: string) => Promise<any>,
 *   stop: () => Promise<void>, logs: () => string }>}
 */
export async function startServer(options = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'order-desk-e2e-'));
  const databaseUrl = `sqlite://${join(dataDir, 'e2e.db')}?mode=rwc`;
  const env = {
    PATH: process.env.PATH,
    DATABASE_URL: databaseUrl,
    BIND_ADDR: '127.0.0.1:0',
    JWT_SECRET: TEST_SECRET,
    // Production serves no static files (nginx does); development serves the built front-ends.
    ...(options.production ? {} : { STATIC_ROOT: repoRoot }),
    RATE_LIMIT_LOGINS_PER_MINUTE: '0',
    RATE_LIMIT_ORDERS_PER_MINUTE: '0',
    RUST_LOG: 'info,sqlx=warn,sea_orm=warn',
    APP_ENV: options.production ? 'production' : 'development',
    ...options.env,
  };
  if (options.seedDemo) {
    const seeded = spawnSync(serverBinary, ['seed-demo'], { env, cwd: dataDir, encoding: 'utf8' });
    if (seeded.status !== 0) throw new Error(`seed-demo failed: ${seeded.stderr}`);
  }
  const child = spawn(serverBinary, ['serve'], { env, cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // Whoever waits for something in the log hears every new piece of it.
  const listeners = new Set();
  const heard = (text) => {
    output += text;
    for (const listener of listeners) listener();
  };
  child.stderr.on('data', (chunk) => heard(String(chunk)));
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    lines.on('line', (line) => {
      heard(`${line}\n`);
      const found = listeningPort(line);
      if (found) {
        clearTimeout(timer);
        resolvePort(found);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const killOnExit = () => child.exitCode === null && child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const url = `http://127.0.0.1:${port}`;

  async function gql(query, variables = {}, token) {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    return response.json();
  }

  async function stop() {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }

  /** Resolves with `find(log)` once it is truthy, checked on every new log line (no polling). */
  function waitForLog(find, what, timeout = 15_000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find(output);
        if (!found) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`${what}: not in the server's log within ${timeout} ms:\n${output}`));
      }, timeout);
      listeners.add(check);
      check();
    });
  }

  return { url, port, dataDir, databaseUrl, secret: env.JWT_SECRET, gql, stop, logs: () => output, waitForLog };
}

/** Registers the first admin and returns its token (with the setup code production asks for). */
export async function registerAdmin(server, email = 'owner@example.com', password = 'correct horse battery') {
  const body = await server.gql(
    'mutation($e: String!, $p: String!, $c: String) { registerAdmin(email: $e, password: $p, setupCode: $c) { token } }',
    { e: email, p: password, c: setupCode(server.secret) },
  );
  if (!body.data) throw new Error(`registerAdmin failed: ${JSON.stringify(body)}`);
  return body.data.registerAdmin.token;
}
