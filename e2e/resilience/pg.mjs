// PostgreSQL for the resilience tests: a fresh database on the shared cluster (the way
// scale-out.test.mjs makes one), or a throwaway cluster of our own for tests that stop and
// restart PostgreSQL — those must never touch the shared one.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Runs SQL with psql against `url`; throws with psql's stderr on failure. */
export function psql(url, sql) {
  const result = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`psql failed on ${url}: ${result.stderr || result.error}\n${sql}`);
  }
  return result.stdout;
}

/** The rows of a SELECT as plain objects (through json_agg, so types survive). */
export function queryRows(url, select) {
  const out = psql(url, `SELECT coalesce(json_agg(t), '[]'::json) FROM (${select}) t`);
  return JSON.parse(out);
}

/** A new database on the shared cluster (TEST_DATABASE_URL or 127.0.0.1:5432). */
export function sharedDatabase(prefix = 'order_desk_resilience') {
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `${prefix}_${randomUUID().replaceAll('-', '')}`;
  try {
    psql(adminUrl, `CREATE DATABASE ${name}`);
  } catch (err) {
    throw new Error(`PostgreSQL is needed at ${adminUrl} (TEST_DATABASE_URL): ${err.message}`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => psql(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** A TCP port nobody listens on right now. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function run(command, args, what) {
  // initdb and pg_ctl refuse root: run them as postgres when we are root.
  const asRoot = process.getuid?.() === 0;
  const result = asRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${what} failed (${result.status}): ${result.stderr || result.error}\n${result.stdout}`);
  }
  return result.stdout;
}

/**
 * A PostgreSQL cluster of our own in a temporary folder, on a free port: a test may stop and
 * start it at will. `destroy()` stops it (if running) and removes the folder.
 */
export async function throwawayCluster() {
  const dir = mkdtempSync(join(tmpdir(), 'order-desk-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'log');
  if (process.getuid?.() === 0) {
    const id = (flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout);
    chownSync(dir, id('-u'), id('-g'));
  }
  const port = await freePort();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let running = false;

  const pgCtl = (...args) => run(join(PG_BIN, 'pg_ctl'), ['-D', data, ...args], `pg_ctl ${args.join(' ')}`);
  const cluster = {
    dir,
    port,
    adminUrl,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    /** Starts the cluster and waits until it accepts connections. */
    start() {
      // fsync off: a test cluster need not survive power loss, only clean restarts.
      pgCtl('-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c fsync=off -c max_connections=100`, '-l', log, 'start');
      running = true;
    },
    /** `pg_ctl stop -m fast`: clients are disconnected, the cluster shuts down cleanly. */
    stop(mode = 'fast') {
      pgCtl('-w', '-t', '60', '-m', mode, 'stop');
      running = false;
    },
    createDatabase(name) {
      psql(adminUrl, `CREATE DATABASE ${name}`);
      return cluster.url(name);
    },
    log: () => {
      try {
        return readFileSync(log, 'utf8');
      } catch {
        return '';
      }
    },
    destroy() {
      process.removeListener('exit', cluster.destroy);
      if (running) {
        try {
          cluster.stop('immediate');
        } catch {
          // already down
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  process.once('exit', cluster.destroy);
  try {
    run(join(PG_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-N', '-E', 'UTF8', '--locale=C'], 'initdb');
    cluster.start();
  } catch (err) {
    cluster.destroy();
    throw err;
  }
  return cluster;
}
