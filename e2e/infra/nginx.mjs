// Runs this repository's nginx configuration with the real nginx binary (Debian's, 1.22 here)
// on loopback: the templates rendered the way the nginx image renders them (envsubst with only
// the six site variables), unprivileged ports instead of 80/443, and a private prefix for pid,
// temp files and logs, so it needs no root and leaves nothing behind.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/server.mjs';

export const nginxDir = join(repoRoot, 'nginx');
export const templatesDir = join(nginxDir, 'templates');
/** The variables the templates may use, and the only ones the image substitutes. */
export const TEMPLATE_VARS = ['UPSTREAM', 'SERVER_NAME', 'TLS_CERT', 'TLS_KEY', 'PUBLIC_ROOT', 'ADMIN_ROOT'];

export function nginxBinary() {
  if (process.env.NGINX_BIN) return process.env.NGINX_BIN;
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('nginx not found: install Debian\'s nginx (.ci/run does) or set NGINX_BIN');
}

/** Template files, as { name, path, text }. */
export function templates() {
  return readdirSync(templatesDir)
    .filter((name) => name.endsWith('.conf.template'))
    .sort()
    .map((name) => ({ name, path: join(templatesDir, name), text: readFileSync(join(templatesDir, name), 'utf8') }));
}

/**
 * Renders a template exactly as the nginx image's 20-envsubst-on-templates.sh does: the real
 * `envsubst` with an explicit list of variables, so nginx's own `$variables` stay as they are.
 */
