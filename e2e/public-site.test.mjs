// The public page end to end: the built public-site/dist served by the real server (SQLite) at
// `/`, in Debian's headless Chromium. One server for the file; each test opens its own page.
// Screenshots of the empty, error and success states go to test-artifacts/public-site/.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot } from './support/browser.mjs';
import { theDayLasts } from './support/clock.mjs';
import { registerAdmin, repoRoot, startServer } from './support/server.mjs';
import {
  accessible,
  createService,
  deleteService,
  eventually,
  FORM_FIELDS,
  gqlOk,
  metricStats,
  pageRoundTrip,
  PublicSitePage,
  renameService,
} from './public-site/page.mjs';

const SHOTS = 'public-site';
const DESKTOP = { width: 1280, height: 900 };
const RUSSIAN_HEADING = 'Оставьте заявку';

let server;
let browser;
let token;
let audit;
let crm;

before(async () => {
  assert.ok(
    existsSync(join(repoRoot, 'public-site/dist/index.html')),
    'build the page first: cd public-site && npm run build',
  );
  server = await startServer();
  token = await registerAdmin(server);
  audit = await createService(server, token, 'Аудит сайта');
  crm = await createService(server, token, 'Внедрение CRM');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open({ locale = 'ru-RU', viewport = DESKTOP, init, clock = false } = {}) {
  const context = await browser.newContext({ locale, viewport, timezoneId: 'UTC' });
  if (init) await context.addInitScript(init);
  // Playwright's clock: the page's timers still run in real time, and `clock.runFor` can run the
  // ones due later at once.
  if (clock) await context.clock.install();
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const site = new PublicSitePage(page, server.url);
  await site.goto();
  return { context, page, site };
}

test('the form shows the services, every field and nothing from outside', async () => {
  const { context, page, site } = await open();
  const external = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith('ws://127.0.0.1'))
      external.push(r.url());
  });
  try {
    await site.waitForServiceNames(['Аудит сайта', 'Внедрение CRM']);
    assert.equal(await page.locator('h1').textContent(), 'Оставьте заявку');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ru');
    for (const name of [...FORM_FIELDS, 'website']) {
      assert.equal(await site.field(name).count(), 1, `a control named ${name}`);
    }
    // Every visible control has a label that names it.
    for (const name of FORM_FIELDS) {
      const label = await site.field(name).evaluate((el) => el.labels?.[0]?.textContent?.trim());
      assert.ok(label, `${name} is labelled`);
    }
    const values = await site
      .field('serviceId')
      .locator('option')
      .evaluateAll((o) => o.map((x) => x.value));
    assert.deepEqual(values, ['', audit.id, crm.id]);
    await screenshot(page, SHOTS, 'empty');
    assert.deepEqual(external, []);
  } finally {
    await context.close();
  }
});

test('services deleted, added or renamed through the API change on the open page, no reload', async () => {
  const { context, page, site } = await open();
  try {
    await site.waitForServiceNames(['Аудит сайта', 'Внедрение CRM']);
    await page.evaluate(() => (window.__sameDocument = true));
    const extra = await createService(server, token, 'Брендинг');
    // A new service goes last (the owner orders them); a renamed one keeps its place.
    await site.waitForServiceNames(['Аудит сайта', 'Внедрение CRM', 'Брендинг']);
    await renameService(server, token, extra.id, 'Айдентика');
    await site.waitForServiceNames(['Аудит сайта', 'Внедрение CRM', 'Айдентика']);
    await site.field('serviceId').selectOption(extra.id);
    await deleteService(server, token, extra.id);
    await site.waitForServiceNames(['Аудит сайта', 'Внедрение CRM']);
    // The visitor had chosen it: the choice is cleared and they are told why, next to the field.
    assert.equal(await site.field('serviceId').inputValue(), '');
    assert.match(await site.error('serviceId').textContent(), /сейчас недоступна/);
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
  } finally {
    await context.close();
  }
});

test('without a WebSocket the list is kept current by polling', async () => {
  const { context, site } = await open({
    init: () => {
      window.WebSocket = class {
        constructor() {
          throw new Error('blocked');
        }
      };
    },
  });
  try {
    await site.waitForServiceNames(['Аудит сайта', 'Внедрение CRM']);
    const extra = await createService(server, token, 'Поддержка');
    await site.waitForServiceNames(['Аудит сайта', 'Внедрение CRM', 'Поддержка'], 6000);
    await deleteService(server, token, extra.id);
    await site.waitForServiceNames(['Аудит сайта', 'Внедрение CRM'], 6000);
  } finally {
    await context.close();
  }
});

