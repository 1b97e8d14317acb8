// The orders list as a work queue, against the real server and headless Chromium: open orders
// first and hottest first, sortable headings kept in the URL, unread marks and the count in the
// tab title, phone-digit and request-number search, a filter bar that keeps its place, the
// chime and browser notifications for new orders, the card's notes, history, spam, delete and
// reopen check, English and a 390 px phone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, waitInPage } from '../public-site/page.mjs';
import { launchBrowser, screenshot } from '../support/browser.mjs';
import { registerAdmin, startServer } from '../support/server.mjs';
import { gqlOk, submitOrder } from './api.mjs';
import { AdminApp } from './pages/app.mjs';
import { OrderPage } from './pages/order.mjs';
import { OrdersPage } from './pages/orders.mjs';
import { ServicesPage } from './pages/services.mjs';
import { SignInPage } from './pages/signIn.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';

// The browser's notifications and audio, observed: the real permission decides, the page's
// calls are recorded. `__background` stands for another tab or window being in front.
function observeAlerts() {
  window.__notes = [];
  window.__tones = 0;
  window.__background = false;
  const Real = window.Notification;
  class Recorded {
    constructor(title, options = {}) {
      window.__notes.push({ title, body: options.body, tag: options.tag });
    }
    close() {}
    static get permission() {
      return Real.permission;
    }
    static requestPermission() {
      return Real.requestPermission();
    }
  }
  window.Notification = Recorded;
  const proto = window.AudioContext.prototype;
  const create = proto.createOscillator;
  proto.createOscillator = function createOscillator() {
    window.__tones += 1;
    return create.call(this);
  };
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => (window.__background ? 'hidden' : 'visible'),
  });
  document.hasFocus = () => !window.__background;
}

/** The orders by role: hot but won (so closed), warm, cool (with the phone), hottest open. */
const ORDERS = {
  won: {
    name: 'Пётр',
    surname: 'Андреев',
    email: 'won@example.com',
    budget: '12 млн',
    companySize: '2000',
    deadline: 'срочно',
  },
  warm: {
    name: 'Мария',
    surname: 'Борисова',
    patronymic: 'Игоревна',
    email: 'warm@example.com',
    budget: '800 000',
    companySize: '120',
  },
  cool: {
    name: 'Олег',
    surname: 'Васильев',
    email: 'cool@example.com',
    phone: '+7 (912) 555-12-34',
    preferredContactMethod: 'contact_whatsapp',
  },
  hot: {
    name: 'Дмитрий',
    surname: 'Григорьев',
    email: 'hot@example.com',
    budget: '10 млн',
    companySize: '1000',
    deadline: 'срочно, на этой неделе',
  },
};

let server;
let browser;
let context;
let page;
let app;
let token;
/** The stored orders' ids, by role. */
const ids = {};

/** Another admin moves an order (through the API) while this browser looks on. */
const moveElsewhere = (id, status, lostReason = null) =>
  gqlOk(
    server,
    'mutation($id: ID!, $s: LeadStatus!, $r: String) { updateLeadStatus(id: $id, status: $s, lostReason: $r) { id } }',
    { id, s: status, r: lostReason },
    token,
  );

const byQueue = (leads) =>
  [...leads].sort((a, b) => {
    const open = (l) => (l.status === 'NEW' || l.status === 'IN_PROGRESS' ? 1 : 0);
    return open(b) - open(a) || b.score - a.score;
  });

async function allLeads(sort, direction) {
  const data = await gqlOk(
    server,
    `query($sort: LeadSortField, $direction: SortDirection) {
      leads(first: 100, sort: $sort, direction: $direction) {
        edges { node { id surname name patronymic score status requestNumber unread } }
      }
    }`,
    { sort, direction },
    token,
  );
  return data.leads.edges.map((e) => e.node);
}

