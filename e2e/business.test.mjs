// The business's own public page (issue 13, "site"): settings the owner saves in the admin are
// applied on the open page live (title, header, logo, favicon, about, colour, footer, policy,
// consent wording); service cards with from-prices choose the service; the form needs consent;
// a failure shows beside the button with the focus and a retry; counters near the limits; one
// page query per load. Russian and English, desktop and a 390 px phone; screenshots in
// test-artifacts/business/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot } from './support/browser.mjs';
import { registerAdmin, startServer } from './support/server.mjs';
import { accessible, gqlOk, headingOutline, PublicSitePage, waitInPage } from './public-site/page.mjs';

const SHOTS = 'business';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
// A 1×1 PNG.
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const SETTINGS = {
  name: 'Студия «Пиксель»',
  about: 'Сайты и реклама для малого бизнеса с 2014 года.\nРаботаем по всей России.',
  phone: '+7 (812) 555-01-23',
  email: 'hello@pixel.example',
  telegram: '@pixel_studio',
  whatsapp: '+7 921 555-01-23',
  address: 'Санкт-Петербург, Невский проспект, 1',
  privacyPolicyText:
    'Мы храним данные заявок три года.\n\n1. Никому их не передаём.\n2. Удаляем по первой просьбе.',
  consentText: 'Согласен на обработку персональных данных студией «Пиксель».',
  primaryColor: '#0f766e',
  currency: 'RUB',
  logoUpload: `data:image/png;base64,${PNG}`,
};
const UPDATE =
  'mutation($i: BusinessSettingsInput!) { updateBusinessSettings(input: $i) { name consentVersion } }';

let server;
let browser;
let token;
let seo;