test('client-side validation puts errors next to the fields and announces them', async () => {
  const { context, page, site } = await open();
  try {
    await site.fill({ email: 'not an email', phone: 'позвоните мне' });
    await site.submit();
    await site.status().waitFor();
    assert.equal(await site.status().getAttribute('role'), 'alert');
    assert.match(await site.status().textContent(), /ошибок: 4/);
    assert.equal(await site.error('name').textContent(), 'Заполните это поле.');
    assert.equal(await site.error('surname').textContent(), 'Заполните это поле.');
    assert.match(await site.error('email').textContent(), /Проверьте адрес/);
    assert.match(await site.error('phone').textContent(), /цифры, пробелы и знаки/);
    assert.equal(await site.field('email').getAttribute('aria-invalid'), 'true');
    const describedBy = await site.field('email').getAttribute('aria-describedby');
    assert.ok(describedBy.split(' ').includes('e-email'));
    // Focus moves to the first field to fix, and the focus is visible.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'name');
    const outline = await site.field('name').evaluate((el) => getComputedStyle(el).outlineStyle);
    assert.notEqual(outline, 'none');
    await screenshot(page, SHOTS, 'error');
    assert.equal(site.orders.length, 0, 'nothing was sent');
    // Fixing a field clears its error while typing.
    await site.field('email').fill('ivan@example.com');
    assert.equal(await site.error('email').textContent(), '');
  } finally {
    await context.close();
  }
});

test('each message about a field is announced once; a phone with letters says so', async () => {
  const { context, page, site } = await open();
  try {
    await site.fill({
      name: 'Я'.repeat(105),
      surname: 'Иванов',
      email: 'ivan@example.com',
      phone: '+7 (912) 555-01-68 доб. 3',
    });
    await site.submit();
    await page.locator('#e-phone:not(:empty)').waitFor();
    // What a screen reader says of each field, as Chromium computes it.
    const name = await accessible(page, '#f-name');
    assert.equal(name.description, 'Лишних символов: 5 (не больше 100).');
    const phone = await accessible(page, '#f-phone');
    // The letters are what to fix (cutting five characters would not do); the length is said
    // by the counter, once.
    assert.equal(await site.error('phone').textContent(), 'Номер телефона: цифры, пробелы и знаки + ( ) -, не меньше 5 цифр.');
    assert.equal(
      phone.description,
      'Например, +7 (999) 123-45-67 Номер телефона: цифры, пробелы и знаки + ( ) -, не меньше 5 цифр. Лишних символов: 5 (не больше 20).',
    );
    assert.equal(site.orders.length, 0, 'nothing was sent');
    // Letters gone, still too long: now the length is the error, said once.
    await site.field('phone').fill('+7 (912) 555-01-68 3 3');
    await site.error('phone').getByText('Лишних символов: 2 (не больше 20).').waitFor();
    assert.equal(
      (await accessible(page, '#f-phone')).description,
      'Например, +7 (999) 123-45-67 Лишних символов: 2 (не больше 20).',
    );
  } finally {
    await context.close();
  }
});