before(async () => {
  server = await startServer();
  token = await registerAdmin(server, EMAIL, PASSWORD);
  for (const [role, input] of Object.entries(ORDERS)) {
    ids[role] = (await submitOrder(server, input)).id;
  }
  await gqlOk(
    server,
    'mutation($id: ID!) { updateLeadStatus(id: $id, status: WON) { id } }',
    { id: ids.won },
    token,
  );

  browser = await launchBrowser();
  context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: 'ru-RU',
    timezoneId: 'UTC',
  });
  await context.grantPermissions(['notifications'], { origin: server.url });
  await context.addInitScript(observeAlerts);
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  app = new AdminApp(page, server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('open orders come first, hottest first; names surname first; unread marked and counted', async () => {
  const orders = new OrdersPage(app);
  const signIn = new SignInPage(app);
  await app.goto('/orders');
  await signIn.waitForSignIn();
  await signIn.signIn(EMAIL, PASSWORD);
  await orders.waitForRows();

  const leads = await allLeads();
  const expected = byQueue(leads);
  assert.equal(expected.at(-1).id, ids.won, 'the won order (the hottest) goes last');
  const rows = await orders.rows();
  assert.deepEqual(
    rows.map((r) => r.id),
    expected.map((l) => l.id),
  );
  assert.deepEqual(
    rows.map((r) => r.name),
    expected.map((l) => [l.surname, l.name, l.patronymic].filter(Boolean).join(' ')),
  );
  assert.equal(await orders.table.getByTestId('unread').count(), 4);
  await waitInPage(page, 'the unread count in the title', () =>
    document.title.startsWith('(4) Заявки · '),
  );

  await orders.openOrder(ids.warm);
  await waitInPage(page, "the card's own title", () => document.title.startsWith('(3) Заявка · '));
  await page.getByRole('link', { name: 'К списку заявок' }).click();
  await orders.waitForRows();
  await waitInPage(
    page,
    'the opened order no longer marked',
    (id) => !document.querySelector(`tr[data-lead-id="${id}"] [data-testid="unread"]`),
    ids.warm,
  );
  assert.equal(await orders.row(ids.hot).getByTestId('unread').count(), 1);
  assert.match(await page.title(), /^\(3\) Заявки · /);
  const unread = await allLeads();
  assert.equal(unread.find((l) => l.id === ids.warm).unread, false, 'kept on the server');
  await app.shots('queue-default');
});

test('headings sort the list, the URL keeps the sort, the queue is one click away', async () => {
  const orders = new OrdersPage(app);
  const heading = (field) => orders.table.locator(`th:has(button[data-sort="${field}"])`);
  const sortBy = async (field) => {
    const before = await orders.table.innerHTML();
    await orders.table.locator(`button[data-sort="${field}"]`).click();
    await orders.settled(before);
  };

  await sortBy('SCORE');
  assert.match(app.location(), /[?&]sort=score(&|$)/);
  assert.equal(await heading('SCORE').getAttribute('aria-sort'), 'descending');
  const scores = (await orders.rows()).map((r) => r.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
  const scored = (await orders.rows()).map((r) => r.id);
  assert.ok(
    scored.indexOf(ids.won) < scored.indexOf(ids.cool),
    'by score a closed order is ranked among the open ones',
  );
  assert.match(await page.getByTestId('sorted-by').textContent(), /Баллы, по убыванию/);

  await sortBy('SCORE');
  assert.match(app.location(), /dir=asc/);
  assert.equal(await heading('SCORE').getAttribute('aria-sort'), 'ascending');
  const ascending = (await orders.rows()).map((r) => r.id);
  assert.deepEqual(
    ascending,
    (await allLeads('SCORE', 'ASC')).map((l) => l.id),
  );
  await page.reload();
  await orders.waitForRows();
  assert.deepEqual(
    (await orders.rows()).map((r) => r.id),
    ascending,
    'a reload keeps the sort',
  );

  await sortBy('NAME');
  assert.equal(await heading('NAME').getAttribute('aria-sort'), 'ascending');
  assert.deepEqual(
    (await orders.rows()).map((r) => r.name.split(' ')[0]),
    ['Андреев', 'Борисова', 'Васильев', 'Григорьев'],
  );
  await heading('STATUS').locator('button').focus();
  const before = await orders.table.innerHTML();
  await page.keyboard.press('Enter');
  await orders.settled(before);
  assert.equal(await heading('STATUS').getAttribute('aria-sort'), 'descending');
  assert.equal((await orders.rows()).at(-1).id, ids.won, 'pipeline order: won after open');

  const queued = await orders.table.innerHTML();
  await page.getByTestId('queue-order').click();
  await orders.settled(queued);
  assert.doesNotMatch(app.location(), /sort=/);
  assert.deepEqual(
    (await orders.rows()).map((r) => r.id),
    byQueue(await allLeads()).map((l) => l.id),
  );
  assert.equal(await page.getByTestId('queue-order').count(), 0);
});

test('search finds a phone by its digits and an order by the number the visitor saw', async () => {
  const orders = new OrdersPage(app);
  await orders.search('912 555');
  assert.deepEqual(
    (await orders.rows()).map((r) => r.id),
    [ids.cool],
  );
  const number = (await allLeads()).find((l) => l.id === ids.hot).requestNumber;
  await orders.search(number);
  assert.deepEqual(
    (await orders.rows()).map((r) => r.id),
    [ids.hot],
  );
  await orders.openOrder(ids.hot);
  assert.match(await page.getByTestId('request-number').textContent(), new RegExp(number));
  // The breakdown says why: the urgent word that earned the points, the amount read.
  assert.match(await page.getByTestId('reason-urgency').textContent(), /«срочно» \+30/);
  assert.match(await page.getByTestId('reason-budget').textContent(), /→ 40 из 40/);
  // And when the visitor consented, to which wording (the page's built-in one here).
  assert.match(await page.getByTestId('consent').textContent(), /^дано .*стандартный текст страницы/);
  await page.goBack();
  await orders.waitForRows();
  await orders.resetFilters();
  assert.equal((await orders.rows()).length, 4);
});

test('setting a filter leaves every control of the bar where it was', async () => {
  const orders = new OrdersPage(app);
  const boxes = () =>
    page.getByRole('search').evaluate((form) =>
      [...form.querySelectorAll('input, select, button')].map((el) => {
        const r = el.getBoundingClientRect();
        return [el.name || el.textContent.trim(), r.x, r.y, r.width, r.height].join(' ');
      }),
    );
  const unfiltered = await boxes();
  assert.equal(await page.getByRole('button', { name: 'Сбросить фильтры' }).count(), 0);
  await orders.selectFilter('Приоритет', 'URGENT');
  assert.deepEqual(await boxes(), unfiltered);
  await page.getByRole('button', { name: 'Сбросить фильтры' }).waitFor();
  await orders.resetFilters();
  assert.deepEqual(await boxes(), unfiltered);
});

test('Back undoes each filter and sort picked; a search typed in bursts is one step', async () => {
  const orders = new OrdersPage(app);
  await orders.open();
  const params = () => Object.fromEntries(new URL(page.url()).searchParams);
  const box = page.getByRole('searchbox');
  const priority = page.getByRole('search').getByLabel('Приоритет');
  /** What the list shows at a step: its address, its rows and the bar's controls. */
  const state = async () => ({
    params: params(),
    rows: (await orders.rows()).map((r) => r.id),
    search: await box.inputValue(),
    priority: await priority.inputValue(),
  });
  const steps = [await state()];

  // A search typed and typed away again leaves no step behind.
  const depth = () => page.evaluate(() => history.length);
  const before = await depth();
  await box.pressSequentially('Гри');
  await waitInPage(page, 'the list following "Гри"', () => new URLSearchParams(location.search).get('q') === 'Гри');
  await box.fill('');
  await waitInPage(page, 'the search typed away', () => !new URLSearchParams(location.search).has('q'));
  await orders.waitForRows();
  assert.deepEqual(await state(), steps[0]);

  await orders.selectFilter('Приоритет', 'URGENT');
  assert.equal(await depth(), before + 1, 'one step: the priority');
  steps.push(await state());
  // Typed in two bursts, the list following each: one step.
  for (const text of ['Гри', 'Григорьев']) {
    const before = await orders.table.innerHTML();
    await box.pressSequentially(text.slice((await box.inputValue()).length));
    await waitInPage(page, `the list following "${text}"`, (q) => new URLSearchParams(location.search).get('q') === q, text);
    await orders.settled(before);
  }
  steps.push(await state());
  assert.deepEqual(steps.at(-1).rows, [ids.hot]);
  await orders.table.locator('button[data-sort="NAME"]').click();
  await waitInPage(page, 'the sort in the address', () => new URLSearchParams(location.search).get('sort') === 'name');
  await orders.waitForRows();
  steps.push(await state());
  assert.equal(new Set(steps.map((s) => JSON.stringify(s.params))).size, 4, JSON.stringify(steps));

  for (const step of steps.slice(0, -1).reverse()) {
    await page.goBack();
    await waitInPage(
      page,
      `Back to ${JSON.stringify(step.params)}`,
      (want) => JSON.stringify(Object.fromEntries(new URLSearchParams(location.search))) === want,
      JSON.stringify(step.params),
    );
    await orders.waitForRows();
    await waitInPage(
      page,
      `the rows of ${JSON.stringify(step.params)}`,
      (want) =>
        JSON.stringify(
          [...document.querySelectorAll('[data-testid="orders-table"] tbody tr')].map((tr) =>
            tr.getAttribute('data-lead-id'),
          ),
        ) === want,
      JSON.stringify(step.rows),
    );
    assert.deepEqual(await state(), step);
  }
});

test('a new order chimes and, behind another tab, raises a browser notification', async () => {
  const orders = new OrdersPage(app);
  await page.getByTestId('alerts-sound').check();
  await waitInPage(page, 'the chime played as a sample', () => window.__tones >= 2);
  await page.getByTestId('alerts-desktop').check();
  assert.ok(await page.getByTestId('alerts-desktop').isChecked());

  await page.reload();
  await orders.waitForRows();
  assert.ok(await page.getByTestId('alerts-sound').isChecked(), 'kept by this browser');
  assert.ok(await page.getByTestId('alerts-desktop').isChecked());
  await app.waitForSubscription('LeadCreated');

  // In front: a toast and the chime, no browser notification.
  const tones = await page.evaluate(() => window.__tones);
  const first = await submitOrder(server, {
    name: 'Анна',
    surname: 'Дмитриева',
    email: 'front@example.com',
    budget: '3 млн',
  });
  await orders.toast().filter({ hasText: 'Дмитриева Анна' }).waitFor();
  await waitInPage(page, 'a chime for it', (n) => window.__tones > n, tones);
  assert.deepEqual(await page.evaluate(() => window.__notes), []);

  // Behind another tab: the browser notification too, tagged with the order.
  await page.evaluate(() => {
    window.__background = true;
  });
  const second = await submitOrder(server, {
    name: 'Егор',
    surname: 'Ефимов',
    email: 'back@example.com',
    budget: '9 млн',
    deadline: 'срочно',
  });
  const notes = await eventually(
    'the browser notification',
    () => page.evaluate(() => window.__notes),
    (n) => n.length === 1,
  );
  assert.equal(notes[0].title, 'Новая заявка');
  assert.match(notes[0].body, /Ефимов Егор/);
  assert.equal(notes[0].tag, second.id);
  await page.evaluate(() => {
    window.__background = false;
  });
  await waitInPage(page, 'the title counts both', () => document.title.startsWith('(4) '));
  ids.extra = [first.id, second.id];

  await page.getByTestId('alerts-sound').uncheck();
  await page.getByTestId('alerts-desktop').uncheck();
});

test('the card: a note, the history with who moved it, spam leaves the list, delete, reopen asks', async () => {
  const orders = new OrdersPage(app);
  await orders.openOrder(ids.hot);
  await page.getByLabel('Новая заметка').fill('Перезвонить в 15:00, просил КП');
  await page.getByRole('button', { name: 'Добавить заметку' }).click();
  const note = page.locator('.notes__item').filter({ hasText: 'Перезвонить в 15:00, просил КП' });
  await note.waitFor();
  assert.match(await note.textContent(), new RegExp(EMAIL));
  assert.equal(await page.getByLabel('Новая заметка').inputValue(), '', 'the box is cleared');
  // Its author corrects it in place (it says so), then deletes it, asked first.
  const first = page.locator('.notes__item').first();
  await first.getByRole('button', { name: 'изменить' }).click();
  await first.getByLabel('Текст заметки').fill('Перезвонить в 16:00, просил КП');
  await first.getByRole('button', { name: 'Сохранить заметку' }).click();
  const corrected = page.locator('.notes__item').filter({ hasText: 'Перезвонить в 16:00, просил КП' });
  await corrected.filter({ hasText: 'изменена' }).waitFor();
  assert.equal(await page.locator('.notes__item').count(), 1);
  await page.getByLabel('Новая заметка').fill('Отправил КП');
  await page.getByRole('button', { name: 'Добавить заметку' }).click();
  await page.locator('.notes__item').filter({ hasText: 'Отправил КП' }).waitFor();
  await corrected.getByRole('button', { name: 'Удалить заметку' }).click();
  const askedNote = page.getByRole('dialog', { name: 'Удалить заметку?' });
  await askedNote.getByRole('button', { name: 'Удалить заметку' }).click();
  await corrected.waitFor({ state: 'detached' });
  const { lead: card } = await gqlOk(server, 'query($id: ID!) { lead(id: $id) { notes { body } } }', { id: ids.hot }, token);
  assert.deepEqual(
    card.notes.map((n) => n.body),
    ['Отправил КП'],
  );

  await page.getByRole('radio', { name: 'В работе' }).check();
  await page.getByRole('button', { name: 'Сохранить статус' }).click();
  await page.getByTestId('history').waitFor();
  const history = await page.getByTestId('history').textContent();
  assert.match(history, /Новая → В работе/);
  assert.match(history, new RegExp(EMAIL));
  await app.shots('queue-card');

  // Spam leaves the queue (and the count in the title). It blocks the contacts' later orders
  // too, so it asks first, naming them; cancelling changes nothing.
  await page.getByTestId('spam-toggle').click();
  const asked = page.getByRole('dialog', { name: 'Отметить как спам?' });
  await asked.waitFor();
  assert.match(await asked.textContent(), new RegExp(`от ${ORDERS.hot.email.replace('.', '\\.')}`));
  await asked.getByRole('button', { name: 'Отмена' }).click();
  await asked.waitFor({ state: 'hidden' });
  assert.equal((await allLeads()).find((l) => l.id === ids.hot).status, 'IN_PROGRESS');
  await page.getByTestId('spam-toggle').click();
  await asked.getByRole('button', { name: 'Это спам' }).click();
  await page.getByTestId('spam-toggle').filter({ hasText: 'Не спам' }).waitFor();
  await app.goto('/orders');
  await orders.waitForRows();
  assert.ok(!(await orders.rows()).some((r) => r.id === ids.hot), 'spam is out of the list');

  // A closed order going back to open asks first; cancelling changes nothing.
  await orders.openOrder(ids.won);
  await page.getByRole('radio', { name: 'Новая' }).check();
  await page.getByRole('button', { name: 'Сохранить статус' }).click();
  const dialog = page.getByRole('dialog', { name: 'Вернуть закрытую заявку?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Отмена' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const won = (await allLeads()).find((l) => l.id === ids.won);
  assert.equal(won.status, 'WON');

  // Delete, confirmed, from a searched list: back on that list, as the admin left it.
  await app.goto('/orders');
  await orders.search('912 555');
  await orders.openOrder(ids.cool);
  // WhatsApp was the customer's choice: a chat with their number is one click away.
  const chat = page.getByTestId('chat-link');
  assert.equal(await chat.textContent(), 'написать в WhatsApp');
  assert.equal(await chat.getAttribute('href'), 'https://wa.me/79125551234');
  // Nothing given: the minimum, and why.
  assert.equal(
    await page.getByTestId('reason-budget').textContent(),
    'не указано → минимум 10 из 40',
  );
  await page.getByTestId('delete-order').click();
  const confirm = page.getByRole('dialog', { name: 'Удалить заявку?' });
  await confirm.getByRole('button', { name: 'Удалить заявку' }).click();
  await orders.toast().filter({ hasText: 'Заявка удалена' }).waitFor();
  await waitInPage(page, 'back on the searched list', () => location.pathname === '/admin/orders');
  assert.equal(await page.evaluate(() => new URLSearchParams(location.search).get('q')), '912 555');
  assert.equal(await page.getByRole('searchbox').inputValue(), '912 555');
  // The search found only the deleted order: the list it comes back to says nothing matches.
  await page.getByTestId('orders-empty').filter({ hasText: 'Под эти фильтры ничего не подходит.' }).waitFor();
  assert.ok(!(await allLeads()).some((l) => l.id === ids.cool), 'gone on the server');
});

test('English, and a 390 px phone: every order whole, the sort in a picker', async () => {
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'en-GB',
    timezoneId: 'UTC',
    hasTouch: true,
    isMobile: true,
  });
  const phonePage = await phone.newPage();
  phonePage.setDefaultTimeout(15_000);
  const phoneApp = new AdminApp(phonePage, server.url);
  const orders = new OrdersPage(phoneApp);
  const signIn = new SignInPage(phoneApp);
  await phoneApp.goto('/orders');
  await signIn.waitForSignIn();
  await signIn.signIn(EMAIL, PASSWORD);
  await orders.waitForRows();
  await waitInPage(phonePage, 'the English title', () => / Orders · Order Desk$/.test(document.title));

  const overflow = await phonePage.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.equal(overflow, 0, 'no sideways scrolling');
  const cut = await orders.table.locator('tbody tr').evaluateAll((trs) =>
    trs.flatMap((tr) =>
      ['priority', 'score', 'name', 'status', 'age'].flatMap((col) => {
        const cell = tr.querySelector(`[data-col="${col}"]`);
        const r = cell?.getBoundingClientRect();
        return !r || r.width === 0 || r.right > window.innerWidth || r.left < 0
          ? [`${tr.dataset.leadId} ${col}`]
          : [];
      }),
    ),
  );
  assert.deepEqual(cut, [], 'priority, score, client, status and age shown in every order');
  // The filter bar's boxes end on one line: the second date keeps to the card's padding.
  const rightEdges = await phonePage.evaluate(() =>
    ['input[type="search"]', 'input[type="date"]:last-of-type'].map((selector) =>
      Math.round(document.querySelector(selector)?.getBoundingClientRect().right ?? -1),
    ),
  );
  assert.equal(rightEdges[1], rightEdges[0], `the dates end where the search box does: ${rightEdges}`);
  // The narrowest phones (320 px): the alert switches and the dates wrap instead of widening the
  // page, and every date box stays whole inside the filter bar.
  await phonePage.setViewportSize({ width: 320, height: 640 });
  const narrow = await phonePage.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    search: document.querySelector('input[type="search"]')?.getBoundingClientRect().right,
    dates: [...document.querySelectorAll('input[type="date"]')].map((d) => {
      const r = d.getBoundingClientRect();
      return { right: r.right, width: r.width };
    }),
  }));
  assert.equal(narrow.overflow, 0, 'no sideways scrolling at 320 px');
  for (const date of narrow.dates) {
    assert.ok(date.right <= narrow.search + 0.5, `a date box ends inside the bar: ${JSON.stringify(narrow)}`);
    assert.ok(date.width >= 130, `a date box is wide enough for its date: ${JSON.stringify(narrow)}`);
  }
  await phonePage.setViewportSize({ width: 390, height: 844 });

  const before = await orders.table.innerHTML();
  await phonePage.getByTestId('sort-select').selectOption('DATE');
  await orders.settled(before);
  assert.match(phoneApp.location(), /sort=date/);
  const rows = await orders.rows();
  assert.equal(rows[0].id, ids.extra[1], 'newest first');
  await screenshot(phonePage, 'admin', 'queue-phone-en');
  // No headings to click twice: the picker's own button reverses the order.
  const direction = phonePage.getByTestId('sort-direction');
  assert.equal(await direction.getAttribute('aria-label'), 'Order: descending. Press to reverse');
  const newestFirst = await orders.table.innerHTML();
  await direction.click();
  await orders.settled(newestFirst);
  assert.match(phoneApp.location(), /sort=date&dir=asc/);
  const oldestFirst = await orders.rows();
  // Every order of this suite fits on one page: the same orders, the other way round.
  assert.ok(rows.length < 50, `${rows.length} orders fit on a page`);
  assert.deepEqual(
    oldestFirst.map((r) => r.id),
    rows.map((r) => r.id).reverse(),
    'oldest first',
  );
  await phone.close();
});