before(async () => {
  server = await startServer();
  token = await registerAdmin(server);
  const create = (name, description, priceFrom) =>
    gqlOk(
      server,
      'mutation($i: ServiceInput!) { createService(input: $i) { id name } }',
      { i: { name, description, priceFrom } },
      token,
    ).then((d) => d.createService);
  seo = await create('SEO-продвижение', 'Аудит, семантика и рост трафика', 35000);
  await create('Аудит сайта', null, null);
  await gqlOk(server, UPDATE, { i: SETTINGS }, token);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open({ locale = 'ru-RU', viewport = DESKTOP, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ locale, viewport, colorScheme, timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  /** Every page query (services + settings) the page sent over HTTP. */
  const pageQueries = [];
  page.on('request', (request) => {
    const query = request.postDataJSON?.()?.query ?? '';
    if (/\bservices\b/.test(query) && !query.startsWith('subscription')) pageQueries.push(query);
  });
  const site = new PublicSitePage(page, server.url);
  await site.goto();
  await waitInPage(page, 'the business name in the header', () =>
    document.getElementById('brand-name')?.textContent?.includes('Пиксель'),
  );
  return { context, page, site, pageQueries };
}

const noOverflow = async (page) => {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
};

for (const { locale, viewport, label, texts } of [
  {
    locale: 'ru-RU',
    viewport: DESKTOP,
    label: 'ru-desktop',
    texts: { title: 'Студия «Пиксель» — оставить заявку', price: /^от 35\s000\s₽$/, choose: 'Выбрать', email: 'Эл. почта' },
  },
  {
    locale: 'en-US',
    viewport: PHONE,
    label: 'en-phone',
    texts: { title: 'Студия «Пиксель» — send a request', price: /^from RUB\s35,000$|^from ₽35,000$/, choose: 'Choose', email: 'Email' },
  },
]) {
  test(`the page is the business's: header, logo, footer, policy, cards (${label})`, async () => {
    const { context, page, site } = await open({ locale, viewport });
    try {
      assert.equal(await page.title(), texts.title);
      const logo = page.locator('#brand-logo');
      // The name is set with the logo's address; the image takes its box once it has loaded.
      await logo.waitFor({ state: 'visible' });
      assert.equal(await logo.evaluate((img) => img.complete && img.naturalWidth), 1);
      assert.match(await page.locator('link[rel=icon]').getAttribute('href'), /^\/media\/logo\?v=1$/);
      assert.equal(await page.locator('#about').textContent(), SETTINGS.about);
      const links = await page.locator('#foot-contacts a').evaluateAll((as) => as.map((a) => a.href));
      assert.deepEqual(links, [
        'tel:+78125550123',
        'mailto:hello@pixel.example',
        'https://t.me/pixel_studio',
        'https://wa.me/79215550123',
      ]);
      assert.equal(await page.locator('#foot-address').textContent(), SETTINGS.address);
      // E-mail is spelt one way on the page: the field, its contact option, the footer.
      const footLabels = await page.locator('#foot-contacts .muted').allTextContents();
      assert.equal(footLabels[1], `${texts.email}: `);
      assert.equal(await page.locator('#f-preferredContactMethod option[value=contact_email]').textContent(), texts.email);
      assert.equal(await page.locator('label[for=f-email] span').textContent(), texts.email);
      assert.equal(await page.locator('#policy').isVisible(), true);
      assert.equal(await page.locator('#policy-text p').count(), 2);
      // A numbered list keeps its lines, and so does "about" (what the owner typed, as typed).
      assert.equal(
        await page.locator('#policy-text p').nth(1).innerText(),
        '1. Никому их не передаём.\n2. Удаляем по первой просьбе.',
      );
      assert.equal(await page.locator('#about').innerText(), SETTINGS.about);
      assert.equal(await page.locator('#consent-text').textContent(), SETTINGS.consentText);
      assert.equal(await page.locator('body').evaluate((b) => b.textContent.includes('Order Desk')), false);
      // Honest about measuring: the visit is linked to the request once it is sent.
      const privacy = await page.locator('#privacy').textContent();
      assert.match(privacy, /связан с ней|linked to it/);
      assert.doesNotMatch(privacy, /анонимн|anonymous/i);
      // The colour drives the button, with readable text on it.
      const button = await site.submitButton().evaluate((b) => getComputedStyle(b).backgroundColor);
      assert.equal(button, 'rgb(15, 118, 110)');

      // Cards: name, description, price; choosing one by keyboard chooses the service.
      const cards = page.locator('#service-cards li');
      assert.equal(await cards.count(), 2);
      const seoCard = page.locator(`#service-cards li[data-service-id="${seo.id}"]`);
      assert.match((await seoCard.locator('.price').textContent()).trim(), texts.price);
      const choose = seoCard.locator('button');
      assert.equal(await choose.textContent(), texts.choose);
      await choose.focus();
      await page.keyboard.press('Space');
      assert.equal(await site.field('serviceId').inputValue(), seo.id);
      assert.equal(await choose.getAttribute('aria-pressed'), 'true');
      await noOverflow(page);
      // The outline steps one level at a time: h1, the services' h2, a card's h3 (axe's
      // heading-order), with the cards shown.
      const outline = await headingOutline(page);
      assert.deepEqual(outline.slice(0, 4).map(([level]) => level), [1, 2, 3, 3], JSON.stringify(outline));
      outline.forEach(([level], i) => assert.ok(i === 0 || level <= outline[i - 1][0] + 1, JSON.stringify(outline)));
      await screenshot(page, SHOTS, `page-${label}`);
    } finally {
      await context.close();
    }
  });
}

test('dark mode keeps the brand colour readable', async () => {
  const { context, page, site } = await open({ colorScheme: 'dark', viewport: PHONE });
  try {
    const [bg, fg] = await site
      .submitButton()
      .evaluate((b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]);
    assert.notEqual(bg, 'rgb(15, 118, 110)', 'a lighter shade on a dark page');
    assert.equal(fg, 'rgb(0, 0, 0)');
    await noOverflow(page);
    await screenshot(page, SHOTS, 'page-dark-phone');
  } finally {
    await context.close();
  }
});

test('a light brand colour and long words of the owner: links stay readable, the page fits a phone', async () => {
  const long = {
    ...SETTINGS,
    logoUpload: undefined,
    name: 'Пиксель ПромСтройИнжинирингКонсалтингСервисГрупп',
    about: `Делаем ${'Сверхдлинноесловобезединогопробелавнутринего'} быстро`,
    primaryColor: '#ffff00',
  };
  await gqlOk(server, UPDATE, { i: long }, token);
  const { context, page, site } = await open({ viewport: PHONE });
  try {
    await noOverflow(page);
    // The brand fills the button; as text on the light page it is darkened to read.
    const fill = await site.submitButton().evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.equal(fill, 'rgb(255, 255, 0)');
    const link = page.locator('#foot-contacts a').first();
    const ink = await link.evaluate((a) => getComputedStyle(a).color);
    assert.notEqual(ink, 'rgb(255, 255, 0)', 'yellow link text on white reads at 1.1:1');
    await screenshot(page, SHOTS, 'page-light-brand-long-words-phone');
  } finally {
    await gqlOk(server, UPDATE, { i: { ...SETTINGS, logoUpload: undefined } }, token);
    await context.close();
  }
});

test('saved settings reach the open page live, and one page query per load', async () => {
  const { context, page, pageQueries } = await open();
  try {
    // The server registers a subscription asynchronously: save again until the page hears one.
    let heard = null;
    for (let attempt = 0; attempt < 20 && !heard; attempt += 1) {
      const name = `Пиксель Про ${attempt}`;
      await gqlOk(server, UPDATE, { i: { ...SETTINGS, logoUpload: undefined, name } }, token);
      heard = await page
        .waitForFunction((n) => document.title.startsWith(n), name, { timeout: 1000 })
        .then(() => name, () => null);
    }
    assert.ok(heard, 'the open page applied a saved name');
    assert.equal(await page.locator('#brand-name').textContent(), heard);
    // Live now: the next save is heard on its own, no repeat.
    await gqlOk(server, UPDATE, { i: { ...SETTINGS, logoUpload: undefined, name: 'Пиксель Финал' } }, token);
    await page.waitForFunction(() => document.title.startsWith('Пиксель Финал'));
    assert.equal(await page.locator('#brand-name').textContent(), 'Пиксель Финал');
    assert.equal(pageQueries.length, 1, `page queries: ${pageQueries.length}`);
  } finally {
    await gqlOk(server, UPDATE, { i: { ...SETTINGS, logoUpload: undefined } }, token);
    await context.close();
  }
});

test('the consent box is named by its wording before the settings arrive, and if they never do', async () => {
  const context = await browser.newContext({ locale: 'ru-RU', viewport: DESKTOP, timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  try {
    await page.route('**/graphql', (route) => route.abort('connectionrefused'));
    const failed = page.waitForEvent('requestfailed', (r) => r.url().endsWith('/graphql'));
    await page.goto(server.url);
    await failed;
    const wording = 'Я соглашаюсь на обработку персональных данных из этой заявки, чтобы со мной связались по ней.';
    assert.equal(await page.locator('#consent-text').textContent(), wording);
    assert.equal((await accessible(page, '#f-consent')).name, wording);
    await screenshot(page, SHOTS, 'consent-no-api');
  } finally {
    await context.close();
  }
});

for (const [locale, wording] of [
  ['ru-RU', 'Я соглашаюсь на обработку персональных данных из этой заявки (оператор — Студия «Пиксель»), чтобы со мной связались по ней.'],
  ['en-US', 'I agree to the processing of the personal data in this request by Студия «Пиксель» so that they can contact me about it.'],
]) {
  test(`without the owner's wording the consent names the business as the operator (${locale})`, async () => {
    await gqlOk(server, UPDATE, { i: { ...SETTINGS, logoUpload: undefined, consentText: null } }, token);
    const { context, page, site } = await open({ locale });
    try {
      await page.locator('#consent-text').getByText(wording, { exact: true }).waitFor();
      assert.equal((await accessible(page, '#f-consent')).name, wording);
      await site.fill({ name: 'Ирина', surname: 'Орлова', email: `irina-${locale}@example.com` });
      await site.submit();
      await site.success().waitFor();
    } finally {
      await gqlOk(server, UPDATE, { i: { ...SETTINGS, logoUpload: undefined } }, token);
      await context.close();
    }
  });
}

test('consent is required; the order keeps it', async () => {
  const { context, page, site } = await open();
  try {
    await site.fill({ name: 'Ирина', surname: 'Орлова', email: 'irina@example.com' }, { consent: false });
    await site.submit();
    assert.equal(await site.error('consent').textContent(), 'Без согласия на обработку данных мы не сможем принять заявку.');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-consent');
    assert.equal(site.orders.length, 0);
    await screenshot(page, SHOTS, 'consent-missing');
    await site.consent().check();
    await site.submit();
    await site.success().waitFor();
    assert.equal(site.orders[0].consent, true);
  } finally {
    await context.close();
  }
});

for (const [kind, answer, message] of [
  ['connection', 'abort', /нет связи с сервером/],
  [
    'rate-limit',
    { status: 200, contentType: 'application/json', body: JSON.stringify({ data: null, errors: [{ message: 'x', extensions: { code: 'RATE_LIMITED' } }] }) },
    /Слишком много заявок/,
  ],
]) {
  test(`a ${kind} failure shows beside the button, focused, with a retry; nothing typed is lost`, async () => {
    const { context, page, site } = await open({ viewport: PHONE });
    try {
      let failing = true;
      await page.route('**/graphql', async (route) => {
        if (failing && route.request().postData()?.includes('submitApplication')) {
          if (answer === 'abort') await route.abort('connectionrefused');
          else await route.fulfill(answer);
        } else await route.continue();
      });
      await site.fill({ name: 'Олег', surname: 'Иванов', email: 'oleg@example.com', additionalComments: 'Нужен сайт' });
      await site.submit();
      const status = site.submitStatus();
      await status.waitFor();
      assert.match(await status.textContent(), message);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'submit-status');
      const box = await status.boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= PHONE.height + 1, `status in view: ${JSON.stringify(box)}`);
      assert.equal(await site.field('additionalComments').inputValue(), 'Нужен сайт');
      await screenshot(page, SHOTS, `failure-${kind}-phone`);
      failing = false;
      await page.keyboard.press('Tab'); // to the retry button
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'retry');
      await page.keyboard.press('Enter');
      await site.success().waitFor();
    } finally {
      await context.close();
    }
  });
}

test('a counter shows the limit while typing; sent over it, the error says by how much', async () => {
  const { context, page, site } = await open({ locale: 'en-US' });
  try {
    const counter = page.locator('#n-additionalComments');
    assert.equal(await counter.isVisible(), false);
    await site.field('additionalComments').fill('x'.repeat(4995));
    assert.equal(await counter.textContent(), '5 of 5000 characters left.');
    await site.field('additionalComments').fill('x'.repeat(5003));
    assert.equal(await counter.textContent(), '3 characters too many (at most 5000).');
    await screenshot(page, SHOTS, 'counter-en');
    // Sent like that, the field carries one message: the error, saying by how much.
    await site.submit();
    const error = site.error('additionalComments');
    await error.getByText('3 characters too many (at most 5000).').waitFor();
    assert.equal(await counter.isVisible(), false);
  } finally {
    await context.close();
  }
});

test("an unknown page is a real 404 page: the business's own, in the visitor's language", async () => {
  const response = await fetch(`${server.url}/old/link?utm_source=mail`);
  assert.equal(response.status, 404);
  assert.match(response.headers.get('content-type') ?? '', /text\/html/);
  // What a browser without scripts shows: both languages, a link home.
  const body = await response.text();
  assert.match(body, /Страница не найдена/);
  assert.match(body, /Page not found/);

  for (const [locale, texts] of [
    [
      'ru-RU',
      {
        main: 'Страница не найдена\n\nТакой страницы здесь нет. Возможно, ссылка устарела.\n\nНа главную',
        title: 'Страница не найдена — Студия «Пиксель»',
        phone: 'Телефон: +7 (812) 555-01-23',
        back: 'На главную',
        outline: [[1, 'Страница не найдена'], [2, 'Контакты']],
      },
    ],
    [
      'en-US',
      {
        main: 'Page not found\n\nThere is no such page here. The link may be out of date.\n\nTo the home page',
        title: 'Page not found — Студия «Пиксель»',
        phone: 'Phone: +7 (812) 555-01-23',
        back: 'To the home page',
        outline: [[1, 'Page not found'], [2, 'Contacts']],
      },
    ],
  ]) {
    const context = await browser.newContext({ locale, viewport: PHONE, timezoneId: 'UTC' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const queries = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/graphql') queries.push(request.postDataJSON()?.query ?? '');
    });
    try {
      const answer = await page.goto(`${server.url}/old/link`);
      assert.equal(answer?.status(), 404);
      await waitInPage(
        page,
        'the business name in the 404 page header',
        () => document.getElementById('brand-name')?.textContent === 'Студия «Пиксель»',
        undefined,
        { seen: () => page.locator('header').innerText() },
      );
      assert.equal(await page.title(), texts.title);
      // One language, the visitor's: the static English block is gone.
      assert.equal(await page.locator('main').innerText(), texts.main);
      assert.deepEqual(await headingOutline(page), texts.outline);
      // The business's colour, logo and ways to reach it.
      assert.equal(
        await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()),
        SETTINGS.primaryColor,
      );
      assert.equal(await page.locator('#brand-logo').isVisible(), true);
      const contacts = page.locator('#foot-contacts li');
      assert.equal(await contacts.count(), 4);
      assert.equal(await contacts.first().innerText(), texts.phone);
      assert.equal(await page.locator('#foot-contacts a').first().getAttribute('href'), 'tel:+78125550123');
      assert.equal(await page.locator('#foot-address').innerText(), SETTINGS.address);
      await screenshot(page, SHOTS, `not-found-${locale}`);
      // The settings, asked once; not a page of the site's statistics: no tracker.
      assert.equal(queries.length, 1, JSON.stringify(queries));
      assert.match(queries[0], /^query Business \{ businessSettings \{/);
      // Home from there: the order page.
      await page.getByRole('link', { name: texts.back, exact: true }).click();
      await page.waitForURL(`${server.url}/`);
      await page.locator('#order').waitFor();
    } finally {
      await context.close();
    }
  }

  // A campaign's link in English, gone stale, to a browser preferring Russian: English there,
  // and on the order page after it.
  const context = await browser.newContext({ locale: 'ru-RU', viewport: PHONE, timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  try {
    await page.goto(`${server.url}/spring-offer?lang=en`);
    assert.equal(await page.locator('h1').innerText(), 'Page not found');
    await page.getByRole('link', { name: 'To the home page', exact: true }).click();
    await page.waitForURL(`${server.url}/`);
    await waitInPage(page, 'the order page in English', () => document.documentElement.lang === 'en');
  } finally {
    await context.close();
  }
});
