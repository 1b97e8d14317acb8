// The admin's Settings page (issue 13, "site"): the business's name, logo, contacts, policy and
// consent wording, saved through the real server and shown on the public page. Russian desktop,
// English on a 390 px phone in dark mode; server refusals named at their field. Screenshots in
// test-artifacts/admin-settings/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot } from '../support/browser.mjs';
import { registerAdmin, startServer } from '../support/server.mjs';
import { gqlOk } from './api.mjs';

const SHOTS = 'admin-settings';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

let server;
let browser;
let session;

before(async () => {
  server = await startServer();
  await registerAdmin(server);
  const data = await gqlOk(
    server,
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt } }',
    { e: 'owner@example.com', p: 'correct horse battery' },
  );
  session = { ...data.login, email: 'owner@example.com' };
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open({ locale = 'ru-RU', viewport = { width: 1280, height: 900 }, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ locale, viewport, colorScheme, timezoneId: 'UTC' });
  await context.addInitScript((s) => {
    localStorage.setItem('orderDesk.session', JSON.stringify(s));
    if (s.lang) localStorage.setItem('orderDesk.locale', s.lang);
  }, { ...session, lang: locale.startsWith('en') ? 'en' : undefined });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${server.url}/admin/settings`);
  return { context, page };
}

const settings = () =>
  gqlOk(server, '{ businessSettings { name email telegram consentText logoUrl logoUploaded } }').then(
    (d) => d.businessSettings,
  );

test('the owner fills the settings, uploads a logo, and the public page shows them', async () => {
  const { context, page } = await open();
  try {
    await page.getByRole('heading', { name: 'Настройки бизнеса' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: /Настройки/ });
    assert.equal(await nav.getAttribute('aria-current'), 'page');
    assert.equal(await page.getByTestId('public-page-link').getAttribute('href'), '/');
    await page.getByLabel('Название').fill('Студия «Пиксель»');
    await page.getByLabel('E-mail').fill('hello@pixel.example');
    await page.getByLabel('Telegram').fill('@pixel_studio');
    await page.getByLabel(/Текст согласия/).fill('Согласен на обработку данных студией.');
    await page.locator('input[type=file][name=logoUpload]').setInputFiles({
      name: 'logo.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await page.getByAltText('Логотип').waitFor();
    await screenshot(page, SHOTS, 'filled-ru');
    await page.getByTestId('save-settings').click();
    await page.getByText('Настройки сохранены').waitFor();
    const saved = await settings();
    assert.equal(saved.name, 'Студия «Пиксель»');
    assert.equal(saved.telegram, 'pixel_studio');
    assert.equal(saved.logoUploaded, true);

    const site = await context.newPage();
    await site.goto(`${server.url}/`);
    await site.waitForFunction(() => document.title.startsWith('Студия «Пиксель»'));
    assert.equal(await site.locator('#consent-text').textContent(), 'Согласен на обработку данных студией.');
    await site.close();
  } finally {
    await context.close();
  }
});

test('a refused value is named at its field and nothing is saved', async () => {
  const { context, page } = await open();
  try {
    const email = page.getByLabel('E-mail');
    await email.fill('not-an-email');
    await page.getByTestId('save-settings').click();
    await page.locator('.field__error').first().waitFor();
    assert.equal(await email.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'email');
    assert.equal((await settings()).email, 'hello@pixel.example');
    await screenshot(page, SHOTS, 'error-ru');
  } finally {
    await context.close();
  }
});

test('English on a 390 px phone in dark mode', async () => {
  const { context, page } = await open({ locale: 'en-US', viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  try {
    await page.getByRole('heading', { name: 'Business settings' }).waitFor();
    await page.getByLabel('Name', { exact: true }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    const save = await page.getByTestId('save-settings').boundingBox();
    assert.ok(save && save.x >= 0 && save.x + save.width <= 390, `save button in view: ${JSON.stringify(save)}`);
    await screenshot(page, SHOTS, 'phone-en-dark');
  } finally {
    await context.close();
  }
});