test('contact by WhatsApp needs the phone: said at the phone before sending, then sent', async () => {
  const { context, page, site } = await open();
  try {
    await site.fill({
      name: 'Мария',
      surname: 'Соколова',
      email: 'maria@example.com',
      preferredContactMethod: 'WhatsApp',
    });
    await site.submit();
    await site.error('phone').getByText('Укажите телефон — он нужен для выбранного способа связи.').waitFor();
    assert.equal(await site.field('phone').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-phone');
    assert.match(await site.status().textContent(), /ошибок: 1/);
    assert.equal(site.orders.length, 0, 'nothing was sent');
    await screenshot(page, SHOTS, 'phone-needed');
    await page.keyboard.type('+7 (912) 555-01-68');
    assert.equal(await site.error('phone').textContent(), '');
    await site.submit();
    await site.success().waitFor();
    const { leads } = await gqlOk(
      server,
      'query($f: LeadFilter) { leads(filter: $f) { nodes { phone preferredContactMethod } } }',
      { f: { search: 'maria@example.com' } },
      token,
    );
    assert.deepEqual(leads.nodes, [
      { phone: '+7 (912) 555-01-68', preferredContactMethod: 'contact_whatsapp' },
    ]);
  } finally {
    await context.close();
  }
});

test('a service deleted after the page loaded: the server error shows next to the field', async () => {
  const doomed = await createService(server, token, 'Снятая услуга');
  const { context, page, site } = await open({
    init: () => {
      // A socket that connects but never delivers events: the page cannot learn of the deletion.
      window.WebSocket = class {
        constructor() {
          this.readyState = 0;
          setTimeout(() => {
            this.readyState = 1;
            this.onopen?.(new Event('open'));
          });
        }
        send(data) {
          if (JSON.parse(data).type === 'connection_init') {
            setTimeout(() =>
              this.onmessage?.(new MessageEvent('message', { data: '{"type":"connection_ack"}' })),
            );
          }
        }
        close() {}
      };
    },
  });
  try {
    await site.waitForServiceNames(['Аудит сайта', 'Внедрение CRM', 'Снятая услуга']);
    await site.fill({
      name: 'Пётр',
      surname: 'Сидоров',
      email: 'petr@example.com',
      serviceId: doomed.id,
    });
    await deleteService(server, token, doomed.id);
    await site.submit();
    await page.locator('#e-serviceId:not(:empty)').waitFor();
    assert.match(await site.error('serviceId').textContent(), /сейчас недоступна/);
    assert.equal(await site.field('serviceId').getAttribute('aria-invalid'), 'true');
    assert.equal(await site.success().isVisible(), false);
    assert.equal(await site.submitButton().isEnabled(), true);
    // The page reloads the list after that answer.
    await site.waitForServiceNames(['Аудит сайта', 'Внедрение CRM']);
    await screenshot(page, SHOTS, 'error-server');
  } finally {
    await context.close();
  }
});

test('mouse moves and clicks become batches that show up in metricStats', async () => {
  await theDayLasts(3); // the statistics read back are today's
  const before = await metricStats(server, token);
  const { context, page, site } = await open();
  try {
    // The tracker samples the cursor at most every 100 ms and sends once a second: sweep it along
    // the diagonal, a move per animation frame, until the page has sent samples from 12 places.
    const places = () =>
      new Set(site.batches.flatMap((b) => b.input.points.map((p) => `${p.x},${p.y}`))).size;
    const wanted = 12;
    const deadline = Date.now() + 15_000;
    for (let i = 0; places() < wanted; i += 1) {
      if (Date.now() > deadline) {
        throw new Error(
          `cursor samples from ${wanted} places sent: not within 15000 ms; seen: ${places()} places in ${site.batches.length} batches`,
        );
      }
      await page.mouse.move(200 + (i % 20) * 40, 150 + (i % 20) * 20, { steps: 3 });
      await page.evaluate(() => new Promise(requestAnimationFrame));
    }
    await page.locator('#privacy').click();
    await page.locator('#privacy').click();
    await site.field('phone').click();
    await site.field('phone').fill('+7 999 123-45-67');
    await page.locator('h1').click();
    const acked = await site.acknowledgedBatches(2);
    const visitId = acked[0].input.visitId;
    const seqs = site.batches.map((b) => b.input.seq);
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => i + 1),
      'seq 1, 2, 3… with nothing failing',
    );
    assert.ok(acked.every((b) => b.input.visitId === visitId));
    assert.ok(!JSON.stringify(site.batches).includes('123-45-67'), 'no input values sent');

    const stats = await eventually(
      'metricStats counting this visit, its privacy clicks, new heatmap cells and the phone focus',
      () => metricStats(server, token),
      (s) =>
        s.summary.visits > before.summary.visits &&
        s.topClicks.some((c) => c.element === 'privacy' && c.count >= 2) &&
        s.heatmap.cells.length > before.heatmap.cells.length &&
        s.formFields.some((f) => f.field === 'phone' && f.focuses >= 1),
    );
    assert.ok(stats.heatmap.maxCount >= 1);
  } finally {
    await context.close();
  }
});

// Counts sendBeacon calls in localStorage, which outlives the page. (Init scripts are sent to the
// page as source: each must be self-contained.)
const COUNT_BEACONS = `{
  const original = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (url, data) => {
    localStorage.setItem('beacons', String(Number(localStorage.getItem('beacons') ?? 0) + 1));
    return original(url, data);
  };
}`;

