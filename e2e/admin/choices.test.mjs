// The order form's choices are codes: the English admin reads them in English (no Russian
// option text), the Russian admin in Russian, on the card and in the list, desktop and phone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser } from '../support/browser.mjs';
import { registerAdmin, startServer } from '../support/server.mjs';
import { gqlOk } from './api.mjs';
import { AdminApp } from './pages/app.mjs';
import { OrderPage } from './pages/order.mjs';
import { SignInPage } from './pages/signIn.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';

let server;
let browser;
let orderId;

before(async () => {
  server = await startServer();
  await registerAdmin(server, EMAIL, PASSWORD);
  const data = await gqlOk(
    server,
    'mutation($i: ApplicationInput!) { submitApplication(input: $i) { id } }',
    {
      i: {
        name: 'Анна',
        surname: 'Кузнецова',
        email: 'anna@example.com',
        // Contact by Telegram needs the phone.
        phone: '+7 (912) 555-01-68',
        budget: 'budget_5m_plus',
        companySize: 'size_100_500',
        deadline: 'deadline_1_week',
        preferredContactMethod: 'contact_telegram',
        consent: true,
      },
    },
  );
  orderId = data.submitApplication.id;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const { locale, viewport, expected, why, name } of [
  {
    name: 'en-desktop',
    locale: 'en-US',
    viewport: { width: 1280, height: 800 },
    expected: ['5M ₽ or more', '100–500', '1 week', 'Telegram'],
    why: { budget: '«5M ₽ or more» → 40 of 40', companySize: /^«100–500» → \d+ of 30$/ },
  },
  {
    name: 'ru-phone',
    locale: 'ru-RU',
    viewport: { width: 390, height: 844 },
    expected: ['от 5 млн ₽', '100–500', '1 неделя', 'Telegram'],
    why: { budget: '«от 5 млн ₽» → 40 из 40', companySize: /^«100–500» → \d+ из 30$/ },
  },
]) {
  test(`the card and the list show the choices in the reader's language (${name})`, async () => {
    const context = await browser.newContext({ locale, viewport, timezoneId: 'UTC' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const app = new AdminApp(page, server.url);
    await app.goto('/login');
    const signIn = new SignInPage(app);
    await signIn.waitForSignIn();
    await signIn.signIn(EMAIL, PASSWORD);
    await page.getByText(expected[0]).first().waitFor();
    await app.shots(`choices-list-${name}`);
    const order = new OrderPage(app);
    await order.open(orderId);
    const card = await order.card.textContent();
    for (const text of expected) assert.ok(card.includes(text), `${text} on the card`);
    assert.doesNotMatch(card, /budget_|size_|deadline_|contact_/, 'no raw codes');
    // Why the temperature: the band the visitor picked, not the number it stands for.
    const reason = (factor) => order.card.getByTestId(`reason-${factor}`).textContent();
    assert.equal(await reason('budget'), why.budget);
    assert.match(await reason('companySize'), why.companySize);
    if (locale === 'en-US') {
      assert.doesNotMatch(card.replace(/Анна|Кузнецова/g, ''), /[а-яё]/i, 'no Russian');
    }
    await app.shots(`choices-card-${name}`);
    assert.deepEqual(app.errors, []);
    await context.close();
  });
}
