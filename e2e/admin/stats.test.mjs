// Statistics that read right (issue 13), in both languages, on a desktop and a 390 px phone:
// the 1-day chart is hourly and the 7- and 30-day charts daily, with local-time labels and every
// point inside the plot; the legend names the window until hovered; every card follows the
// period; the page fits a phone. Elements and fields read by their names (the page's own, or
// the owner's, edited inline); hot spots are named by the element under them; the heatmap's
// background is the real page in the admin's language, whole, and looking at it is no visit.
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../public-site/page.mjs';
import { launchBrowser, screenshot } from '../support/browser.mjs';
import { theDayLasts } from '../support/clock.mjs';
import { registerAdmin, startServer } from '../support/server.mjs';
import { gqlOk, simulateVisit } from './api.mjs';
import { AdminApp } from './pages/app.mjs';
import { SignInPage } from './pages/signIn.mjs';
import { StatsPage } from './pages/stats.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';

const LANGS = {
  ru: {
    locale: 'ru-RU',
    today: 'Сегодня',
    last7: 'за последние 7 дней',
    days: (n) => new RegExp(`^${n}\\s`),
    // The public page's own names (public-site/src/i18n/ru.ts), not the admin's dictionary.
    submit: 'Отправить заявку',
    service: 'Услуга',
    deadline: 'Сроки',
    spot: 'Кнопка «Отправить заявку»',
    ownElement: 'Главная кнопка',
    ownField: 'Когда нужно',
    tooLong: /^Не больше 100 символов$/,
  },
  en: {
    locale: 'en-US',
    today: 'Today',
    last7: 'in the last 7 days',
    days: (n) => new RegExp(`^${n}\\s`),
    submit: 'Send request',
    service: 'Service',
    deadline: 'Timeline',
    spot: '“Send request” button',
    ownElement: 'Main button',
    ownField: 'When it is needed',
    tooLong: /^At most 100 characters$/,
  },
};
// The click key `simulateVisit` (api.mjs) makes up: not an element of the page.
const HELPER_KEYS = new Set(['order-button']);

let server;
let browser;
let token;

const summaryOf = async (days) =>
  (
    await gqlOk(
      server,
      'query($d: Int!) { metricStats(days: $d) { summary { visits } series { start hours visits } } }',
      { d: days },
      token,
    )
  ).metricStats;

