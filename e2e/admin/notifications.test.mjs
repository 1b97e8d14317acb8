// The Notifications panel against the real server and a local webhook receiver: the channels
// (never their secrets), a given-up message retried from the panel, a test message sent with
// the keyboard, both languages, dark mode and a 390 px phone.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { eventually, waitInPage } from '../public-site/page.mjs';
import { launchBrowser, screenshot } from '../support/browser.mjs';
import { registerAdmin, startServer } from '../support/server.mjs';
import { gqlOk, submitOrder } from './api.mjs';
import { AdminApp } from './pages/app.mjs';
import { NotificationsPage } from './pages/notifications.mjs';
import { SignInPage } from './pages/signIn.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';
const WEBHOOK_SECRET = 'e2e-webhook-secret-5d41402abc4b2a76';

/** A receiver that checks the signature; it answers 500 while `failing`. */
function startReceiver() {
  const got = [];
  const state = { failing: true, hits: 0 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      state.hits += 1;
      if (state.failing) {
        res.writeHead(500).end();
        return;
      }
      const body = Buffer.concat(chunks);
      const timestamp = req.headers['x-order-desk-timestamp'];
      const expected = `sha256=${createHmac('sha256', WEBHOOK_SECRET)
        .update(`${timestamp}.`)
        .update(body)
        .digest('hex')}`;
      const given = String(req.headers['x-signature-256'] ?? '');
      const valid =
        given.length === expected.length &&
        timingSafeEqual(Buffer.from(given), Buffer.from(expected)) &&
        Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
      if (!valid) {
        res.writeHead(401).end();
        return;
      }
      got.push(JSON.parse(String(body)));
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}/hooks/desk`, got, state, server });
    });
  });
}

let receiver;
let server;
let browser;
let context;
let page;
let app;
let token;
let orderId;

before(async () => {
  receiver = await startReceiver();
  server = await startServer({
    env: {
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET,
      PUBLIC_URL: 'https://desk.example.com',
      NOTIFY_MAX_ATTEMPTS: '1',
      NOTIFY_POLL_INTERVAL: '200ms',
    },
  });
  token = await registerAdmin(server, EMAIL, PASSWORD);
  browser = await launchBrowser();
  context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: 'ru-RU',
    timezoneId: 'UTC',
  });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  app = new AdminApp(page, server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  receiver?.server.close();
});

test('a hot order the receiver refused is given up and shown as such', async () => {
  const receipt = await submitOrder(server, {
    name: 'Хвост',
    surname: 'Срочный',
    email: 'hot@example.com',
    budget: '10 млн',
    companySize: '1000',
    deadline: 'срочно',
  });
  orderId = receipt.id;
  await eventually(
    'the given-up row',
    () =>
      gqlOk(server, '{ notificationDeliveries(status: FAILED) { id leadId } }', {}, token),
    (data) => data.notificationDeliveries.some((d) => d.leadId === orderId),
  );
  assert.equal(receiver.state.hits, 1, 'one attempt (NOTIFY_MAX_ATTEMPTS=1)');
});

test('the panel lists the channels without secrets and the given-up message', async () => {
  const signIn = new SignInPage(app);
  await app.goto('/notifications');
  await signIn.waitForSignIn();
  await signIn.signIn(EMAIL, PASSWORD);
  const panel = new NotificationsPage(app);
  await page.getByRole('heading', { level: 1, name: 'Уведомления' }).waitFor();
  assert.ok(await app.nav('Уведомления').isVisible());

  // "Почта" is feminine: the state names the channel, so it agrees with every card.
  assert.equal(await panel.channelState('WEBHOOK'), 'Канал включён');
  assert.equal(await panel.channelState('TELEGRAM'), 'Канал выключен');
  assert.equal(await panel.channelState('EMAIL'), 'Канал выключен');
  assert.equal(
    await panel.channel('EMAIL').locator('.channel__target').textContent(),
    'Канал не настроен. Его включают в настройках сервера (README, раздел «Notifications»).',
  );
  assert.ok(await panel.testButton('TELEGRAM').isDisabled());
  const target = await panel.channel('WEBHOOK').locator('.channel__target').textContent();
  assert.equal(target, `${new URL(receiver.url).origin}/…`, 'the host only, never the path');
  const text = await page.locator('main').textContent();
  assert.ok(!text.includes(WEBHOOK_SECRET) && !text.includes('/hooks/desk'), text);

  const row = panel.rowFor(orderId);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-status'), 'FAILED');
  assert.match(await row.textContent(), /Не доставлено/);
  // Why, in the admin's language first; then the channel's own words for whoever set it up.
  assert.equal(
    await row.locator('.delivery__why').textContent(),
    'Сбой на стороне сервиса, обычно проходит сам',
  );
  assert.equal(await row.locator('.delivery__detail').textContent(), 'webhook answered HTTP 500');
  await app.shots('notifications-failed');
});

test('retry from the panel delivers the message; the filter narrows the list', async () => {
  const panel = new NotificationsPage(app);
  receiver.state.failing = false;
  await panel.rowFor(orderId).getByRole('button', { name: /Повторить/ }).click();
  await waitInPage(
    page,
    'the retried row shown as sent',
    (id) => document.querySelector(`tr[data-lead-id="${id}"]`)?.dataset.status === 'SENT',
    orderId,
    { seen: () => panel.rowFor(orderId).getAttribute('data-status') },
  );
  assert.equal(receiver.got.length, 1);
  assert.equal(receiver.got[0].lead.id, orderId);
  assert.equal(receiver.got[0].lead.url, `https://desk.example.com/admin/leads/${orderId}`);

  await panel.filter('Не доставлено').click();
  await waitInPage(page, 'an empty given-up list', () =>
    document.querySelector('[data-testid="deliveries"] td.empty'),
  );
  await panel.filter('Все').click();
  await panel.rowFor(orderId).waitFor();
});

