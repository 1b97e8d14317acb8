// The edge for real: Debian's nginx binary with nginx/nginx.conf and the rendered templates on
// loopback (unprivileged ports, a certificate made by scripts/gen-dev-cert.sh at test time), in
// front of the real server in production mode. Static roots are small fixtures written here, so
// this does not depend on the front-end builds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { createServer } from 'node:http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { envInstructions, readDockerfile } from './infra/compose.mjs';
import { freePort, nginxBinary, renderTemplate, request, startNginx, templates, TEMPLATE_VARS } from './infra/nginx.mjs';
import { eventually, gqlOk } from './public-site/page.mjs';
import { launchBrowser, screenshot } from './support/browser.mjs';
import { registerAdmin, repoRoot, startServer } from './support/server.mjs';

const LOGIN_LIMIT = 3;
// Big enough to be worth compressing, repetitive like real bundles.
const APP_JS = `export function hello(name) { return 'hello ' + name; }\n`.repeat(60);
const ADMIN_JS = `export const routes = ['orders', 'services', 'stats'];\n`.repeat(60);
const PUBLIC_HEAD = '<!doctype html><html><head><title>public fixture</title>';
const PUBLIC_REST = `<script type="module" src="/assets/app-3f2a1b.js"></script></head><body>${'<p>order form</p>'.repeat(40)}</body></html>\n`;
// The link preview, included by SSI as public-site/index.html does.
const PREVIEW_SSI =
  '<!--# block name="no-preview" -->\n<!--# endblock --><!--# include virtual="/page-meta" stub="no-preview" -->';
/** The public page as nginx serves it, its preview included. */
const publicIndex = (preview) => PUBLIC_HEAD + preview + PUBLIC_REST;
// Without a preview (nothing set yet, or no answer): the stub, a line break as Prettier leaves it.
const PUBLIC_INDEX = publicIndex('\n');
const NOT_FOUND_PAGE = '<!doctype html><html><head><title>Страница не найдена</title></head><body><p>no such page</p></body></html>\n';
const ADMIN_INDEX = `<!doctype html><html><head><title>admin fixture</title><script type="module" src="/admin/assets/index-9c8d7e.js"></script></head><body><div id="root"></div></body></html>\n`;

let server;
let edge;
let token;
let fixtures;

function writeFixtures() {
  const dir = mkdtempSync(join(tmpdir(), 'order-desk-static-'));
  chmodSync(dir, 0o755);
  const publicRoot = join(dir, 'public');
  const adminRoot = join(dir, 'admin');
  mkdirSync(join(publicRoot, 'assets'), { recursive: true });
  mkdirSync(join(adminRoot, 'assets'), { recursive: true });
  writeFileSync(join(publicRoot, 'index.html'), PUBLIC_HEAD + PREVIEW_SSI + PUBLIC_REST);
  writeFileSync(join(publicRoot, 'assets', 'app-3f2a1b.js'), APP_JS);
  writeFileSync(join(publicRoot, '404.html'), NOT_FOUND_PAGE);
  writeFileSync(join(adminRoot, 'index.html'), ADMIN_INDEX);
  writeFileSync(join(adminRoot, 'assets', 'index-9c8d7e.js'), ADMIN_JS);
  return { dir, publicRoot, adminRoot };
}

before(async () => {
  server = await startServer({
    production: true,
    env: { TRUSTED_PROXIES: '127.0.0.1', RATE_LIMIT_LOGINS_PER_MINUTE: String(LOGIN_LIMIT) },
  });
  token = await registerAdmin(server);
  fixtures = writeFixtures();
  edge = await startNginx({
    upstream: `127.0.0.1:${server.port}`,
    publicRoot: fixtures.publicRoot,
    adminRoot: fixtures.adminRoot,
    // Two names: the first is where port 80 redirects.
    serverName: 'localhost www.localhost',
  });
});

after(async () => {
  await edge?.stop();
  await server?.stop();
  if (fixtures) rmSync(fixtures.dir, { recursive: true, force: true });
});

const get = (path, options = {}) => request(`${edge.httpsUrl}${path}`, { ca: edge.ca, ...options });
const post = (path, body, options = {}) =>
  request(`${edge.httpsUrl}${path}`, {
    ca: edge.ca,
    method: 'POST',
    body,
    ...options,
    headers: { 'content-type': 'application/json', ...options.headers },
  });
const gqlThroughEdge = async (query, variables = {}, options = {}) => {
  const response = await post('/graphql', JSON.stringify({ query, variables }), options);
  return { status: response.status, headers: response.headers, json: JSON.parse(response.body.toString()) };
};