before(async () => {
  // Every test below reads the visits made here as today's: the whole file runs in one day.
  await theDayLasts(10);
  server = await startServer({ seedDemo: true });
  token = await registerAdmin(server, EMAIL, PASSWORD);
  // Today's visits on top of the demo month, so the 1-day view has something to draw.
  const before = (await summaryOf(1)).summary.visits;
  for (let i = 0; i < 3; i++) await simulateVisit(server, { points: 20 });
  await eventually(
    'the three visits of today in the statistics',
    () => summaryOf(1),
    (s) => s.summary.visits >= before + 3,
  );
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function openApp(lang, viewport, { locale = LANGS[lang].locale } = {}) {
  const context = await browser.newContext({
    viewport,
    locale,
    timezoneId: 'America/New_York', // not the business time zone (UTC): labels must not follow it
  });
  await context.addInitScript((l) => localStorage.setItem('orderDesk.locale', l), lang);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const app = new AdminApp(page, server.url);
  await app.goto('/stats');
  const signIn = new SignInPage(app);
  await signIn.waitForSignIn();
  await signIn.signIn(EMAIL, PASSWORD);
  await page.getByTestId('stat-cards').waitFor();
  return { context, page, app, stats: new StatsPage(app) };
}

for (const lang of ['ru', 'en']) {
  describe(`statistics in ${lang}`, () => {
    let ctx;
    before(async () => {
      ctx = await openApp(lang, { width: 1366, height: 900 });
    });
    after(async () => ctx?.context.close());

    test('the pipeline: orders per status, outcomes per temperature and speed to lead, as the server counts them', async () => {
      const { page, stats } = ctx;
      await stats.open('?days=7');
      const { leadStats: truth } = await gqlOk(
        server,
        '{ leadStats { total byStatus { status count } byPriority { priority count won lost winRate } medianFirstResponseSeconds } }',
        {},
        token,
      );
      assert.ok(truth.total > 0, 'the demo has orders');
      // Days and hours are the business's: the page says in which zone (the server's UTC).
      assert.match(await page.getByTestId('stats-time-zone').textContent(), /: UTC \(TIMEZONE/);
      assert.ok(truth.byPriority.some((p) => p.winRate !== null), 'and some decided');
      const card = page.getByTestId('pipeline');
      await card.getByTestId('pipeline-temperature').waitFor();
      const number = (n) => new Intl.NumberFormat(LANGS[lang].locale).format(n);
      for (const { status, count } of truth.byStatus) {
        const item = card.locator(`li[data-status="${status}"]`);
        assert.equal((await item.locator('strong').textContent()).trim(), number(count), status);
      }
      for (const p of truth.byPriority) {
        const cells = await card
          .locator(`tr[data-priority="${p.priority}"] td`)
          .evaluateAll((tds) => tds.map((td) => td.textContent.trim()));
        assert.deepEqual(cells.slice(0, 3), [number(p.count), number(p.won), number(p.lost)], p.priority);
        if (p.winRate === null) assert.equal(cells[3], lang === 'ru' ? 'пока не решено' : 'none decided yet');
        else {
          const percent = new Intl.NumberFormat(LANGS[lang].locale, { style: 'percent', maximumFractionDigits: 1 });
          assert.equal(cells[3], percent.format(p.winRate), p.priority);
        }
      }
      const speed = await card.getByTestId('speed-to-lead').textContent();
      if (truth.medianFirstResponseSeconds === null) assert.match(speed, lang === 'ru' ? /не ответили/ : /answered yet/);
      else assert.match(speed, lang === 'ru' ? /^Первый ответ \(медиана последних 1000 ответов\): \S/ : /^First response \(median of the latest 1,000\): \S/);
    });

    test('the 1-day chart is today by the hour, every point inside the plot', async () => {
      const { page, stats } = ctx;
      await stats.open('?days=1');
      const truth = await summaryOf(1);
      const plot = await stats.plot(truth.series.length);
      assert.equal(plot.visits.length, truth.series.length);
      assert.ok(truth.series.every((b) => b.hours === 1));
      assert.ok(plot.ticks.length > 0);
      assert.ok(
        plot.ticks.every((t) => /^\d\d:00$/.test(t)),
        `hour labels: ${plot.ticks.join(', ')}`,
      );
      // Local (business) hours of today, in order, the last one the current hour.
      const hours = plot.ticks.map((t) => Number(t.slice(0, 2)));
      assert.deepEqual(
        hours,
        [...hours].sort((a, b) => a - b),
      );
      assert.equal(hours.at(-1), Number(truth.series.at(-1).start.slice(11, 13)));
      stats.assertInside(plot);
      // The visits of today are drawn: the highest visits point is above the bottom.
      assert.ok(Math.min(...plot.visits.map(([, y]) => y)) < plot.height - 5);
      // Off the chart the legend names the window and its totals, not "— — —".
      const legend = await stats.legend();
      const total = truth.series.reduce((s, b) => s + b.visits, 0);
      assert.equal(legend[0], LANGS[lang].today);
      assert.equal(legend[1], new Intl.NumberFormat(lang).format(total));
      assert.ok(!legend.includes('—'), legend.join(' '));
      await screenshot(page, 'stats', `chart-1-day-${lang}`);
    });

    test('the 7- and 30-day charts have one label per day, no repeats', async () => {
      const { page, stats } = ctx;
      for (const days of [7, 30]) {
        await stats.open(`?days=${days}`);
        const truth = await summaryOf(days);
        const plot = await stats.plot(days);
        assert.equal(plot.visits.length, days);
        assert.equal(new Set(plot.ticks).size, plot.ticks.length, plot.ticks.join(', '));
        if (days === 7) assert.equal(plot.ticks.length, 7);
        assert.ok(plot.ticks.every((t) => !/\d\d:\d\d/.test(t)), plot.ticks.join(', '));
        // The last label is today (business day, UTC here), whatever the browser's zone.
        const today = new Intl.DateTimeFormat(lang, {
          day: 'numeric',
          month: 'short',
          timeZone: 'UTC',
        }).format(new Date(`${truth.series.at(-1).start}Z`));
        assert.equal(plot.ticks.at(-1), today);
        stats.assertInside(plot);
        const legend = await stats.legend();
        assert.ok(!legend.includes('—'), legend.join(' '));
        await screenshot(page, 'stats', `chart-${days}-days-${lang}`);
      }
    });

    test('every card follows the period', async () => {
      const { page, stats } = ctx;
      await stats.open('?days=30');
      const month = (await summaryOf(30)).summary.visits;
      const today = (await summaryOf(1)).summary.visits;
      assert.notEqual(month, today, 'the demo month has more visits than today');
      const fmt = (n) => new Intl.NumberFormat(lang).format(n);
      assert.equal(await stats.cardValue('visits'), fmt(month));
      // One day is today, as its option says.
      await stats.choosePeriod(LANGS[lang].today);
      await page.waitForFunction(
        (want) =>
          document.querySelector('[data-testid="card-visits"] .stat-card__value')
            ?.textContent === want,
        fmt(today),
      );
      for (const id of ['average', 'median', 'visits', 'returning', 'conversion']) {
        assert.equal(await stats.cardSub(id), LANGS[lang].today, id);
      }
      await stats.choosePeriod(LANGS[lang].days(7));
      await page.waitForFunction(
        (want) =>
          document.querySelector('[data-testid="card-median"] .stat-card__sub')?.textContent ===
          want,
        LANGS[lang].last7,
      );
      // The values of a row of cards line up, however their titles wrap.
      const tops = await page
        .locator('.stat-card__value')
        .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
      assert.equal(new Set(tops).size, 1, `value tops ${tops.join(', ')}`);
      await screenshot(page, 'stats', `cards-7-days-${lang}`);
      // Each period picked is a step Back undoes: 7 days, then today, then the month.
      for (const [days, visits] of [
        ['1', today],
        ['30', month],
      ]) {
        await page.goBack();
        await page.waitForFunction(
          ([want, shown]) =>
            new URLSearchParams(location.search).get('days') === want &&
            document.querySelector('[data-testid="card-visits"] .stat-card__value')
              ?.textContent === shown,
          [days, fmt(visits)],
        );
      }
      // The period shown by default, picked: no step (the address names none, yet it is shown).
      await stats.open();
      const depth = await page.evaluate(() => history.length);
      await stats.choosePeriod(LANGS[lang].days(30));
      await stats.chooseViewport(/^(Компьютер|Desktop)/);
      await stats.choosePeriod(LANGS[lang].today);
      await page.waitForFunction(() => new URLSearchParams(location.search).get('days') === '1');
      assert.equal(await page.evaluate(() => history.length), depth + 1, 'one step: today');
    });
  });
}

for (const lang of ['ru', 'en']) {
  test(`a 390 px phone shows statistics without sideways scrolling (${lang})`, async () => {
    const { context, page, stats } = await openApp(lang, { width: 390, height: 844 });
    try {
      await stats.open('?days=30');
      await stats.plot(30);
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > 391)
          .slice(0, 8)
          .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
      );
      const widths = await page.evaluate(() => ({
        doc: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
      }));
      assert.ok(widths.doc <= 390 && widths.body <= 390, `${JSON.stringify(widths)} ${wide.join('; ')}`);
      // The abandonment table fits its card: nothing of it is cut off.
      const fit = await page.getByTestId('form-fields').evaluate((table) => {
        const card = table.closest('.card').getBoundingClientRect();
        const box = table.getBoundingClientRect();
        return { right: box.right, cardRight: card.right, scroll: table.scrollWidth, width: table.clientWidth };
      });
      assert.ok(fit.right <= fit.cardRight + 0.5, JSON.stringify(fit));
      assert.ok(fit.scroll <= fit.width + 1, JSON.stringify(fit));
      const plot = await stats.plot(30);
      stats.assertInside(plot);
      await screenshot(page, 'stats', `phone-${lang}`);
    } finally {
      await context.close();
    }
  });
}

const setLabel = (kind, element, label) =>
  gqlOk(
    server,
    'mutation($i: ElementLabelInput!) { setElementLabel(input: $i) { label } }',
    { i: { kind, element, label } },
    token,
  );

const labelsNow = async () =>
  (await gqlOk(server, '{ elementLabels { kind element label } }', {}, token)).elementLabels;

/** Where the submit button's centre is on the public page as the heatmap's frame lays it out at
 * the desktop class's width (1280 px, the page not scrolling): [x as a share of the width, y px]. */
async function submitCentre(lang) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/?preview&lang=${lang}`);
    // Laid out as the frame finally is: services and the business's "about" (demo) filled in.
    await page.waitForFunction(
      () =>
        document.querySelectorAll('#f-serviceId option').length > 1 &&
        !document.getElementById('about').hidden,
    );
    await page.evaluate(() => document.fonts.ready.then(() => true));
    return await page.evaluate(() => {
      document.documentElement.style.overflow = 'hidden';
      const box = document.getElementById('submit').getBoundingClientRect();
      return [(box.left + box.width / 2) / 1280, box.top + box.height / 2 + window.scrollY];
    });
  } finally {
    await context.close();
  }
}

/** Points counted today in the desktop heatmap's cell holding (x share, y px). */
async function pointsAt(x, y) {
  const { columns, rowHeight, packedCells } = (
    await gqlOk(
      server,
      '{ metricStats(days: 1) { heatmap(viewport: DESKTOP) { columns rowHeight packedCells } } }',
      {},
      token,
    )
  ).metricStats.heatmap;
  const cx = Math.floor(x * columns);
  const cy = Math.floor(y / rowHeight);
  for (let i = 0; i + 2 < packedCells.length; i += 3) {
    if (packedCells[i] === cx && packedCells[i + 1] === cy) return packedCells[i + 2];
  }
  return 0;
}

/** Which boxes stick out past the right edge of a `width` px screen (empty when none). */
const overflowing = (page, width) =>
  page.evaluate((w) => {
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > w + 1)
      .slice(0, 8)
      .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`);
    const doc = document.documentElement.scrollWidth;
    return doc > w ? [`document ${doc}`, ...wide] : [];
  }, width);