export function renderTemplate(text, values) {
  const shellFormat = TEMPLATE_VARS.map((name) => `\${${name}}`).join(' ');
  const env = { PATH: process.env.PATH };
  for (const name of TEMPLATE_VARS) {
    if (values[name] === undefined) throw new Error(`renderTemplate: ${name} missing`);
    env[name] = values[name];
  }
  const result = spawnSync('envsubst', [shellFormat], { input: text, env, encoding: 'utf8' });
  if (result.error) throw new Error(`envsubst: ${result.error.message} (Debian package gettext-base)`);
  if (result.status !== 0) throw new Error(`envsubst failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * Moves every `listen 80` / `listen 443` to unprivileged loopback ports (the site's servers and
 * the default servers that drop unknown names share them, as on 80/443); each must occur.
 */
export function relisten(text, { httpPort, httpsPort }) {
  let http80 = 0;
  let https443 = 0;
  const out = text
    .replace(/^(\s*listen\s+)80(?=[\s;])/gm, (_, head) => {
      http80 += 1;
      return `${head}127.0.0.1:${httpPort}`;
    })
    .replace(/^(\s*listen\s+)443(?=[\s;])/gm, (_, head) => {
      https443 += 1;
      return `${head}127.0.0.1:${httpsPort}`;
    });
  if (http80 < 1 || https443 < 1) {
    throw new Error(`expected "listen 80" and "listen 443", found ${http80} and ${https443}`);
  }
  const stray = out.match(/^\s*listen\s+(?!127\.0\.0\.1:)\S+/gm);
  if (stray) throw new Error(`listen directives other than 80/443 in the templates: ${stray.join(', ')}`);
  return out;
}

export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

async function waitForPort(port, child, logs, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${logs()}`);
    const open = await new Promise((done) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port}:\n${logs()}`);
}

/** Generates a self-signed certificate with the repository's own script. */
export function generateCertificate(dir, name = 'localhost') {
  const result = spawnSync('sh', [join(repoRoot, 'scripts/gen-dev-cert.sh'), name, dir], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  if (result.status !== 0) throw new Error(`gen-dev-cert.sh failed: ${result.stderr}`);
  return {
    cert: join(dir, 'fullchain.pem'),
    key: join(dir, 'privkey.pem'),
    ca: readFileSync(join(dir, 'fullchain.pem')),
    output: result.stdout,
  };
}

/**
 * Starts nginx with nginx/nginx.conf and the rendered templates.
 *
 * The site is `localhost` (SERVER_NAME; gen-dev-cert.sh's certificate covers it): nginx answers
 * only requests for its configured names, and only handshakes that name one (SNI, which clients
 * never send for an IP address). So the URLs it returns name `localhost`; nginx listens on
 * 127.0.0.1 only, so `request` resolves names to IPv4 (pass `family: 4` to other clients).
 * @param {{ upstream: string, publicRoot: string, adminRoot: string, serverName?: string }} options
 */
export async function startNginx(options) {
  const dir = mkdtempSync(join(tmpdir(), 'order-desk-nginx-'));
  // nginx started as root runs its workers as an unprivileged user, which must be able to read
  // the static roots and write its temp directories.
  chmodSync(dir, 0o755);
  const confDir = join(dir, 'conf');
  mkdirSync(join(confDir, 'conf.d'), { recursive: true });
  mkdirSync(join(dir, 'temp'));
  mkdirSync(join(dir, 'logs'));

  const certs = generateCertificate(join(dir, 'certs'));
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const values = {
    UPSTREAM: options.upstream,
    SERVER_NAME: options.serverName ?? 'localhost',
    TLS_CERT: certs.cert,
    TLS_KEY: certs.key,
    PUBLIC_ROOT: options.publicRoot,
    ADMIN_ROOT: options.adminRoot,
  };

  // The main context unchanged; mime.types as the image has it next to nginx.conf.
  copyFileSync(join(nginxDir, 'nginx.conf'), join(confDir, 'nginx.conf'));
  copyFileSync(options.mimeTypes ?? '/etc/nginx/mime.types', join(confDir, 'mime.types'));
  const rendered = {};
  for (const template of templates()) {
    const name = template.name.replace(/\.template$/, '');
    rendered[name] = relisten(renderTemplate(template.text, values), { httpPort, httpsPort });
    writeFileSync(join(confDir, 'conf.d', name), rendered[name]);
  }
  // What the image has built in: temp paths. Here they go under the private prefix.
  const temp = (kind) => join(dir, 'temp', kind);
  writeFileSync(
    join(confDir, 'conf.d', '00-test-temp-paths.conf'),
    ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((kind) => `${kind}_temp_path ${temp(kind)};`)
      .join('\n') + '\n',
  );

  const confFile = join(confDir, 'nginx.conf');
  const errorLog = join(dir, 'logs', 'error.log');
  const accessLog = join(dir, 'logs', 'access.log');
  const args = ['-p', `${dir}/`, '-c', confFile, '-e', errorLog, '-g', `pid ${join(dir, 'nginx.pid')}; daemon off;`];
  const bin = nginxBinary();

  // nginx.conf logs to /dev/stdout and stderr, as containers do; nginx cannot open /dev/stdout
  // on a socket (Node's default pipes), so both go to files here, also for `nginx -t`.
  const checkLog = join(dir, 'logs', 'nginx-t.log');
  const checkFd = openSync(checkLog, 'w');
  const check = spawnSync(bin, ['-t', ...args], { stdio: ['ignore', checkFd, checkFd] });
  closeSync(checkFd);
  const configTest = { status: check.status, output: readIf(checkLog) };
  if (check.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`nginx -t failed:\n${configTest.output}`);
  }

  // error_log is stderr in nginx.conf (the container way); here stderr goes to a file.
  const errFd = openSync(errorLog, 'a');
  const outFd = openSync(accessLog, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', outFd, errFd] });
  closeSync(errFd);
  closeSync(outFd);
  const killOnExit = () => child.exitCode === null && child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const logs = () => `${readIf(errorLog)}`;
  await waitForPort(httpsPort, child, logs);
  await waitForPort(httpPort, child, logs);

  async function stop() {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }

  return {
    dir,
    httpPort,
    httpsPort,
    ca: certs.ca,
    values,
    rendered,
    configTest,
    httpsUrl: `https://localhost:${httpsPort}`,
    httpUrl: `http://localhost:${httpPort}`,
    wssUrl: `wss://localhost:${httpsPort}`,
    errorLog: () => readIf(errorLog),
    accessLog: () => readIf(accessLog),
    stop,
  };
}

function readIf(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * One request on a fresh connection (no agent), body collected as a Buffer, never decompressed.
 * Names resolve to IPv4 (the test nginx listens on 127.0.0.1). TLS sends the URL's name as SNI,
 * or `servername` when given (Node would otherwise take it from a Host header in `headers`).
 * @param {string} url
 * @param {{ method?: string, headers?: object, body?: string|Buffer, ca?: Buffer,
 *   localAddress?: string, minVersion?: string, maxVersion?: string, servername?: string }} [options]
 */
export function request(url, options = {}) {
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise((resolveResponse, reject) => {
    const req = lib.request(
      target,
      {
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        ca: options.ca,
        localAddress: options.localAddress,
        family: 4,
        servername: options.servername,
        minVersion: options.minVersion,
        maxVersion: options.maxVersion,
        agent: false,
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolveResponse({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.end(options.body);
  });
}
