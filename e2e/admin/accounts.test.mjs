// Accounts in the browser: the panel speaks the browser's language until the admin picks one;
// first-run registration shows the password policy and refuses a guessable password in the
// reader's language; a reload right after registration shows the panel (never a blank page);
// signing out revokes the token on the server; changing the password; inviting a second admin
// who sets their own password on a phone; removing them ends their session.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { AdminApp } from './pages/app.mjs';
import { SignInPage } from './pages/signIn.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'staple gazebo lantern';
const SECOND = 'second@example.com';
const SECOND_PASSWORD = 'violet harbour compass';
const ME = '{ me { email } }';

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

async function open(locale, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ locale, viewport, timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page, app: new AdminApp(page, server.url) };
}

const token = (page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem('orderDesk.session') ?? 'null')?.token);

test('the first visit follows the browser language until the admin picks one', async () => {
  const { context, page, app } = await open('en-US');
  await app.goto('/login');
  const signIn = new SignInPage(app);
  await signIn.waitForRegistration();
  assert.equal(await signIn.heading().textContent(), 'First run');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await app.shots('accounts-first-run-en');
  await app.setLanguage('ru');
  await page.reload();
  await signIn.waitForRegistration();
  assert.equal(await signIn.heading().textContent(), 'Первый запуск', 'the choice sticks');
  await context.close();

  const russian = await open('ru-RU');
  await russian.app.goto('/login');
  await new SignInPage(russian.app).waitForRegistration();
  assert.equal(await new SignInPage(russian.app).heading().textContent(), 'Первый запуск');
  await russian.context.close();
});

test('registration shows the policy, refuses a guessable password, and a reload shows the panel', async () => {
  const { context, page, app } = await open('ru-RU');
  await app.goto('/login');
  const signIn = new SignInPage(app);
  await signIn.waitForRegistration();
  const policy = page.getByTestId('password-policy');
  assert.match(await policy.textContent(), /Не короче 12 символов/);
  await signIn.register(EMAIL, 'password1234');
  const refusal = page.getByText(/Такой пароль легко подобрать/);
  await refusal.waitFor();
  await app.shots('accounts-weak-password-ru');
  assert.equal((await server.gql('{ adminExists }')).data.adminExists, false);

  await signIn.register(EMAIL, PASSWORD);
  await page.getByText(/Заявок пока нет/).waitFor();
  await page.reload();
  await page.getByText(/Заявок пока нет/).waitFor();
  assert.equal(app.location(), '/orders');
  assert.deepEqual(app.errors, []);
  await context.close();
});

test('signing out revokes the token on the server', async () => {
  const { context, page, app } = await open('en-US');
  await app.goto('/login');
  const signIn = new SignInPage(app);
  await signIn.waitForSignIn();
  await signIn.signIn(EMAIL, PASSWORD);
  await page.getByText(/No orders yet/).waitFor();
  const old = await token(page);
  assert.equal((await server.gql(ME, {}, old)).data.me.email, EMAIL);
  await app.signOut();
  await signIn.notice().waitFor();
  assert.equal(await signIn.notice().textContent(), 'You have signed out.');
  const after = await server.gql(ME, {}, old);
  assert.equal(after.errors[0].extensions.code, 'UNAUTHENTICATED');
  await context.close();
});

test('change the password, invite a second admin who joins on a phone, then remove them', async () => {
  const { context, page, app } = await open('en-US');
  await app.goto('/login');
  const signIn = new SignInPage(app);
  await signIn.waitForSignIn();
  await signIn.signIn(EMAIL, PASSWORD);
  await app.nav('Account').click();
  await page.getByRole('heading', { name: 'Change password' }).waitFor();

  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password').fill(NEW_PASSWORD);
  await page.getByLabel('Password again').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('This is not your current password').waitFor();
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByTestId('password-changed').waitFor();
  // This tab goes on with its new token.
  assert.equal((await server.gql(ME, {}, await token(page))).data.me.email, EMAIL);
  assert.equal(app.location(), '/account');

  await page.getByLabel('Their email').fill(SECOND);
  await page.getByRole('button', { name: 'Create invitation' }).click();
  const link = await page.getByTestId('invitation-link').inputValue();
  assert.match(link, /\/admin\/invite#.{32,}$/);
  await page.getByTestId('invitation-list').getByText(SECOND).waitFor();
  await app.shots('accounts-invited-en');

  // The invitee, on a 390 px phone in Russian.
  const phone = await open('ru-RU', { width: 390, height: 844 });
  await phone.page.goto(link);
  await phone.page.getByText(`с почтой ${SECOND}`).waitFor();
  assert.match(await phone.page.getByTestId('password-policy').textContent(), /Не короче 12/);
  await phone.app.shots('accounts-invite-phone-ru');
  await phone.page.getByLabel(/^Пароль$/).fill(SECOND_PASSWORD);
  await phone.page.getByLabel('Пароль ещё раз').fill(SECOND_PASSWORD);
  await phone.page.getByRole('button', { name: 'Задать пароль и войти' }).click();
  await phone.page.getByText(/Заявок пока нет/).waitFor();
  assert.equal(phone.app.location(), '/orders');
  const secondToken = await token(phone.page);
  assert.equal((await server.gql(ME, {}, secondToken)).data.me.email, SECOND);
  await phone.page.goto(`${server.url}/admin/account`);
  await phone.page.getByTestId('admin-list').getByText(EMAIL).waitFor();
  const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the account page fits a 390 px phone (${width} px)`);
  await phone.app.shots('accounts-phone-ru');

  // The link works once.
  const again = await open('en-US');
  await again.page.goto(link);
  await again.page.getByTestId('invite-error').waitFor();
  assert.match(await again.page.getByTestId('invite-error').textContent(), /used already/);
  await again.context.close();

  // The owner removes the second admin; the second's session ends at once.
  await page.reload();
  await page.getByRole('button', { name: `Remove the administrator ${SECOND}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await page.getByText(`${SECOND} removed`).waitFor();
  await app.shots('accounts-removed-en');
  const refused = await server.gql(ME, {}, secondToken);
  assert.equal(refused.errors[0].extensions.code, 'UNAUTHENTICATED');
  // The open panel is signed out at once (its live connection ends), without a reload.
  await new SignInPage(phone.app).notice().waitFor();
  assert.equal(await phone.page.evaluate(() => localStorage.getItem('orderDesk.session')), null);
  await phone.context.close();
  assert.deepEqual(app.errors, []);
  await context.close();
});
