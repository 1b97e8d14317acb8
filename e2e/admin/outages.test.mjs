// The panel when the server goes away and comes back (a stop, an upgrade), against the real
// binary restarted on the same port and database:
// * the statistics' code, loaded when first opened, cannot be fetched: the menu stays, the
//   screen's area says why and loads on "try again";
// * the live connection drops: the orders list says so (role="status", both languages) until
//   it is back, the panel keeps retrying through a long outage; the order sent before it
//   reconnected and the one sent after both appear without a reload.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { eventually } from '../public-site/page.mjs';
import { baseEnv, launch } from '../resilience/server.mjs';
import { launchBrowser } from '../support/browser.mjs';
import { registerAdmin, repoRoot } from '../support/server.mjs';
import { submitOrder } from './api.mjs';
import { AdminApp } from './pages/app.mjs';
import { OrdersPage } from './pages/orders.mjs';
import { SignInPage } from './pages/signIn.mjs';
import { StatsPage } from './pages/stats.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';
/** How long the panel may take to hear the server again. A bound for a loaded machine, not a
 * figure: the retries' capped wait (5 s) is client.test.ts's (`retryDelay`). */
const BACK_WITHIN_MS = 30_000;

let dataDir;
let env;
let server;
let browser;

/** The launched server with what api.mjs's helpers call on it. */
function withGql(launched) {
  return {
    ...launched,
    secret: env.JWT_SECRET,
    async gql(query, variables = {}, token) {
      const headers = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch(`${launched.url}/graphql`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
  };
}

const order = (name) => ({
  name,
  surname: 'Перерывов',
  email: `${name.toLowerCase()}@example.com`,
  budget: '10 млн',
  companySize: '1000',
  deadline: 'срочно',
});

before(async () => {
  // The database outlives the server process: the restart finds the admin, the session and
  // the orders where they were.
  dataDir = mkdtempSync(join(tmpdir(), 'order-desk-outages-'));
  env = baseEnv({
    databaseUrl: `sqlite://${join(dataDir, 'e2e.db')}?mode=rwc`,
    env: { STATIC_ROOT: repoRoot },
  });
  server = withGql(await launch(env));
  await registerAdmin(server, EMAIL, PASSWORD);
  await submitOrder(server, order('Первый'));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.terminate();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function signedIn(path) {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: 'ru-RU',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const app = new AdminApp(page, server.url);
  await app.goto(path);
  const signIn = new SignInPage(app);
  await signIn.waitForSignIn();
  await signIn.signIn(EMAIL, PASSWORD);
  return { context, page, app };
}

/** Every stylesheet of the page loaded: a failed `<link>` has a sheet whose rules cannot be
 * read. */
const stylesheetsLoaded = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('link[rel="stylesheet"]')].every((link) => {
      try {
        return link.sheet.cssRules.length > 0;
      } catch {
        return false;
      }
    }),
  );

// As with the server away, or after an upgrade renamed the chunks this old page asks for: its
// code alone, or its code and its stylesheet (which only a reload brings back, see LazyScreen).
for (const [what, chunk] of [
  ['code', '**/admin/assets/StatsPage-*.js'],
  ['code and styles', '**/admin/assets/StatsPage-*.{js,css}'],
]) {
  test(`statistics whose ${what} cannot be fetched keep the menu, say why, and load on retry`, async () => {
    const { context, page, app } = await signedIn('/orders');
    const orders = new OrdersPage(app);
    await orders.waitForRows();

    let refused = 0;
    await page.route(chunk, (route) => {
      refused += 1;
      return route.abort('connectionrefused');
    });
    await app.nav('Статистика').click();

    const stats = new StatsPage(app);
    const wholePanelFailed = page.getByTestId('app-error');
    await stats.loadFailed().or(wholePanelFailed).waitFor();
    assert.equal(await wholePanelFailed.count(), 0, 'not the whole-panel failure');
    // Vite preloads the chunk and imports it: one or two requests, both refused.
    assert.ok(refused >= 1, 'the screen asked for its code');
    assert.match(
      await stats.loadFailed().textContent(),
      /Раздел не загрузился.*новая версия панели/,
    );
    assert.ok(await app.nav('Заявки').isVisible(), 'the menu stays');
    assert.ok(await page.getByRole('button', { name: 'Обновить страницу' }).isVisible());
    assert.equal(app.location(), '/stats');

    // The server is reachable again: "try again" fetches the screen afresh (React.lazy would
    // keep the failed import for good), styles included.
    await page.unroute(chunk);
    await page.getByRole('button', { name: 'Попробовать ещё раз' }).click();
    await page.getByTestId('stat-cards').waitFor();
    assert.equal(await stats.loadFailed().count(), 0);
    assert.equal(await stylesheetsLoaded(page), true, 'the screen is styled');
    await context.close();
  });
}

test('a lost live connection is shown until it is back, retried through the outage, and orders arrive again without a reload', async (t) => {
  const { context, page, app } = await signedIn('/orders');
  const orders = new OrdersPage(app);
  await orders.waitForRows();
  await app.waitForSubscription('leadCreated');
  assert.equal(await orders.liveDown().count(), 0, 'nothing to say while connected');
  // The live region is there before it has anything to say (announced when its text changes).
  assert.equal(await page.getByTestId('live-status').getAttribute('role'), 'status');

  const { port } = server;
  await server.terminate();
  await orders.liveDown().waitFor();
  assert.equal(
    await orders.liveDown().textContent(),
    'Нет связи с сервером — новые заявки появятся, когда связь вернётся.',
  );
  await app.setLanguage('en');
  assert.equal(
    await orders.liveDown().textContent(),
    'Cannot reach the server — new orders will appear when the connection is back.',
  );
  await app.setLanguage('ru');

  // Let the panel fail to reconnect four times (an outage of some seconds, not a blip).
  const socketsAtStop = app.sockets.length;
  await eventually(
    'four attempts to reconnect while the server is away',
    () => app.sockets.length - socketsAtStop,
    (attempts) => attempts >= 4,
    { timeout: 30_000 },
  );
  assert.ok(await orders.liveDown().isVisible(), 'still down: nothing answers');

  server = withGql(await launch({ ...env, BIND_ADDR: `127.0.0.1:${port}` }));
  const back = Date.now();
  // Sent before the panel is back: no event reaches it, the list's refetch on reconnect does.
  const missed = await submitOrder(server, order('Пропущенный'));
  const missedWhileDown = await orders.liveDown().isVisible();
  await orders.liveDown().waitFor({ state: 'detached', timeout: BACK_WITHIN_MS });
  t.diagnostic(`the panel was live again ${Date.now() - back} ms after the server`);
  t.diagnostic(`an order was sent while the panel was still down: ${missedWhileDown}`);
  await orders.row(missed.id).waitFor();
  await app.waitForSubscription('leadCreated');

  const receipt = await submitOrder(server, order('Вернувшийся'));
  await orders.row(receipt.id).waitFor();
  await page.getByTestId('toast').filter({ hasText: 'Перерывов Вернувшийся' }).waitFor();
  assert.equal(app.location(), '/orders');
  await context.close();
});