test('a test message goes out from the keyboard', async () => {
  const panel = new NotificationsPage(app);
  const button = panel.testButton('WEBHOOK');
  await button.focus();
  await page.keyboard.press('Enter');
  await eventually(
    'the test message at the receiver',
    async () => receiver.got.map((b) => b.event),
    (events) => events.includes('test'),
  );
  await waitInPage(
    page,
    'the test row',
    () => [...document.querySelectorAll('[data-testid="deliveries"] tbody tr')].some(
      (tr) => tr.textContent.includes('Тестовое сообщение'),
    ),
  );
});

test('English, dark mode, and the card link from a message', async () => {
  const panel = new NotificationsPage(app);
  await app.setLanguage('en');
  await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
  assert.equal(await panel.channelState('WEBHOOK'), 'On');
  assert.match(await panel.rowFor(orderId).textContent(), /Sent/);
  await app.shots('notifications-en');
  await app.setLanguage('ru');

  // The address in the messages opens the order card.
  await app.goto(`/leads/${orderId}`);
  await waitInPage(page, 'the order card', (id) => location.pathname === `/admin/orders/${id}`, orderId);
});

test('a 390 px phone shows the panel without sideways scrolling', async () => {
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'ru-RU',
    timezoneId: 'UTC',
  });
  const small = await phone.newPage();
  const phoneApp = new AdminApp(small, server.url);
  await phoneApp.goto('/notifications');
  const signIn = new SignInPage(phoneApp);
  await signIn.waitForSignIn();
  await signIn.signIn(EMAIL, PASSWORD);
  const panel = new NotificationsPage(phoneApp);
  await small.getByRole('heading', { level: 1, name: 'Уведомления' }).waitFor();
  await panel.rowFor(orderId).waitFor();
  const { width, widest } = await small.evaluate(() => {
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > 391)
      .map((el) => `${el.tagName}.${el.className}`);
    return { width: document.documentElement.scrollWidth, widest: wide.slice(0, 8) };
  });
  assert.ok(width <= 390, `the page is ${width} px wide: ${widest.join(', ')}`);
  await screenshot(small, 'admin', 'notifications-390');
  await small.emulateMedia({ colorScheme: 'dark' });
  await screenshot(small, 'admin', 'notifications-390-dark');
  await phone.close();
});