/** The heatmap shows the page whole: the frame as tall as its page, no scroll box around it. */
async function assertWholePage(page) {
  const measure = () =>
    page.evaluate(() => {
      const frame = document.querySelector('[data-testid="heatmap-page"]');
      const box = document.querySelector('.heatmap__viewport');
      const doc = frame.contentDocument;
      return {
        frame: frame.clientHeight,
        page: Math.max(doc.body.scrollHeight, doc.documentElement.scrollHeight),
        boxScroll: box.scrollHeight,
        boxClient: box.clientHeight,
        boxOverflow: getComputedStyle(box).overflowY,
      };
    });
  // The page grows as it fills in (its services, the business's text, fonts) and the frame
  // follows a resize later: wait for the frame to hold the whole page, or fail with the sizes.
  await page
    .waitForFunction(
      () => {
        const frame = document.querySelector('[data-testid="heatmap-page"]');
        const doc = frame?.contentDocument;
        if (!doc?.body) return false;
        return Math.max(doc.body.scrollHeight, doc.documentElement.scrollHeight) <= frame.clientHeight;
      },
      null,
      { timeout: 10_000 },
    )
    .catch(async () => assert.fail(`the page scrolls inside its frame: ${JSON.stringify(await measure())}`));
  const sizes = await measure();
  assert.ok(sizes.page > 800, JSON.stringify(sizes));
  assert.ok(sizes.boxScroll <= sizes.boxClient + 1, `inner scroll box: ${JSON.stringify(sizes)}`);
  assert.notEqual(sizes.boxOverflow, 'auto');
  assert.notEqual(sizes.boxOverflow, 'scroll');
}