test('first run: the empty list points to the services and the public page, then to the public page alone', async () => {
  const fresh = await startServer();
  const freshContext = await browser.newContext({ locale: 'ru-RU', timezoneId: 'UTC' });
  try {
    await registerAdmin(fresh, EMAIL, PASSWORD);
    const freshPage = await freshContext.newPage();
    freshPage.setDefaultTimeout(15_000);
    const freshApp = new AdminApp(freshPage, fresh.url);
    await freshApp.goto('/orders');
    const signIn = new SignInPage(freshApp);
    await signIn.waitForSignIn();
    await signIn.signIn(EMAIL, PASSWORD);
    const empty = freshPage.getByTestId('orders-empty');
    await empty.waitFor();
    assert.match(await empty.textContent(), /Заявок пока нет/);
    await empty.getByRole('link', { name: 'Добавить услуги' }).click();
    await waitInPage(freshPage, 'the services page', () => location.pathname === '/admin/services');
    await freshPage.getByText(/Услуг пока нет/).waitFor();
    await freshApp.goto('/orders');
    const pageLink = freshPage.getByTestId('orders-empty').getByRole('link', {
      name: 'Открыть публичную страницу',
    });
    assert.equal(await pageLink.getAttribute('href'), '/');
    assert.equal(await pageLink.getAttribute('target'), '_blank');
    await screenshot(freshPage, 'admin', 'queue-first-run');

    // With a service, customers can order: the empty list points to the public page alone,
    // and the services the filter bar asks for anyway are all it needs to know that.
    const services = new ServicesPage(freshApp);
    await services.open();
    await services.startAdding('Аудит сайта', 'Проверим скорость и формы');
    await services.row('Аудит сайта').waitFor();
    const asked = [];
    freshPage.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') {
        asked.push(request.postDataJSON()?.operationName);
      }
    });
    await freshApp.goto('/orders');
    await empty
      .getByText('Заявки приходят с публичной страницы: дайте клиентам ссылку на неё.')
      .waitFor();
    assert.match(await empty.textContent(), /^Заявок пока нет/);
    assert.deepEqual(
      await empty.getByRole('link').evaluateAll((links) => links.map((a) => a.textContent)),
      ['Открыть публичную страницу'],
    );
    assert.equal(asked.filter((name) => name === 'ServiceOptions').length, 1);
    await screenshot(freshPage, 'admin', 'queue-empty-with-services');
  } finally {
    await freshContext.close();
    await fresh.stop();
  }
});