for (const [how, init, element, beacons] of [
  ['fetch keepalive', COUNT_BEACONS, 'heading', 0],
  // Browsers without keepalive fetch use sendBeacon with a JSON Blob; the server must take it.
  ['sendBeacon', `${COUNT_BEACONS}; delete Request.prototype.keepalive;`, 'privacy', 1],
]) {
  test(`leaving the page flushes what is waiting (${how})`, async () => {
    const { context, page, site } = await open({ init });
    try {
      await site.acknowledgedBatches(1);
      // A click right before the tab goes away: the once-a-second batch has no time for it.
      await page.locator(`#${element}`).click();
      const clicks = async () =>
        (await metricStats(server, token)).topClicks.find((c) => c.element === element)?.count ?? 0;
      const before = await clicks();
      await page.goto('about:blank');
      const expected = before + 1;
      await eventually(
        `${expected} clicks on #${element} in metricStats`,
        clicks,
        (count) => count === expected,
      );
      await page.goto(`${server.url}/`);
      const sent = await page.evaluate(() => Number(localStorage.getItem('beacons') ?? 0));
      assert.equal(sent, beacons, `flushed by ${how}`);
    } finally {
      await context.close();
    }
  });
}

test('sending the form creates an order linked to its visit', async () => {
  const { context, page, site } = await open();
  try {
    await site.waitForServiceNames(['Аудит сайта', 'Внедрение CRM']);
    await page.mouse.move(300, 300);
    await site.fill({
      name: 'Анна',
      surname: 'Кузнецова',
      patronymic: 'Игоревна',
      email: 'anna@example.com',
      phone: '+7 (999) 765-43-21',
      preferredContactMethod: 'Telegram',
      convenientTime: 'будни с 10 до 18',
      serviceId: crm.id,
      businessNiche: 'Логистика',
      companySize: '100–500',
      budget: 'от 5 млн ₽',
      deadline: '1 неделя',
      businessInfo: 'Грузоперевозки по России',
      additionalComments: 'Нужен запуск до конца месяца',
    });
    await site.acknowledgedBatches(1);
    await site.submit();
    await site.success().waitFor();
    assert.equal(await site.field('name').isVisible(), false);
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      'success-heading',
      'focus moves to the confirmation',
    );
    assert.match(await page.locator('#success-number').textContent(), /Номер заявки: [0-9a-f]{8}/);
    await screenshot(page, SHOTS, 'success');

    assert.equal(site.orders.length, 1);
    const sent = site.orders[0];
    assert.equal(sent.visitId, site.batches[0].input.visitId, 'the order carries the visit id');
    assert.equal(sent.website, undefined, 'honeypot left empty');

    const { leads } = await gqlOk(
      server,
      `query($f: LeadFilter) { leads(filter: $f) { nodes { id email serviceName budget companySize
         deadline preferredContactMethod score priority } } }`,
      { f: { search: 'anna@example.com' } },
      token,
    );
    assert.equal(leads.nodes.length, 1);
    const lead = leads.nodes[0];
    assert.equal(lead.serviceName, 'Внедрение CRM');
    // The form sends codes; they score as the bands they name: 40 + 20 + 30.
    assert.equal(lead.preferredContactMethod, 'contact_telegram');
    assert.equal(lead.budget, 'budget_5m_plus');
    assert.equal(lead.companySize, 'size_100_500');
    assert.equal(lead.deadline, 'deadline_1_week');
    assert.equal(lead.score, 90);
    assert.equal(lead.priority, 'URGENT');

    const behavior = await eventually(
      "the order's behavior with its submit click",
      async () =>
        (
          await gqlOk(
            server,
            'query($id: ID!) { lead(id: $id) { behavior { engagedSeconds visitNumber clicks { element count } } } }',
            { id: lead.id },
            token,
          )
        ).lead.behavior,
      (b) => b !== null && b.clicks.some((c) => c.element === 'submit'),
    );
    assert.ok(behavior.visitNumber >= 1);
    assert.ok(behavior.engagedSeconds >= 1);

    // "Send another" brings back an empty form: no service card still chosen, no phone still
    // required by the contact method chosen before.
    const pressed = () => page.locator('button[data-choose][aria-pressed="true"]').count();
    assert.equal(await pressed(), 1, 'the chosen service card is marked while the form is filled');
    const phoneMarked = () => page.locator('#phone-required').evaluate((el) => !el.hidden);
    assert.equal(await phoneMarked(), true, 'Telegram makes the phone required');
    await page.locator('#again').click();
    assert.equal(await site.field('name').inputValue(), '');
    assert.equal(await site.field('name').evaluate((el) => el === document.activeElement), true);
    assert.equal(await site.field('serviceId').inputValue(), '');
    assert.equal(await pressed(), 0, 'no service card is left marked as chosen');
    assert.equal(await phoneMarked(), false, 'the phone is no longer marked required');
    assert.equal(await site.field('phone').getAttribute('aria-required'), 'false');
  } finally {
    await context.close();
  }
});

