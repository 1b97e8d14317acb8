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
    await page.getByLabel('Эл. почта', { exact: true }).fill('hello@pixel.example');
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
    const email = page.getByLabel('Эл. почта', { exact: true });
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

/** The message shown for the input named `name` (its description's last part), or null. */
const errorOf = (page, name) =>
  page.evaluate((n) => {
    const input = document.querySelector(`[name="${n}"]:not([type=file])`);
    if (input?.getAttribute('aria-invalid') !== 'true') return null;
    const id = input.getAttribute('aria-describedby')?.split(' ').pop();
    return (id && document.getElementById(id)?.textContent) || null;
  }, name);

test('every bad value is named at once, in its own words, before the server is asked', async () => {
  const { context, page } = await open();
  const saves = [];
  page.on('request', (r) => {
    if (r.postData()?.includes('UpdateBusinessSettings')) saves.push(r);
  });
  try {
    await page.getByRole('heading', { name: 'Настройки бизнеса' }).waitFor();
    const field = (name) => page.locator(`[name="${name}"]:not([type=file])`);
    const swatch = page.locator('.settings__color input[type=color]');

    // The swatch follows a colour typed in the box, and shows plainly when the text is none.
    await field('primaryColor').fill('#ff0000');
    assert.equal(await swatch.inputValue(), '#ff0000');
    assert.doesNotMatch((await swatch.getAttribute('class')) ?? '', /invalid/);
    await field('primaryColor').fill('red');
    assert.match((await swatch.getAttribute('class')) ?? '', /settings__swatch--invalid/);

    // An address the server would refuse is not previewed (no broken image).
    await field('logoUrl').fill('http://example.com/logo.png');
    await page.getByText('Логотипа нет').waitFor();
    assert.equal(await page.locator('img[src^="http://example.com"]').count(), 0);

    await field('email').fill('not-email');
    await field('privacyPolicyUrl').fill('javascript:alert(1)');
    await field('phone').fill('звоните');
    await field('telegram').fill('@romashka studio');
    await page.getByTestId('save-settings').click();

    await page.locator('[name=privacyPolicyUrl][aria-invalid=true]').waitFor();
    const expected = {
      logoUrl: 'Нужен адрес, начинающийся с https://, без пробелов и кавычек',
      primaryColor: 'Цвет в формате #rrggbb, например #1a73e8',
      phone: 'Номер: цифры, пробелы и знаки + ( ) -, не меньше 5 цифр',
      email: 'Это не похоже на адрес почты',
      telegram: 'Имя пользователя Telegram: 5–32 латинские буквы, цифры или _',
      privacyPolicyUrl: 'Нужен адрес, начинающийся с https://, без пробелов и кавычек',
    };
    for (const [name, text] of Object.entries(expected)) {
      assert.equal(await errorOf(page, name), text, name);
    }
    assert.equal(await page.locator('[aria-invalid=true]').count(), 6);
    // The first bad field in the form's order has the focus; the server was not asked.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'logoUrl');
    assert.equal(saves.length, 0);
    await screenshot(page, SHOTS, 'all-errors-ru');

    // A fixed field loses its message at once; the others keep theirs.
    await field('primaryColor').fill('#1A73E8');
    assert.equal(await errorOf(page, 'primaryColor'), null);
    assert.equal(await swatch.inputValue(), '#1a73e8');
    assert.equal(await errorOf(page, 'telegram'), expected.telegram);
    await field('telegram').fill('@romashka_studio');
    assert.equal(await errorOf(page, 'telegram'), null);
    assert.equal(await page.locator('[aria-invalid=true]').count(), 4);
    assert.equal((await settings()).telegram, 'pixel_studio');
  } finally {
    await context.close();
  }
});

test('leaving with unsaved changes asks first; without changes it does not', async () => {
  const { context, page } = await open();
  try {
    const menu = (name) =>
      page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name });
    const address = page.getByLabel('Адрес', { exact: true });
    await address.waitFor();
    // Nothing changed: the menu just goes.
    await menu(/Заявки/).click();
    await page.waitForURL(/\/admin\/orders/);
    await menu(/Настройки/).click();

    await address.fill('Москва, ул. Новая, 1');
    await menu(/Заявки/).click();
    const dialog = page.getByRole('dialog', { name: 'Уйти без сохранения?' });
    await dialog.waitFor();
    assert.match(page.url(), /\/admin\/settings$/);
    await screenshot(page, SHOTS, 'leave-ru');
    // Staying keeps the edit.
    await dialog.getByRole('button', { name: 'Отмена' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await address.inputValue(), 'Москва, ул. Новая, 1');
    assert.match(page.url(), /\/admin\/settings$/);

    // Closing the tab asks the browser's own question.
    const asked = new Promise((resolve) => {
      page.once('dialog', (d) => {
        resolve(d.type());
        void d.dismiss();
      });
    });
    await page.close({ runBeforeUnload: true });
    assert.equal(await asked, 'beforeunload');
    assert.equal(page.isClosed(), false, 'the tab stays open after "stay"');

    // Leaving anyway goes, and the edit is not saved.
    await menu(/Заявки/).click();
    await dialog.getByRole('button', { name: 'Уйти без сохранения' }).click();
    await page.waitForURL(/\/admin\/orders/);
    assert.notEqual((await gqlOk(server, '{ businessSettings { address } }')).businessSettings.address, 'Москва, ул. Новая, 1');
  } finally {
    await context.close();
  }
});

test('what is typed while a save is on its way stays, and stays unsaved', async () => {
  const { context, page } = await open();
  try {
    const name = page.getByLabel('Название', { exact: true });
    const address = page.getByLabel('Адрес', { exact: true });
    await address.waitFor();
    await address.fill('');
    let release;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    let sentSave;
    const saveSent = new Promise((resolve) => {
      sentSave = resolve;
    });
    await page.route('**/graphql', async (route) => {
      if (route.request().postData()?.includes('UpdateBusinessSettings')) {
        sentSave();
        await held;
      }
      await route.continue();
    });
    const version = () => page.locator('form.settings').getAttribute('data-settings-version');
    const before = await version();
    await name.fill('Студия «Пока грузится»');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await saveSent;
    // The save is on its way: the owner goes on typing.
    await address.fill('Казань, ул. Баумана, 5');
    release();
    // The saved settings are back in the form.
    await page.waitForFunction(
      (old) => document.querySelector('form.settings')?.getAttribute('data-settings-version') !== old,
      before,
    );
    assert.equal((await settings()).name, 'Студия «Пока грузится»');
    assert.equal(await address.inputValue(), 'Казань, ул. Баумана, 5', 'the edit made in flight is kept');
    assert.equal(await name.inputValue(), 'Студия «Пока грузится»');
    // …and is known to be unsaved.
    await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: /Заявки/ }).click();
    await page.getByRole('dialog', { name: 'Уйти без сохранения?' }).waitFor();
  } finally {
    await context.close();
  }
});