test('an order closed elsewhere: once the fresh card is in, its form holds the status and the lost reason', async () => {
  const orders = new OrdersPage(app);
  const card = new OrderPage(app);
  const reason = 'Ушли к подрядчику, который уже работал с ними';
  const { id } = await submitOrder(server, {
    name: 'Ирина',
    surname: 'Зайцева',
    email: 'lost-elsewhere@example.com',
  });
  await app.goto('/orders');
  await orders.waitForRows();
  // Seen once: next time the panel shows the card as it was, then as the server has it now.
  await orders.openOrder(id);
  await card.back();
  await orders.waitForRows();
  // Meanwhile another admin closes it as lost, with the reason.
  await moveElsewhere(id, 'LOST', reason);
  await orders.openOrder(id);
  await page.locator('.order__temp [data-status="LOST"]').waitFor();
  assert.equal(
    await page.getByRole('radio', { name: 'Потеряна' }).isChecked(),
    true,
    'the form follows the status the card shows',
  );
  assert.equal(await card.lostReason().inputValue(), reason, 'the reason is in its box to edit');
});

test('two admins on one order: a move made on a stale card is refused, the card shows the other move, and asking again decides', async () => {
  const orders = new OrdersPage(app);
  const card = new OrderPage(app);
  const { id } = await submitOrder(server, {
    name: 'Олег',
    surname: 'Борисов',
    email: 'two-admins@example.com',
  });
  // Read already, so opening the card marks nothing: that mutation's answer would have the card
  // read again, and might bring the other admin's move in before this one is tried.
  await gqlOk(server, 'mutation($id: ID!) { markLeadOpened(id: $id) { id } }', { id }, token);
  await app.goto('/orders');
  await orders.waitForRows();
  await orders.openOrder(id);
  await page.locator('.order__temp [data-status="NEW"]').waitFor();
  // While this card shows NEW, another admin closes the order as won.
  await moveElsewhere(id, 'WON');

  // The card is read again after the refusal: held, so the notice is seen before it arrives.
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  await page.route('**/graphql', async (route) => {
    if (route.request().postData()?.includes('query LeadDetail')) await held;
    await route.continue();
  });
  await card.chooseStatus('В работе');
  await card.save();
  const notice = page.getByTestId('moved-meanwhile');
  // Not yet naming a status: the one this card has is the stale one.
  await notice.filter({ hasText: 'Загружаем заявку заново' }).waitFor();
  release();
  await notice.filter({ hasText: 'сейчас «Выиграна»' }).waitFor();
  // The held request has gone on by now: nothing is left for the handler to finish.
  await page.unrouteAll({ behavior: 'wait' });
  await page.locator('.order__temp [data-status="WON"]').waitFor();
  const stored = async () =>
    (await gqlOk(server, 'query($id: ID!) { lead(id: $id) { status history { toStatus } } }', { id }, token)).lead;
  assert.deepEqual(await stored(), { status: 'WON', history: [{ toStatus: 'WON' }] }, 'nothing was overwritten');
  assert.equal(await page.getByRole('radio', { name: 'В работе' }).isChecked(), true, 'the choice stays');
  await app.shots('queue-moved-meanwhile');

  // Deciding again on what is there now: reopening a won order asks first, then moves it.
  await card.save();
  const dialog = page.getByRole('dialog', { name: 'Вернуть закрытую заявку?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Вернуть' }).click();
  await card.saved().waitFor();
  await notice.waitFor({ state: 'detached' });
  assert.equal((await stored()).status, 'IN_PROGRESS');

  // The other admin wins it again while this window is in the background; coming back to the
  // window shows it before anything is tried.
  await moveElsewhere(id, 'WON');
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await page.locator('.order__temp [data-status="WON"]').waitFor();
});

