// Statistics that read right (issue 13), in both languages, on a desktop and a 390 px phone:
// the 1-day chart is hourly and the 7- and 30-day charts daily, with local-time labels and every
// point inside the plot; the legend names the window until hovered; every card follows the
// period; the page fits a phone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../public-site/page.mjs';
import { launchBrowser, screenshot } from '../support/browser.mjs';
import { registerAdmin, startServer } from '../support/server.mjs';
import { gqlOk, simulateVisit } from './api.mjs';
import { AdminApp } from './pages/app.mjs';
import { SignInPage } from './pages/signIn.mjs';
import { StatsPage } from './pages/stats.mjs';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';

const LANGS = {
  ru: { locale: 'ru-RU', today: 'Сегодня', last7: 'за последние 7 дней', days: (n) => new RegExp(`^${n}\\s`) },
  en: { locale: 'en-US', today: 'Today', last7: 'in the last 7 days', days: (n) => new RegExp(`^${n}\\s`) },
};

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

async function openApp(lang, viewport) {
  const context = await browser.newContext({
    viewport,
    locale: LANGS[lang].locale,
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
      await stats.choosePeriod(LANGS[lang].days(1));
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
