// First run on a production server: the real server in production mode behind the real nginx
// (the repository's configuration, as in nginx.test.mjs) serving the built admin-spa/dist. The
// registration form asks for the one-time setup code the server printed in its log, refuses a
// wrong one beside the input, and creates the owner with the right one. In development the
// form asks for no code.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startNginx } from '../infra/nginx.mjs';
import { launchBrowser } from '../support/browser.mjs';
import { repoRoot, startServer } from '../support/server.mjs';
import { gqlOk } from './api.mjs';
import { AdminApp } from './pages/app.mjs';
import { SignInPage } from './pages/signIn.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';
const CODE_LABEL = /^(Код настройки|Setup code)$/;
const adminDist = join(repoRoot, 'admin-spa/dist');

/** The setup code from the server's log: a JSON line (production) with a `setup_code` field. */
function setupCodeFromLog(logs) {
  for (const line of logs.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line);
      const code = (entry.fields ?? entry).setup_code;
      if (typeof code === 'string') return code;
    } catch {
      // not a log entry
    }
  }
  return null;
}

/** A code of the same shape that is not `code`. */
function another(code) {
  const last = code.at(-1) === 'Z' ? 'Y' : 'Z';
  return `${code.slice(0, -1)}${last}`;
}

function waitForSetupCode(server) {
  return server.waitForLog(setupCodeFromLog, 'setup_code');
}

describe('production first run', () => {
  let server;
  let edge;
  let roots;
  let browser;
  let page;
  let app;

  before(async () => {
    assert.ok(existsSync(join(adminDist, 'index.html')), 'build the SPA first: cd admin-spa && npm run build');
    server = await startServer({
      production: true,
      env: { JWT_SECRET: randomBytes(32).toString('hex'), TRUSTED_PROXIES: '127.0.0.1' },
    });
    // nginx's workers run unprivileged: the static roots go where they can read them.
    roots = mkdtempSync(join(tmpdir(), 'order-desk-setup-code-'));
    chmodSync(roots, 0o755);
    cpSync(adminDist, join(roots, 'admin'), { recursive: true });
    mkdirSync(join(roots, 'public'));
    writeFileSync(join(roots, 'public', 'index.html'), '<!doctype html><title>public</title>\n');
    edge = await startNginx({
      upstream: `127.0.0.1:${server.port}`,
      publicRoot: join(roots, 'public'),
      adminRoot: join(roots, 'admin'),
    });
    browser = await launchBrowser();
    // The edge's certificate is self-signed, made for this run.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'ru-RU',
      ignoreHTTPSErrors: true,
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    app = new AdminApp(page, edge.httpsUrl);
  });

  after(async () => {
    await browser?.close();
    await edge?.stop();
    await server?.stop();
    if (roots) rmSync(roots, { recursive: true, force: true });
  });

  test('the form asks for the code from the log, refuses a wrong one, accepts the right one', async () => {
    const code = await waitForSetupCode(server);
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const signIn = new SignInPage(app);
    await app.goto('/orders');
    await signIn.waitForRegistration();
    const input = page.getByLabel(CODE_LABEL);
    await input.waitFor();
    const describedBy = await input.getAttribute('aria-describedby');
    const hint = page.locator(`[id="${describedBy}"]`);
    assert.match(await hint.textContent(), /docker compose logs server/);
    await app.shots('register-setup-code');

    // A wrong code: the server's answer beside the code input, nobody registered.
    await input.fill(another(code));
    await signIn.register(EMAIL, PASSWORD);
    const wrong = 'Код настройки неверный: скопируйте его из журнала сервера';
    await page.getByText(wrong).waitFor();
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    assert.match(await input.getAttribute('aria-describedby'), /-setupCode-err$/);
    assert.equal(await signIn.error().count(), 0, 'no general error: the field says it');
    assert.deepEqual(await gqlOk(server, '{ adminExists setupCodeRequired }'), {
      adminExists: false,
      setupCodeRequired: true,
    });
    await app.shots('register-setup-code-wrong');

    // Typed loosely (lower case, spaces for dashes), submitted from the keyboard.
    await input.fill(code.toLowerCase().replaceAll('-', ' '));
    await page.getByLabel(/Пароль ещё раз|Password again/).press('Enter');
    await page.getByText(/Заявок пока нет/).waitFor();
    assert.equal(app.location(), '/orders');
    assert.deepEqual(await gqlOk(server, '{ adminExists setupCodeRequired }'), {
      adminExists: true,
      setupCodeRequired: false,
    });
    assert.deepEqual(app.errors, []);
  });
});

describe('development first run', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('asks for no setup code and the server prints none', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    page.setDefaultTimeout(10_000);
    const app = new AdminApp(page, server.url);
    await app.goto('/login');
    const signIn = new SignInPage(app);
    await signIn.waitForRegistration();
    assert.equal(await page.getByLabel(CODE_LABEL).count(), 0);
    assert.doesNotMatch(server.logs(), /setup_code/);
    await signIn.register(EMAIL, PASSWORD);
    await page.getByText(/Заявок пока нет|No orders yet/).waitFor();
    assert.equal(app.location(), '/orders');
  });
});