describe('configuration', () => {
  test('nginx -t accepts nginx.conf with the rendered templates (Debian nginx 1.22)', () => {
    assert.equal(edge.configTest.status, 0, edge.configTest.output);
    assert.match(edge.configTest.output, /syntax is ok/);
    const version = spawnSync(nginxBinary(), ['-v'], { encoding: 'utf8' }).stderr;
    assert.match(version, /nginx\/1\.\d+/);
  });

  test('rendering substitutes exactly the six variables and leaves nginx variables alone', () => {
    for (const { name, text } of templates()) {
      const rendered = renderTemplate(text, edge.values);
      assert.doesNotMatch(rendered, /\$\{?[A-Z_][A-Z0-9_]*/, `${name}: an upper-case variable is left`);
      for (const variable of ['$host', '$request_uri', '$remote_addr', '$http_upgrade', '$uri']) {
        assert.ok(rendered.includes(variable), `${name}: nginx's ${variable} must survive rendering`);
      }
      for (const value of Object.values(edge.values)) {
        assert.ok(rendered.includes(value), `${name}: ${value} not rendered in`);
      }
    }
    assert.deepEqual(Object.keys(edge.values).sort(), [...TEMPLATE_VARS].sort());
  });

  test('the image substitutes exactly the six variables, whatever else is in its environment', () => {
    const runtime = readDockerfile(join(repoRoot, 'nginx/Dockerfile')).stages.at(-1);
    const filter = envInstructions(runtime.instructions).NGINX_ENVSUBST_FILTER;
    assert.ok(filter, 'nginx/Dockerfile sets NGINX_ENVSUBST_FILTER');
    // The nginx image's 20-envsubst-on-templates.sh, verbatim: the names it hands to envsubst.
    const imageScript =
      'defined_envs=$(printf \'${%s} \' $(awk "END { for (name in ENVIRON) { print ( name ~ /${filter}/ ) ? name : \\"\\" } }" < /dev/null )); ' +
      'envsubst "$defined_envs"';
    const env = {
      PATH: process.env.PATH,
      HOME: '/root',
      host: 'lower-case-like-nginx',
      UPSTREAM_EXTRA: 'prefix-of-a-template-variable',
      MY_UPSTREAM: 'suffix-of-a-template-variable',
      ...edge.values,
      filter,
    };
    const probe = '${UPSTREAM} ${SERVER_NAME} $host ${HOME} ${UPSTREAM_EXTRA} ${MY_UPSTREAM} $remote_addr';
    const rendered = spawnSync('sh', ['-c', imageScript], { env, input: probe, encoding: 'utf8' });
    assert.equal(rendered.status, 0, rendered.stderr);
    assert.equal(
      rendered.stdout,
      `${edge.values.UPSTREAM} ${edge.values.SERVER_NAME} $host \${HOME} \${UPSTREAM_EXTRA} \${MY_UPSTREAM} $remote_addr`,
    );
  });
});

/**
 * Sends raw bytes on a fresh TCP connection to nginx and collects everything that comes back
 * until nginx closes it: '' when nginx answered nothing at all (return 444).
 */
function rawExchange(port, text) {
  return new Promise((resolveExchange, reject) => {
    const chunks = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => resolveExchange(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', (error) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.setTimeout(10_000, () => socket.destroy(new Error('nginx kept the connection open')));
  });
}

describe('port 80', () => {
  test('redirects the site to https on its first name with 301, keeping the path and query', async () => {
    for (const path of ['/', '/admin/orders/123?tab=notes', '/graphql']) {
      const response = await request(`${edge.httpUrl}${path}`);
      assert.equal(response.status, 301, path);
      assert.equal(response.headers.location, `https://localhost${path}`, path);
    }
    const post = await request(`${edge.httpUrl}/graphql`, { method: 'POST', body: '{}' });
    assert.equal(post.status, 301);
    // The site's other name goes to the same place: the configured name, not the Host sent.
    const alias = await request(`${edge.httpUrl}/admin/?tab=1`, { headers: { host: `WWW.localhost:${edge.httpPort}` } });
    assert.equal(alias.status, 301);
    assert.equal(alias.headers.location, 'https://localhost/admin/?tab=1');
  });

  test('a request for any other name gets no answer at all, let alone a redirect to it', async () => {
    for (const host of ['evil.example', `evil.example:${edge.httpPort}`, 'localhost.evil.example', '127.0.0.1']) {
      for (const path of ['/', '/admin/?next=1', '/.well-known/acme-challenge/some-token']) {
        const answer = await rawExchange(edge.httpPort, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
        assert.equal(answer, '', `Host: ${host}, ${path}`);
      }
    }
    // No Host at all (HTTP/1.0) is no name of the site either.
    assert.equal(await rawExchange(edge.httpPort, 'GET / HTTP/1.0\r\n\r\n'), '');
    // The same through an ordinary client: the connection closes without a response.
    await assert.rejects(request(`${edge.httpUrl}/`, { headers: { host: 'evil.example' } }), /socket hang up|ECONNRESET/);
    // The site's names still answer on the same connection kind.
    const ok = await rawExchange(edge.httpPort, 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    assert.match(ok, /^HTTP\/1\.1 301 [^]*\r\nLocation: https:\/\/localhost\/\r\n/);
  });

  test('answers the ACME challenge path itself instead of redirecting', async () => {
    const response = await request(`${edge.httpUrl}/.well-known/acme-challenge/some-token`);
    assert.equal(response.status, 404, 'served from the certbot webroot (empty here), not redirected');
  });
});

describe('TLS', () => {
  /** A TLS handshake naming the site (SNI) unless `servername` says otherwise ('' for none). */
  function handshake(options) {
    return new Promise((resolveHandshake) => {
      let session;
      const target = { host: '127.0.0.1', port: edge.httpsPort, ca: edge.ca, servername: 'localhost', ...options };
      const socket = tls.connect(target, () => {
        const result = { ok: true, protocol: socket.getProtocol(), reused: socket.isSessionReused() };
        setTimeout(() => {
          result.session = session;
          socket.end();
          resolveHandshake(result);
        }, 100);
      });
      socket.on('session', (value) => {
        session = value;
      });
      socket.once('error', (error) => resolveHandshake({ ok: false, error: error.message }));
    });
  }

  test('TLS 1.2 and 1.3 are accepted, 1.1 is refused', async () => {
    const v13 = await handshake({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' });
    assert.equal(v13.protocol, 'TLSv1.3', JSON.stringify(v13));
    const v12 = await handshake({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    assert.equal(v12.protocol, 'TLSv1.2', JSON.stringify(v12));
    // The client side allows TLS 1.0/1.1 explicitly (security level 0); the server must refuse.
    const v11 = await handshake({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    assert.equal(v11.ok, false, 'TLS 1.1 handshake must fail');
  });

  test('sessions resume from the shared session cache', async () => {
    const first = await handshake({ maxVersion: 'TLSv1.2' });
    assert.ok(first.session, 'the server issued a session');
    const second = await handshake({ maxVersion: 'TLSv1.2', session: first.session });
    assert.equal(second.reused, true);
  });

  test('a handshake for another name, or for none (as for a bare IP address), is refused', async () => {
    for (const servername of ['evil.example', 'localhost.evil.example', '']) {
      // The client takes any certificate here: the refusal must come from nginx.
      const result = await handshake({ servername, checkServerIdentity: () => undefined });
      assert.equal(result.ok, false, `SNI "${servername}": ${JSON.stringify({ ...result, session: undefined })}`);
      assert.match(result.error, /unrecognized name|alert number 112/, servername);
    }
    // (The test certificate covers localhost only: the client skips the name check for the other.)
    for (const servername of ['localhost', 'www.localhost']) {
      const result = await handshake({ servername, checkServerIdentity: () => undefined });
      assert.equal(result.ok, true, `SNI "${servername}": ${JSON.stringify(result)}`);
    }
  });

  test('over a handshake for the site, a request for another Host is dropped unanswered', async () => {
    for (const host of ['evil.example', '127.0.0.1']) {
      await assert.rejects(get('/', { servername: 'localhost', headers: { host } }), /socket hang up|ECONNRESET/, host);
    }
    const alias = await get('/', { servername: 'localhost', headers: { host: 'www.localhost' } });
    assert.equal(alias.status, 200);
  });

  test('HTTP/2 is negotiated', async () => {
    const session = http2.connect(edge.httpsUrl, { ca: edge.ca, family: 4 });
    try {
      const status = await new Promise((resolveStatus, reject) => {
        const stream = session.request({ ':path': '/' });
        stream.on('response', (headers) => resolveStatus(headers[':status']));
        stream.on('error', reject);
        stream.resume();
        stream.end();
      });
      assert.equal(session.alpnProtocol, 'h2');
      assert.equal(status, 200);
    } finally {
      session.close();
    }
  });
});

describe('static sites', () => {
  test('/ serves the public page', async () => {
    const response = await get('/');
    assert.equal(response.status, 200);
    assert.equal(response.body.toString(), PUBLIC_INDEX);
    assert.match(response.headers['content-type'], /^text\/html/);
  });

  test('/admin/ and a deep link serve the admin SPA (history fallback)', async () => {
    for (const path of ['/admin/', '/admin/orders/123', '/admin/services?edit=4', '/admin/index.html']) {
      const response = await get(path);
      assert.equal(response.status, 200, path);
      assert.equal(response.body.toString(), ADMIN_INDEX, path);
    }
    const bare = await get('/admin');
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.location, '/admin/');
  });

  test('hashed assets are served and cached for a year, immutable', async () => {
    for (const [path, body] of [
      ['/assets/app-3f2a1b.js', APP_JS],
      ['/admin/assets/index-9c8d7e.js', ADMIN_JS],
    ]) {
      const response = await get(path);
      assert.equal(response.status, 200, path);
      assert.equal(response.body.toString(), body);
      assert.match(response.headers['content-type'], /javascript/);
      assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable', path);
    }
  });

  test('index.html is never cached without revalidation', async () => {
    for (const path of ['/', '/index.html', '/admin/', '/admin/orders/123']) {
      const response = await get(path);
      assert.equal(response.headers['cache-control'], 'no-cache', path);
    }
    for (const path of ['/admin/', '/admin/orders/123']) {
      const response = await get(path);
      assert.ok(response.headers.etag || response.headers['last-modified'], `${path}: revalidation needs a validator`);
    }
    // The public page includes its link preview as it is now: sent whole every time.
    for (const path of ['/', '/index.html']) {
      const response = await get(path);
      assert.equal(response.headers.etag, undefined, path);
      assert.equal(response.headers['last-modified'], undefined, path);
    }
  });

  test('an unknown page is the public 404 page, with status 404', async () => {
    for (const path of ['/nope', '/no/such/page']) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      assert.equal(response.body.toString(), NOT_FOUND_PAGE, path);
      assert.match(response.headers['content-type'], /text\/html/, path);
    }
  });

  test('a missing asset is a 404, not index.html, and is not cached as immutable', async () => {
    for (const path of ['/assets/gone-000000.js', '/admin/assets/gone-000000.js', '/no-such-page']) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      assert.doesNotMatch(response.body.toString(), /fixture/, path);
      assert.ok(!/immutable/.test(response.headers['cache-control'] ?? ''), path);
    }
  });

  test('text is gzipped', async () => {
    for (const [path, body] of [
      ['/assets/app-3f2a1b.js', APP_JS],
      ['/', PUBLIC_INDEX],
    ]) {
      const response = await get(path, { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(response.headers['content-encoding'], 'gzip', path);
      assert.match(response.headers.vary ?? '', /Accept-Encoding/i);
      assert.ok(response.body.length < body.length / 2, `${path}: ${response.body.length} bytes`);
      assert.equal(gunzipSync(response.body).toString(), body);
    }
  });
});

describe('the link preview', () => {
  const settings = (input) =>
    gqlOk(
      server,
      'mutation($i: BusinessSettingsInput!) { updateBusinessSettings(input: $i) { name } }',
      { i: input },
      token,
    );
  after(() => settings({}));

  test("the public page includes the business's Open Graph tags from the server", async () => {
    await settings({ name: 'Студия «Пиксель» & Co', about: 'Сайты и реклама\nдля малого бизнеса.' });
    // The server reads the settings for previews at most every two seconds.
    const page = await eventually(
      'the page naming the business',
      () => get('/'),
      (response) => response.body.toString().includes('og:title'),
    );
    assert.equal(page.status, 200);
    // The page with the schema.org data taken out, and that data.
    const [head, data, rest] = page.body.toString().split(/<script type="application\/ld\+json">(.*?)<\/script>\n/);
    assert.equal(
      head + rest,
      publicIndex(
        '<meta property="og:site_name" content="Студия «Пиксель» &amp; Co" />\n' +
          '<meta property="og:title" content="Студия «Пиксель» &amp; Co" />\n' +
          '<meta property="og:description" content="Сайты и реклама для малого бизнеса." />\n' +
          '<meta property="og:type" content="website" />\n' +
          '<meta property="og:locale" content="ru_RU" />\n' +
          '<meta name="twitter:card" content="summary" />\n',
      ),
    );
    // The business for search engines, at the address the visitor reached.
    assert.deepEqual(JSON.parse(data), {
      '@context': 'https://schema.org',
      '@type': 'LocalBusiness',
      name: 'Студия «Пиксель» & Co',
      description: 'Сайты и реклама для малого бизнеса.',
      url: 'https://localhost/',
    });
    // A crawler revalidating gets the business as it is now, never a 304 by the file's time.
    const later = await get('/', {
      headers: { 'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString(), 'if-none-match': '*' },
    });
    assert.equal(later.status, 200);
    assert.equal(later.body.toString(), page.body.toString());
    // Only nginx's own subrequest reaches the server's tags.
    const direct = await get('/page-meta');
    assert.equal(direct.status, 404);
    assert.doesNotMatch(direct.body.toString(), /og:/);
  });

  test("the server's error is never pasted into the page, and the visitor's headers do not reach it", async () => {
    const seen = [];
    const failing = createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
    });
    await new Promise((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const broken = await startNginx({
      upstream: `127.0.0.1:${failing.address().port}`,
      publicRoot: fixtures.publicRoot,
      adminRoot: fixtures.adminRoot,
    });
    try {
      const page = await request(`${broken.httpsUrl}/`, {
        ca: broken.ca,
        headers: { cookie: 'session=secret', range: 'bytes=0-10', 'accept-encoding': 'gzip' },
      });
      assert.equal(page.status, 200);
      assert.equal(gunzipSync(page.body).toString(), PUBLIC_INDEX);
      assert.deepEqual(
        seen.map((r) => r.url),
        ['/page-meta'],
      );
      const { headers } = seen[0];
      assert.equal(headers.cookie, undefined);
      assert.equal(headers.range, undefined);
      assert.equal(headers['accept-encoding'], undefined);
      assert.equal(headers['x-forwarded-proto'], 'https', 'the scheme still goes, for the logo address');
    } finally {
      await broken.stop();
      failing.close();
    }
  });

  test('without the server the page is served, without its preview', async () => {
    const dead = await startNginx({
      upstream: `127.0.0.1:${await freePort()}`,
      publicRoot: fixtures.publicRoot,
      adminRoot: fixtures.adminRoot,
    });
    try {
      const page = await request(`${dead.httpsUrl}/`, { ca: dead.ca });
      assert.equal(page.status, 200);
      assert.equal(page.body.toString(), PUBLIC_INDEX);
    } finally {
      await dead.stop();
    }
  });
});

describe('security headers', () => {
  const csp = (headers) =>
    Object.fromEntries(
      headers['content-security-policy'].split(';').map((part) => {
        const [name, ...values] = part.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );

  test('on pages, API responses and errors', async () => {
    const responses = {
      public: await get('/'),
      admin: await get('/admin/orders/1'),
      graphql: await post('/graphql', JSON.stringify({ query: '{ adminExists }' })),
      notFound: await get('/no-such-page'),
    };
    for (const [name, response] of Object.entries(responses)) {
      const h = response.headers;
      assert.match(h['strict-transport-security'] ?? '', /max-age=(\d{8,})/, name);
      assert.ok(Number(/max-age=(\d+)/.exec(h['strict-transport-security'])[1]) >= 31536000, name);
      assert.equal(h['x-content-type-options'], 'nosniff', name);
      assert.equal(h['referrer-policy'], 'same-origin', name);
      assert.match(h['permissions-policy'] ?? '', /camera=\(\)/, name);
      assert.match(h['permissions-policy'] ?? '', /geolocation=\(\)/, name);
      assert.equal(h.server, 'nginx', `${name}: no version in Server`);
      const policy = csp(h);
      assert.equal(policy['default-src'], "'self'", name);
      assert.equal(policy['script-src'], "'self'", name);
      assert.equal(policy['style-src'], "'self'", name);
      assert.equal(policy['object-src'], "'none'", name);
      assert.equal(policy['frame-src'], "'self'", name);
      assert.equal(policy['connect-src'], "'self'", name);
      assert.ok(!/unsafe|\*|http:/.test(h['content-security-policy']), `${name}: nothing loose in the CSP`);
    }
    // The public page may be framed by this site only (the admin's heatmap); the admin by nobody.
    assert.equal(csp(responses.public.headers)['frame-ancestors'], "'self'");
    assert.equal(responses.public.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(csp(responses.admin.headers)['frame-ancestors'], "'none'");
    assert.equal(responses.admin.headers['x-frame-options'], 'DENY');
  });

  test('error pages do not name the nginx version', async () => {
    const response = await get('/no-such-page');
    assert.doesNotMatch(response.body.toString(), /nginx\/\d/);
  });
});

describe('API through nginx', () => {
  test('POST /graphql reaches the server', async () => {
    const { status, json } = await gqlThroughEdge('{ adminExists services { id } }');
    assert.equal(status, 200);
    assert.deepEqual(json, { data: { adminExists: true, services: [] } });
  });

  test('a plain GET /graphql gets the server\'s 405 (only the WebSocket upgrade uses GET)', async () => {
    const response = await get('/graphql');
    assert.equal(response.status, 405);
    assert.equal(response.headers.allow, 'POST');
  });

  test('a servicesChanged subscription over WebSocket through nginx receives a change', async () => {
    const ca = edge.ca;
    class TlsWebSocket extends WebSocket {
      constructor(address, protocols) {
        super(address, protocols, { ca, family: 4 });
      }
    }
    const client = createClient({
      url: `${edge.wssUrl}/graphql`,
      webSocketImpl: TlsWebSocket,
      retryAttempts: 0,
      lazy: false,
    });
    try {
      const connected = new Promise((resolveConnected, reject) => {
        client.on('connected', resolveConnected);
        client.on('error', reject);
      });
      const names = [];
      const received = new Promise((resolveReceived, reject) => {
        const timer = setTimeout(() => reject(new Error('no servicesChanged event within 15 s')), 15_000);
        client.subscribe(
          { query: 'subscription { servicesChanged { id name } }' },
          {
            next: ({ data, errors }) => {
              if (errors) return reject(new Error(JSON.stringify(errors)));
              if (data.servicesChanged.some((s) => names.includes(s.name))) {
                clearTimeout(timer);
                resolveReceived(data.servicesChanged);
              }
            },
            error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
            complete: () => {},
          },
        );
      });
      await connected;
      // The subscription starts asynchronously on the server: change the services until the
      // subscriber sees one of the changes (bounded).
      let list;
      for (let attempt = 1; attempt <= 10 && !list; attempt += 1) {
        const name = `Audit ${attempt}`;
        names.push(name);
        const { json } = await gqlThroughEdge(
          'mutation($input: ServiceInput!) { createService(input: $input) { id name } }',
          { input: { name } },
          { headers: { authorization: `Bearer ${token}` } },
        );
        assert.equal(json.data?.createService?.name, name, JSON.stringify(json));
        list = await Promise.race([received, new Promise((r) => setTimeout(() => r(undefined), 500))]);
      }
      assert.ok(list, 'subscriber received the new list');
      assert.ok(list.some((s) => s.name.startsWith('Audit ')));
    } finally {
      await client.dispose();
    }
  });

  test('the CSV export streams through /export/ with the admin token', async () => {
    const response = await get('/export/leads.csv', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200, response.body.toString());
    assert.match(response.headers['content-type'], /^text\/csv/);
    assert.equal(response.headers['cache-control'], 'no-store', 'the server\'s own Cache-Control passes unchanged');
    assert.ok(response.body.length > 0);
    const anonymous = await get('/export/leads.csv');
    assert.notEqual(anonymous.status, 200);
  });

  test("the uploaded logo keeps the server's Cache-Control, once", async () => {
    // A 1×1 PNG.
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    const update = 'mutation($i: BusinessSettingsInput!) { updateBusinessSettings(input: $i) { logoUrl } }';
    const saved = await gqlOk(server, update, { i: { logoUpload: `data:image/png;base64,${png}` } }, token);
    try {
      const address = saved.updateBusinessSettings.logoUrl;
      assert.match(address, /^\/media\/logo\?v=/);
      const response = await get(address);
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], 'image/png');
      assert.equal(response.headers['cache-control'], 'public, max-age=3600');
      assert.deepEqual(response.body, Buffer.from(png, 'base64'));
    } finally {
      await gqlOk(server, update, { i: { removeLogo: true } }, token);
    }
  });

  test('/graphiql and /healthz are not routed from outside', async () => {
    const direct = await fetch(`${server.url}/healthz`);
    assert.equal(direct.status, 200, 'the server itself answers /healthz');
    for (const path of ['/healthz', '/graphiql', '/graphiql/', '/graphiql/assets/graphiql.min.js']) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
    }
  });

  test('an oversized body is refused by nginx with 413 before it reaches the server', async () => {
    const padding = ' '.repeat(300 * 1024);
    const big = await post('/graphql', `{"query":"{ adminExists }"${padding}}`);
    assert.equal(big.status, 413);
    assert.match(big.body.toString(), /<center>nginx<\/center>/, 'nginx\'s own 413 page');
    // A request just under the server's 256 KiB cap still passes the edge.
    const fits = await post('/graphql', `{"query":"{ adminExists }"${' '.repeat(200 * 1024)}}`);
    assert.equal(fits.status, 200);
  });

  test('X-Real-IP reaches the server: its per-IP sign-in limit sees each client separately', async () => {
    const login = (localAddress, headers = {}) =>
      gqlThroughEdge(
        'mutation { login(email: "nobody@example.com", password: "wrong password here") { token } }',
        {},
        { localAddress, headers },
      ).then(({ json }) => json.errors?.[0]?.extensions?.code);

    const first = [];
    for (let i = 0; i < LOGIN_LIMIT + 2; i += 1) first.push(await login('127.0.0.2'));
    assert.equal(first.at(-1), 'RATE_LIMITED', `client 127.0.0.2: ${first}`);
    assert.notEqual(first[0], 'RATE_LIMITED');
    // Another client address is not limited: the server saw the address nginx forwarded, not
    // nginx's own (127.0.0.1, the trusted proxy).
    assert.notEqual(await login('127.0.0.3'), 'RATE_LIMITED');
    // A client cannot pick its address: nginx replaces what it claims.
    assert.equal(
      await login('127.0.0.2', { 'x-real-ip': '10.9.8.7', 'x-forwarded-for': '10.9.8.7' }),
      'RATE_LIMITED',
    );
  });

  test('one client address keeps at most 32 WebSockets open', async () => {
    const url = `${edge.wssUrl}/graphql`;
    const held = [];
    /** Opens a socket from `localAddress`: its upgrade status (101 when it opened). */
    const open = (localAddress) =>
      new Promise((resolve) => {
        const socket = new WebSocket(url, 'graphql-transport-ws', {
          rejectUnauthorized: false,
          localAddress,
          family: 4,
        });
        held.push(socket);
        socket.on('open', () => resolve(101));
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode));
        socket.on('error', () => {});
      });
    try {
      const statuses = [];
      for (let i = 0; i < 32; i += 1) statuses.push(await open('127.0.0.12'));
      assert.deepEqual(new Set(statuses), new Set([101]));
      assert.equal(await open('127.0.0.12'), 429, 'the 33rd is refused');
      assert.equal(await open('127.0.0.13'), 101, 'another address still connects');
    } finally {
      for (const socket of held) socket.terminate();
    }
  });

  test('limit_req answers 429 to a burst on /graphql', async () => {
    // Its own client address, so the limit does not spill into other tests.
    const body = JSON.stringify({ query: '{ adminExists }' });
    const statuses = await Promise.all(
      Array.from({ length: 150 }, () =>
        post('/graphql', body, { localAddress: '127.0.0.9' }).then((r) => r.status),
      ),
    );
    const count = (code) => statuses.filter((s) => s === code).length;
    assert.ok(count(200) >= 50, `the burst allowance passes: ${count(200)} × 200`);
    assert.ok(count(429) > 0, `the rest is limited: ${count(429)} × 429`);
    assert.equal(count(200) + count(429), statuses.length, `only 200/429: ${[...new Set(statuses)]}`);
    // Another client is unaffected.
    const { status } = await gqlThroughEdge('{ adminExists }', {}, { localAddress: '127.0.0.10' });
    assert.equal(status, 200);
  });
});

describe('image entrypoint: self-signed fallback (nginx/docker-entrypoint.d/*.envsh)', () => {
  const script = join(repoRoot, 'nginx/docker-entrypoint.d/19-order-desk-tls.envsh');
  // Sourced by /bin/sh (dash here, as in the Debian-based nginx image) like the entrypoint does.
  const source = (env) =>
    spawnSync('sh', ['-c', `set -e; . "${script}"; echo "$TLS_CERT|$TLS_KEY"`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, ...env },
    });

  const missing = { TLS_CERT: '/nonexistent/fullchain.pem', TLS_KEY: '/nonexistent/privkey.pem' };

  test('by default a missing certificate stops the container, saying what to do', () => {
    for (const env of [missing, { ...missing, TLS_FALLBACK: '' }, { ...missing, TLS_FALLBACK: '0' }]) {
      const result = source(env);
      assert.equal(result.status, 1, JSON.stringify(env));
      assert.match(result.stderr, /ERROR: no readable certificate .*not starting/);
      assert.match(result.stderr, /scripts\/gen-dev-cert\.sh/);
      assert.match(result.stderr, /TLS_FALLBACK=1/);
      assert.doesNotMatch(result.stderr, /WARNING/, 'no fallback certificate was made');
      assert.equal(result.stdout, '', 'nothing after it ran');
    }
  });

  test('a TLS_FALLBACK other than 0 or 1 stops the container', () => {
    for (const value of ['yes', 'true', '2']) {
      const result = source({ TLS_CERT: edge.values.TLS_CERT, TLS_KEY: edge.values.TLS_KEY, TLS_FALLBACK: value });
      assert.equal(result.status, 1, value);
      assert.match(result.stderr, /ERROR: TLS_FALLBACK=.*expected 0 .* or 1/, value);
    }
  });

  test('keeps a readable certificate as it is', () => {
    const result = source({ TLS_CERT: edge.values.TLS_CERT, TLS_KEY: edge.values.TLS_KEY });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), `${edge.values.TLS_CERT}|${edge.values.TLS_KEY}`);
    assert.equal(result.stderr, '');
  });

  test('with TLS_FALLBACK=1 and none, makes a temporary self-signed certificate and exports its paths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'order-desk-fallback-'));
    try {
      const fallback = join(dir, 'self-signed');
      const result = source({
        TLS_CERT: join(dir, 'missing.pem'),
        TLS_KEY: join(dir, 'missing.key'),
        SERVER_NAME: 'orders.example.com www.example.com',
        TLS_FALLBACK: '1',
        TLS_FALLBACK_DIR: fallback,
      });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout.trim(), `${fallback}/fullchain.pem|${fallback}/privkey.pem`);
      assert.match(result.stderr, /WARNING: no readable certificate/);
      const subject = spawnSync('openssl', ['x509', '-in', `${fallback}/fullchain.pem`, '-noout', '-subject'], {
        encoding: 'utf8',
      });
      assert.match(subject.stdout, /CN\s*=\s*orders\.example\.com/);
      assert.ok(existsSync(`${fallback}/privkey.pem`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('scripts/gen-dev-cert.sh', () => {
  test('makes a certificate nginx serves, with localhost and loopback names, and will not overwrite it', () => {
    const text = spawnSync('openssl', ['x509', '-in', edge.values.TLS_CERT, '-noout', '-text'], { encoding: 'utf8' }).stdout;
    assert.match(text, /DNS:localhost/);
    assert.match(text, /IP Address:127\.0\.0\.1/);
    assert.ok(readFileSync(edge.values.TLS_KEY).length > 0);
    const again = spawnSync('sh', [join(repoRoot, 'scripts/gen-dev-cert.sh'), 'localhost', join(edge.dir, 'certs')], {
      encoding: 'utf8',
    });
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /already exists/);
  });
});

// The real builds (make test-e2e builds them first) behind the same configuration, in
// Chromium: the CSP must not break the pages, the admin may frame the public page, nobody else
// may frame either.
describe('the real front-ends behind nginx, in Chromium', () => {
  const publicRoot = join(repoRoot, 'public-site/dist');
  const adminRoot = join(repoRoot, 'admin-spa/dist');
  let realEdge;
  let browser;
  let context;
  let session;

  before(async () => {
    for (const root of [publicRoot, adminRoot]) {
      assert.ok(existsSync(join(root, 'index.html')), `${root} missing: make public-site admin-spa`);
    }
    realEdge = await startNginx({ upstream: `127.0.0.1:${server.port}`, publicRoot, adminRoot });
    const login = await server.gql(
      'mutation { login(email: "owner@example.com", password: "correct horse battery") { token expiresAt admin { email } } }',
    );
    assert.ok(login.data, JSON.stringify(login));
    const created = await server.gql(
      'mutation { createService(input: { name: "Heatmap check" }) { id } }',
      {},
      login.data.login.token,
    );
    assert.ok(created.data, JSON.stringify(created));
    session = {
      token: login.data.login.token,
      expiresAt: login.data.login.expiresAt,
      email: login.data.login.admin.email,
    };
    browser = await launchBrowser();
    // The certificate is self-signed: the browser is told to accept it, as a person would.
    context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
    await context.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
  });

  after(async () => {
    await browser?.close();
    await realEdge?.stop();
  });

  test('pages, live subscriptions and the heatmap preview work under the CSP', async () => {
    await context.addInitScript((value) => localStorage.setItem('orderDesk.session', JSON.stringify(value)), session);
    const page = await context.newPage();
    const consoleCsp = [];
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && consoleCsp.push(m.text()));
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    try {
      await page.goto(`${realEdge.httpsUrl}/`);
      await page.locator('#f-serviceId option', { hasText: 'Heatmap check' }).first().waitFor({ state: 'attached', timeout: 15_000 });
      await screenshot(page, 'nginx', 'public');
      assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'public page');

      await page.goto(`${realEdge.httpsUrl}/admin/services`);
      await page.getByText('Heatmap check').first().waitFor({ timeout: 15_000 });
      assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'admin services');

      await page.goto(`${realEdge.httpsUrl}/admin/stats`);
      await page.getByTestId('heatmap-canvas').waitFor({ timeout: 15_000 });
      const preview = page.frameLocator('.heatmap__stage iframe');
      await preview.locator('#heading').waitFor({ timeout: 15_000 });
      await screenshot(page, 'nginx', 'admin-stats');
      assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'admin statistics');
      assert.deepEqual(consoleCsp, []);
      assert.ok(
        sockets.every((url) => url === `${realEdge.wssUrl}/graphql`) && sockets.length >= 2,
        `subscriptions over wss through nginx: ${sockets}`,
      );
    } finally {
      await page.close();
    }
  });

  test('another origin can frame neither the public page nor the admin', async () => {
    const framing = createServer((req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(
        `<iframe id="public" src="${realEdge.httpsUrl}/"></iframe><iframe id="admin" src="${realEdge.httpsUrl}/admin/"></iframe>`,
      );
    });
    await new Promise((r) => framing.listen(0, '127.0.0.1', r));
    const page = await context.newPage();
    const refused = [];
    page.on('console', (m) => /frame-ancestors/.test(m.text()) && refused.push(m.text()));
    try {
      await page.goto(`http://127.0.0.1:${framing.address().port}/`);
      // Chromium reports each refusal when the frame's headers arrive.
      await eventually('both frames refused', () => refused.length, (count) => count >= 2);
      for (const frame of page.frames().slice(1)) {
        const loaded = await frame.evaluate(() => document.title).catch(() => '');
        assert.ok(!/Order Desk/.test(loaded), `${frame.url()} rendered inside a foreign page`);
      }
      assert.equal(refused.length, 2, `Chromium refused both: ${refused.join('\n')}`);
    } finally {
      await page.close();
      await new Promise((r) => framing.close(r));
    }
  });
});
