// Sessions end: a token that expires (TOKEN_TTL=8s) and a token the server refuses both bring
// the admin back to sign-in with a message, and signing in returns them where they were. The
// token lives long enough for a loaded machine to sign in and draw the page before it runs out.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser } from '../support/browser.mjs';
import { registerAdmin, startServer } from '../support/server.mjs';
import { AdminApp } from './pages/app.mjs';
import { SignInPage } from './pages/signIn.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';
const EXPIRED = 'Сессия истекла. Войдите снова — вы вернётесь туда, где были.';
// Refused before its time: the admin learns it was ended, not that time ran out.
const ENDED =
  'Сервер завершил сессию: сменили пароль, вышли на всех устройствах или отключили доступ. Войдите снова — вы вернётесь туда, где были.';

let server;
let browser;
let page;
let app;

before(async () => {
  server = await startServer({ env: { TOKEN_TTL: '8s' } });
  await registerAdmin(server, EMAIL, PASSWORD);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'ru-RU' });
  page.setDefaultTimeout(10_000);
  app = new AdminApp(page, server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('an expired token returns to sign-in with a message, then back to the same screen', async () => {
  const signIn = new SignInPage(app);
  await app.goto('/services');
  await signIn.waitForSignIn();
  assert.equal(await signIn.heading().textContent(), 'Вход');
  await signIn.signIn(EMAIL, PASSWORD);
  await page.getByTestId('services-table').waitFor();
  assert.equal(app.location(), '/services');

  // Nobody touches anything; the 8-second token runs out.
  await signIn.notice().waitFor({ timeout: 30_000 });
  assert.equal(await signIn.notice().textContent(), EXPIRED);
  assert.equal(app.location(), `/login?next=${encodeURIComponent('/services')}`);
  assert.equal(await page.evaluate(() => localStorage.getItem('orderDesk.session')), null);
  await app.shots('session-expired');

  await signIn.signIn(EMAIL, PASSWORD);
  await page.getByTestId('services-table').waitFor();
  assert.equal(app.location(), '/services');
});

test('a token the server refuses (UNAUTHENTICATED) before its time signs out, saying the session was ended', async () => {
  // A session the browser believes in for another hour, with a token the server never issued.
  await page.evaluate(() =>
    localStorage.setItem(
      'orderDesk.session',
      JSON.stringify({
        token: 'forged.token.value',
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        email: 'owner@example.com',
      }),
    ),
  );
  await app.goto('/orders?priority=LOW');
  const signIn = new SignInPage(app);
  await signIn.notice().waitFor();
  assert.equal(await signIn.notice().textContent(), ENDED);
  assert.equal(app.location(), `/login?next=${encodeURIComponent('/orders?priority=LOW')}`);

  await signIn.signIn(EMAIL, PASSWORD);
  await page
    .getByText(/Заявок пока нет|заяв/)
    .first()
    .waitFor();
  assert.equal(app.location(), '/orders?priority=LOW');
});
