// The real `server` binary for the security suite, on SQLite or on a fresh PostgreSQL database,
// in development or production, plus its command line (`create-admin`, `revoke-sessions`, …)
// run with exactly the environment the server has.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { listeningPort, repoRoot, serverBinary } from '../support/server.mjs';

export const BACKENDS = ['sqlite', 'postgres'];
const pgAdminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function psql(sql) {
  const result = spawnSync('psql', [pgAdminUrl, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`PostgreSQL is needed at ${pgAdminUrl} (TEST_DATABASE_URL): ${result.stderr || result.error}`);
  }
}

/** A JWT secret the production checks accept: 32 random bytes as 64 hex characters. */
export function randomSecret() {
  return randomBytes(32).toString('hex');
}

/**
 * Starts a server. `backend` is 'sqlite' or 'postgres' (a database of its own, dropped by
 * `stop`). Rate limits are off unless `env` sets them.
 * @returns {Promise<{ url: string, wsUrl: string, backend: string, production: boolean,
 *   secret: string, env: Record<string,string>, cli: (args: string[], extraEnv?: object) =>
 *   { status: number, stdout: string, stderr: string }, alive: () => boolean,
 *   logs: () => string, stop: () => Promise<void> }>}
 */
export async function startSecurityServer({ backend = 'sqlite', production = false, env: extra = {} } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'order-desk-security-'));
  let databaseUrl;
  let database;
  if (backend === 'postgres') {
    database = `order_desk_sec_${randomUUID().replaceAll('-', '')}`;
    psql(`CREATE DATABASE ${database}`);
    const url = new URL(pgAdminUrl);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
  } else {
    databaseUrl = `sqlite://${join(dataDir, 'security.db')}?mode=rwc`;
  }
  const secret = extra.JWT_SECRET ?? randomSecret();
  const env = {
    PATH: process.env.PATH,
    DATABASE_URL: databaseUrl,
    BIND_ADDR: '127.0.0.1:0',
    JWT_SECRET: secret,
    APP_ENV: production ? 'production' : 'development',
    ...(production ? {} : { STATIC_ROOT: repoRoot }),
    RATE_LIMIT_LOGINS_PER_MINUTE: '0',
    RATE_LIMIT_LOGINS_PER_ACCOUNT_PER_MINUTE: '0',
    RATE_LIMIT_ORDERS_PER_MINUTE: '0',
    RATE_LIMIT_METRICS_PER_MINUTE: '0',
    WS_MAX_PER_ADDRESS: '1000',
    RUST_LOG: 'info,sqlx=warn,sea_orm=warn',
    ...extra,
  };
  const child = spawn(serverBinary, ['serve'], { env, cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    lines.on('line', (line) => {
      output += `${line}\n`;
      const found = listeningPort(line);
      if (found) {
        clearTimeout(timer);
        resolvePort(found);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const killOnExit = () => child.exitCode === null && child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `http://127.0.0.1:${port}`;

  /** Runs `server <args>` against the same database and secret. */
  function cli(args, extraEnv = {}) {
    const result = spawnSync(serverBinary, args, {
      env: { ...env, ...extraEnv },
      cwd: dataDir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  async function stop() {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    if (database) psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    backend,
    production,
    secret,
    env,
    cli,
    alive: () => child.exitCode === null && child.signalCode === null,
    logs: () => output,
    stop,
  };
}

/** `server create-admin` then `login`; returns { email, password, token, id }. */
export async function createAdmin(server, email, password = `pw-${randomUUID()}`) {
  const created = server.cli(['create-admin', '--email', email], { ADMIN_PASSWORD: password });
  if (created.status !== 0) throw new Error(`create-admin ${email} failed: ${created.stderr}${created.stdout}`);
  const token = await login(server, email, password);
  return { email, password, token, id: tokenClaims(token).sub };
}

export async function login(server, email, password) {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      variables: { e: email, p: password },
    }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = await response.json();
  if (!body.data?.login) throw new Error(`login ${email} failed: ${JSON.stringify(body)}`);
  return body.data.login.token;
}

/** The payload of a JWT, unverified. */
export function tokenClaims(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