test('two admins on one lost order: a reason rewritten on a stale card is refused, the other reason shows, and the typed text stays', async () => {
  const orders = new OrdersPage(app);
  const card = new OrderPage(app);
  const { id } = await submitOrder(server, {
    name: 'Глеб',
    surname: 'Лаврентьев',
    email: 'two-reasons@example.com',
  });
  await gqlOk(server, 'mutation($id: ID!) { markLeadOpened(id: $id) { id } }', { id }, token);
  await moveElsewhere(id, 'LOST', 'Дорого');
  await app.goto('/orders');
  await orders.waitForRows();
  await orders.openOrder(id);
  await page.locator('.order__temp [data-status="LOST"]').waitFor();
  // While this card shows «Дорого», another admin rewrites the reason (the status stays LOST).
  await moveElsewhere(id, 'LOST', 'Выбрали подрядчика ближе к офису');

  const mine = 'Не отвечает на звонки';
  await card.lostReason().fill(mine);
  await card.save();
  const notice = page.getByTestId('moved-meanwhile');
  await notice.filter({ hasText: 'сейчас «Выбрали подрядчика ближе к офису»' }).waitFor();
  const stored = async () =>
    (await gqlOk(server, 'query($id: ID!) { lead(id: $id) { status lostReason } }', { id }, token)).lead;
  assert.deepEqual(
    await stored(),
    { status: 'LOST', lostReason: 'Выбрали подрядчика ближе к офису' },
    'the other admin\'s reason was not overwritten',
  );
  assert.equal(await card.lostReason().inputValue(), mine, 'the typed text stays in its box');

  // Having seen the other reason, saving again writes this one.
  await card.save();
  await card.saved().waitFor();
  await notice.waitFor({ state: 'detached' });
  assert.deepEqual(await stored(), { status: 'LOST', lostReason: mine });
  // The history says who wrote which reason: the move to LOST, then each new reason.
  const history = page.getByTestId('history');
  await history.getByText(`«${mine}»`).waitFor();
  assert.deepEqual(await history.locator('.timeline__reason').allInnerTexts(), [
    '«Дорого»',
    '«Выбрали подрядчика ближе к офису»',
    `«${mine}»`,
  ]);
  assert.equal(await history.locator('.timeline__item', { hasText: 'новая причина' }).count(), 2);
});

test('the list left in the background shows other admins\' moves once its window is in front again', async () => {
  const orders = new OrdersPage(app);
  const { id } = await submitOrder(server, {
    name: 'Вера',
    surname: 'Громова',
    email: 'background-list@example.com',
  });
  await app.goto('/orders');
  await orders.waitForRows();
  await orders.row(id).locator('[data-status="NEW"]').waitFor();
  await moveElsewhere(id, 'IN_PROGRESS');
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await orders.row(id).locator('[data-status="IN_PROGRESS"]').waitFor();
});