test('the submit button is disabled while the order is on its way', async () => {
  const { context, page, site } = await open();
  try {
    let release;
    const held = new Promise((r) => (release = r));
    await page.route('**/graphql', async (route) => {
      if (route.request().postData()?.includes('submitApplication')) await held;
      await route.continue();
    });
    await site.fill({ name: 'Олег', surname: 'Иванов', email: 'oleg@example.com' });
    await site.submit();
    await page.waitForFunction(() => document.querySelector('#submit').disabled);
    assert.equal(await site.submitButton().textContent(), 'Отправляем…');
    await site
      .submitButton()
      .click({ force: true })
      .catch(() => {});
    await page.keyboard.press('Enter');
    release();
    await site.success().waitFor();
    assert.equal(site.orders.length, 1, 'one order, however many clicks');
  } finally {
    await context.close();
  }
});

test('Do Not Track / Global Privacy Control: the page measures nothing and says so', async () => {
  const { context, page, site } = await open({
    init: () =>
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
    clock: true,
  });
  try {
    await page.mouse.move(100, 100);
    await page.locator('h1').click();
    await site.fill({ name: 'Ирина', surname: 'Орлова', email: 'irina@example.com' });
    await site.submit();
    await site.success().waitFor();
    // A tracker would send what it measured on its next once-a-second tick: run the page's timers
    // for the next 5 s now, so any tick has run. Then a request the page makes after them: once
    // its answer is here, every request those ticks made has been seen.
    await page.clock.runFor(5_000);
    await pageRoundTrip(page, 'after-ticks');
    assert.deepEqual(site.metricRequests, [], 'no metrics sent');
    assert.equal(site.batches.length, 0, 'no metrics sent');
    assert.equal(site.orders[0].visitId, undefined, 'the order carries no visit');
    assert.match(await page.locator('#privacy').textContent(), /ничего не измеряет/);
    assert.equal(await page.evaluate(() => localStorage.length), 0);
  } finally {
    await context.close();
  }
});

test('English for browsers that prefer it; a phone-sized layout works by keyboard', async () => {
  const { context, page, site } = await open({
    locale: 'en-US',
    viewport: { width: 390, height: 844 },
  });
  try {
    assert.equal(await page.locator('h1').textContent(), 'Send a request');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await site.field('budget').locator('option').nth(4).textContent(), '5M ₽ or more');
    assert.equal(
      await site.field('budget').locator('option').nth(4).getAttribute('value'),
      'budget_5m_plus',
    );
    // No horizontal scrolling on a phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    // Keyboard only: Tab to the first field, type, Tab on.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'name');
    await page.keyboard.type('Jane');
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('name')),
      'surname',
    );
    await screenshot(page, SHOTS, 'phone-en');
    await site.submit();
    assert.equal(await site.error('surname').textContent(), 'Please fill in this field.');
    await screenshot(page, SHOTS, 'phone-en-error');

    // A bilingual visitor picks Russian in the footer: the page follows, and stays Russian on
    // the next visit although the browser still prefers English.
    const russian = page.getByRole('link', { name: 'Русский' });
    assert.equal(await russian.getAttribute('hreflang'), 'ru');
    await russian.click();
    await page.waitForURL(/[?&]lang=ru/);
    await page.getByRole('heading', { level: 1, name: RUSSIAN_HEADING }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'English' }).getAttribute('hreflang'), 'en');
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1, name: RUSSIAN_HEADING }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ru');
  } finally {
    await context.close();
  }
});
