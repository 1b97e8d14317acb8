// The real `server` binary as an operator runs it, with what the resilience tests need beyond
// support/server.mjs: its pid (RSS, signals), every line it prints on stdout and stderr, and
// how it exited.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { listeningPort, serverBinary } from '../support/server.mjs';

export { serverBinary };

/** What every test server gets: no rate limits (the load is ours), a random secret. */
export function baseEnv({ databaseUrl, production = false, env = {} }) {
  return {
    PATH: process.env.PATH,
    DATABASE_URL: databaseUrl,
    BIND_ADDR: '127.0.0.1:0',
    APP_ENV: production ? 'production' : 'development',
    JWT_SECRET: randomBytes(32).toString('hex'),
    RATE_LIMIT_LOGINS_PER_MINUTE: '0',
    RATE_LIMIT_LOGINS_PER_ACCOUNT_PER_MINUTE: '0',
    RATE_LIMIT_ORDERS_PER_MINUTE: '0',
    RATE_LIMIT_METRICS_PER_MINUTE: '0',
    RUST_LOG: 'info,sqlx=warn,sea_orm=warn',
    ...env,
  };
}

/** Waits for `check()` to return something truthy, polling; throws `message()` after `timeout`. */
export async function until(check, message, { timeout = 30_000, every = 50 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(typeof message === 'function' ? message() : message);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Runs a server subcommand (`create-admin`, `revoke-sessions`, …) to completion. */
export function cli(args, env) {
  const result = spawnSync(serverBinary, args, { env, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/**
 * Starts `server serve` with `env` (see baseEnv) in a temporary working directory.
 * @returns {Promise<{ url: string, port: number, pid: number, env: object,
 *   logs: () => string, exited: Promise<{code: number|null, signal: string|null}>,
 *   terminate: () => Promise<{code: number|null, signal: string|null}>,
 *   rssKiB: () => number|undefined, peakRssKiB: () => number|undefined }>}
 */
export async function launch(env) {
  const cwd = mkdtempSync(join(tmpdir(), 'order-desk-resilience-'));
  const child = spawn(serverBinary, ['serve'], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const stdout = createInterface({ input: child.stdout });
  const stderr = createInterface({ input: child.stderr });
  const exited = new Promise((resolve) =>
    child.once('close', (code, signal) => {
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, signal });
    }),
  );
  const killOnExit = () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL');
  process.once('exit', killOnExit);
  exited.then(() => process.removeListener('exit', killOnExit));

  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onLine = (line) => {
      output += `${line}\n`;
      const found = listeningPort(line);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    stdout.on('line', onLine);
    stderr.on('line', onLine);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });

  const status = (field) => {
    try {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return match ? Number(match[1]) : undefined;
    } catch {
      return undefined; // gone
    }
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    env,
    logs: () => output,
    exited,
    /** SIGTERM, then the exit status (a graceful stop). */
    async terminate() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    /** SIGKILL (cleanup after a failure). */
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
    /** CPU seconds the process has used (user + system). */
    cpuSeconds: () => {
      try {
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
      } catch {
        return undefined; // gone
      }
    },
    rssKiB: () => status('VmRSS'),
    peakRssKiB: () => status('VmHWM'),
  };
}
