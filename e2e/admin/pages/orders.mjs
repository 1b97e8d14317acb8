// The ranked orders list: rows, badges, filters, pagination, export, live arrivals.
export class OrdersPage {
  /** @param {import('./app.mjs').AdminApp} app */
  constructor(app) {
    this.app = app;
    this.page = app.page;
    this.table = this.page.getByTestId('orders-table');
  }

  async open(query = '') {
    await this.app.goto(`/orders${query}`);
    await this.waitForRows();
  }

  async waitForRows() {
    await this.table.locator('tbody tr').first().waitFor();
    await this.page.waitForFunction(() => !document.querySelector('.panel__bar .spinner'));
  }

  count() {
    return this.page.getByTestId('orders-count');
  }

  /** Every visible row as { id, score, priority, badge, status, name }. */
  async rows() {
    return this.table.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        id: tr.getAttribute('data-lead-id'),
        score: Number(tr.querySelector('[data-col="score"]')?.textContent),
        priority: tr.querySelector('[data-priority]')?.getAttribute('data-priority'),
        badge: tr.querySelector('[data-priority]')?.textContent?.trim(),
        status: tr.querySelector('[data-status]')?.getAttribute('data-status'),
        name: tr.querySelector('[data-col="name"] a')?.textContent?.trim(),
        isNew: tr.classList.contains('row--new'),
      })),
    );
  }

  row(id) {
    return this.table.locator(`tr[data-lead-id="${id}"]`);
  }

  async selectFilter(label, value) {
    const before = await this.table.innerHTML().catch(() => '');
    await this.page.getByRole('search').getByLabel(label).selectOption(value);
    await this.settled(before);
  }

  async search(text) {
    const before = await this.table.innerHTML().catch(() => '');
    await this.page.getByRole('searchbox').fill(text);
    await this.settled(before);
  }

  async dateRange(from, to) {
    const before = await this.table.innerHTML().catch(() => '');
    await this.page.locator('input[name="from"]').fill(from);
    await this.page.locator('input[name="to"]').fill(to);
    await this.settled(before);
  }

  async resetFilters() {
    await this.page.getByRole('button', { name: /Сбросить фильтры|Reset filters/ }).click();
    // The router applies the new URL in a transition: right after the click the filtered rows
    // are still on screen with no spinner. The idle reset button is committed in the same
    // render as the unfiltered query, so wait for it before waiting for that query's rows.
    await this.page.locator('.filters__reset.is-idle').waitFor({ state: 'attached' });
    await this.waitForRows();
  }

  /** Waits for the list to re-render after a filter change (debounce, request, render). */
  async settled(before) {
    await this.page
      .waitForFunction(
        (html) => {
          const table = document.querySelector('[data-testid="orders-table"]');
          const empty = document.querySelector('.empty');
          return (table && table.innerHTML !== html) || empty;
        },
        before,
        { timeout: 5_000 },
      )
      .catch(() => {});
    await this.page.waitForFunction(() => !document.querySelector('.panel__bar .spinner'));
  }

  async nextPage() {
    const before = await this.table.innerHTML();
    await this.page.getByRole('button', { name: /Дальше|Next/ }).click();
    await this.settled(before);
  }

  async prevPage() {
    const before = await this.table.innerHTML();
    await this.page.getByRole('button', { name: /Назад|Previous/ }).click();
    await this.settled(before);
  }

  async exportCsv() {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByTestId('export-csv').click(),
    ]);
    return download;
  }

  async openOrder(id) {
    await this.row(id).getByRole('link').click();
    await this.page.getByTestId('order-card').waitFor();
  }

  toast() {
    return this.page.getByTestId('toast');
  }

  /** The status the list shows while the live connection is down. */
  /** The "no connection" notice, inside the list's live region. */
  liveDown() {
    return this.page.getByRole('status').getByTestId('live-down');
  }
}