for (const lang of ['ru', 'en']) {
  describe(`names and the real page in ${lang}`, () => {
    const L = LANGS[lang];
    let ctx;
    before(async () => {
      ctx = await openApp(lang, { width: 1366, height: 900 });
    });
    after(async () => ctx?.context.close());

    test('elements and fields read by the page’s own names; the demo counts only what the page has', async () => {
      const { page, stats } = ctx;
      await stats.open('?days=30');
      await stats.waitForPreview();
      const truth = (
        await gqlOk(
          server,
          '{ metricStats(days: 30) { topClicks { element } formFields { field } } }',
          {},
          token,
        )
      ).metricStats;
      const frame = page.frame({ url: /[?&]preview/ });
      for (const { element } of truth.topClicks) {
        if (HELPER_KEYS.has(element)) continue;
        assert.ok(
          await frame.evaluate((key) => document.getElementById(key) !== null, element),
          `the demo clicks on "${element}", which the page does not have`,
        );
        // Named by the page (some names, like the consent's, arrive after the page loads).
        await page.waitForFunction(
          (key) => {
            const name = document.querySelector(
              `[data-kind="ELEMENT"][data-element="${key}"] [data-testid="element-name"]`,
            )?.textContent;
            return Boolean(name) && name !== key;
          },
          element,
        );
      }
      for (const { field } of truth.formFields) {
        assert.ok(
          await frame.evaluate(
            (name) => document.querySelector(`#order [name="${name}"]`) !== null,
            field,
          ),
          `the demo fills "${field}", which the form does not have`,
        );
      }
      await stats.waitForName('ELEMENT', 'submit', L.submit);
      await stats.waitForName('ELEMENT', 'f-serviceId', L.service);
      // The page says "Сроки"/"Timeline" where the admin's own dictionary says "Срок"/"Deadline".
      await stats.waitForName('FIELD', 'deadline', L.deadline);
      await screenshot(page, 'stats', `names-${lang}`);
    });

    test('the owner renames an element and a field in place, with the keyboard; kept after reload; empty gives the page’s name back', async () => {
      const { page, stats } = ctx;
      // Whatever an earlier run left.
      await setLabel('ELEMENT', 'submit', '');
      await setLabel('FIELD', 'deadline', '');
      await stats.open('?days=30');
      await stats.waitForPreview();
      await stats.waitForName('ELEMENT', 'submit', L.submit);

      let input = await stats.startRename('ELEMENT', 'submit');
      assert.equal(await input.getAttribute('placeholder'), L.submit);
      await input.fill(L.ownElement);
      await page.keyboard.press('Enter');
      await stats.waitForName('ELEMENT', 'submit', L.ownElement);
      // Focus is back on the rename button of the same row.
      assert.equal(
        await page.evaluate(() => document.activeElement?.closest('[data-element]')?.dataset.element),
        'submit',
      );
      input = await stats.startRename('FIELD', 'deadline');
      await input.fill(L.ownField);
      await page.keyboard.press('Enter');
      await stats.waitForName('FIELD', 'deadline', L.ownField);
      assert.deepEqual(
        (await labelsNow()).map((l) => [l.kind, l.element, l.label]).sort(),
        [
          ['ELEMENT', 'submit', L.ownElement],
          ['FIELD', 'deadline', L.ownField],
        ],
      );

      await page.reload();
      await page.getByTestId('stat-cards').waitFor();
      await stats.waitForName('ELEMENT', 'submit', L.ownElement);
      await stats.waitForName('FIELD', 'deadline', L.ownField);

      // The server refuses a name over 100 characters: said beside the field, the input kept.
      input = await stats.startRename('ELEMENT', 'submit');
      await input.fill('x'.repeat(101));
      await page.keyboard.press('Enter');
      const alert = stats.labelCell('ELEMENT', 'submit').getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.textContent(), L.tooLong);
      assert.equal(await input.getAttribute('aria-invalid'), 'true');
      assert.equal(await input.inputValue(), 'x'.repeat(101));
      await screenshot(page, 'stats', `label-refused-${lang}`);
      await page.keyboard.press('Escape');
      await stats.waitForName('ELEMENT', 'submit', L.ownElement);

      // Empty: the owner's name goes, the page's own comes back (and stays after a reload).
      for (const [kind, key, own] of [
        ['ELEMENT', 'submit', L.submit],
        ['FIELD', 'deadline', L.deadline],
      ]) {
        input = await stats.startRename(kind, key);
        await input.fill('');
        await page.keyboard.press('Enter');
        await stats.waitForName(kind, key, own);
      }
      assert.deepEqual(await labelsNow(), []);
      await page.reload();
      await page.getByTestId('stat-cards').waitFor();
      await stats.waitForPreview();
      await stats.waitForName('ELEMENT', 'submit', L.submit);
      await stats.waitForName('FIELD', 'deadline', L.deadline);
    });

    test('a hot spot over the submit button is named after the button', async () => {
      const { page, stats } = ctx;
      const [x, y] = await submitCentre(lang);
      const before = await pointsAt(x, Math.round(y));
      const visitorId = randomUUID();
      const visitId = randomUUID();
      for (let seq = 1; seq <= 3; seq++) {
        await gqlOk(server, 'mutation($i: MetricsBatchInput!) { submitMetrics(input: $i) }', {
          i: {
            visitorId,
            visitId,
            seq,
            page: '/',
            viewportWidth: 1280,
            viewportHeight: 800,
            engagedSeconds: 5,
            clicks: [{ element: 'submit', count: 1 }],
            points: Array.from({ length: 200 }, () => ({ x, y: Math.round(y) })),
            fields: [],
          },
        });
      }
      await eventually(
        'the points on the button in the heatmap',
        () => pointsAt(x, Math.round(y)),
        (n) => n >= before + 600,
      );
      await stats.open('?days=1&viewport=DESKTOP');
      await stats.waitForPreview();
      const table = await stats.showHeatmapTable();
      await page.waitForFunction(
        (want) => document.querySelector('[data-testid="spot-name"]')?.textContent === want,
        L.spot,
      );
      const names = await table.getByTestId('spot-name').allTextContents();
      assert.ok(!names.includes(L.spot, 1), `the button is one spot: ${names.join(' | ')}`);
      await screenshot(page, 'stats', `hot-spot-${lang}`);
    });
  });

  test(`the heatmap shows the real page in ${lang}, whole, and looking at it makes no visit`, async () => {
    const L = LANGS[lang];
    // The browser speaks the other language: the page must follow the admin's, not the browser's.
    const other = lang === 'ru' ? 'en' : 'ru';
    const { context, page, stats } = await openApp(
      lang,
      { width: 1366, height: 900 },
      { locale: LANGS[other].locale },
    );
    const metrics = [];
    page.on('request', (r) => {
      if ((r.postData() ?? '').includes('submitMetrics')) metrics.push(r.url());
    });
    try {
      const visits = (await summaryOf(1)).summary.visits;
      await stats.open('?days=30');
      await stats.waitForPreview();
      const frame = page.frame({ url: /[?&]preview/ });
      const url = new URL(frame.url());
      assert.equal(url.searchParams.get('lang'), lang);
      assert.ok(url.searchParams.has('preview'));
      // Loaded and run: in the admin's language, the services filled in from the server.
      assert.equal(await frame.evaluate(() => document.documentElement.lang), lang);
      assert.equal(await frame.locator('#submit').textContent(), L.submit);
      await frame.waitForFunction(() => document.querySelectorAll('#f-serviceId option').length > 1);
      await assertWholePage(page);
      // The tracker never started: no visitor id kept, nothing sent even on a click and a page hide.
      assert.equal(await page.evaluate(() => localStorage.getItem('orderDesk.visitorId')), null);
      await frame.evaluate(() => {
        document.getElementById('f-name').click();
        window.dispatchEvent(new PageTransitionEvent('pagehide'));
      });
      // A round trip from the same page after that: any request the frame made is seen by now.
      await page.evaluate(() => fetch('/healthz').then((r) => r.status));
      assert.deepEqual(metrics, []);
      assert.equal((await summaryOf(1)).summary.visits, visits);
      await screenshot(page, 'stats', `heatmap-page-${lang}`);
    } finally {
      await context.close();
    }
  });

  test(`a 390 px phone: names editable and the heatmap whole, without sideways scrolling (${lang})`, async () => {
    const L = LANGS[lang];
    const { context, page, stats } = await openApp(lang, { width: 390, height: 844 });
    try {
      await stats.open('?days=30');
      await stats.waitForPreview();
      await stats.waitForName('ELEMENT', 'submit', L.submit);
      await assertWholePage(page);
      const stage = await page.locator('.heatmap__frame').boundingBox();
      assert.ok(stage.x >= 0 && stage.x + stage.width <= 391, JSON.stringify(stage));
      const input = await stats.startRename('ELEMENT', 'submit');
      await input.scrollIntoViewIfNeeded();
      const box = await input.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 391, `editor ${JSON.stringify(box)}`);
      assert.deepEqual(await overflowing(page, 390), []);
      await screenshot(page, 'stats', `phone-rename-${lang}`);
      await page.keyboard.press('Escape');
      await stats.waitForName('ELEMENT', 'submit', L.submit);
      const table = await stats.showHeatmapTable();
      await table.getByTestId('spot-name').first().waitFor();
      assert.deepEqual(await overflowing(page, 390), []);
      await screenshot(page, 'stats', `phone-heatmap-${lang}`);
    } finally {
      await context.close();
    }
  });
}
