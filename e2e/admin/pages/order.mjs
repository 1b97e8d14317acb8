// One order's card: fields, score breakdown bars, status change, behavior.
export class OrderPage {
  /** @param {import('./app.mjs').AdminApp} app */
  constructor(app) {
    this.app = app;
    this.page = app.page;
    this.card = this.page.getByTestId('order-card');
  }

  async open(id) {
    await this.app.goto(`/orders/${id}`);
    await this.card.waitFor();
  }

  /** The three bars as { factor: { now, max, text } }. */
  async breakdown() {
    return this.page
      .getByTestId('breakdown')
      .locator('[role="meter"]')
      .evaluateAll((meters) =>
        Object.fromEntries(
          meters.map((m) => [
            m.closest('[data-factor]')?.getAttribute('data-factor'),
            {
              now: Number(m.getAttribute('aria-valuenow')),
              max: Number(m.getAttribute('aria-valuemax')),
              text: m.getAttribute('aria-valuetext'),
              width: m.firstElementChild?.getBoundingClientRect().width ?? 0,
              full: m.getBoundingClientRect().width,
            },
          ]),
        ),
      );
  }

  score() {
    return this.page.getByTestId('order-score');
  }

  firstResponse() {
    return this.page.getByTestId('first-response');
  }

  behavior() {
    return this.page.getByTestId('behavior');
  }

  async chooseStatus(label) {
    await this.page.getByRole('radio', { name: label }).check();
  }

  lostReason() {
    return this.page.getByLabel(/Почему заявка потеряна|Why was the order lost/);
  }

  async save() {
    await this.page.getByRole('button', { name: /Сохранить статус|Save status/ }).click();
  }

  saved() {
    return this.page.getByRole('status').filter({ hasText: /Сохранено|Saved/ });
  }

  async back() {
    await this.page.getByRole('link', { name: /К списку заявок|Back to orders/ }).click();
  }
}
