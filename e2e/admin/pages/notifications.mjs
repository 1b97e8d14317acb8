// The Notifications panel: channel cards, the deliveries table and its filter.
export class NotificationsPage {
  /** @param {import('./app.mjs').AdminApp} app */
  constructor(app) {
    this.app = app;
    this.page = app.page;
    this.table = this.page.getByTestId('deliveries');
  }

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  channel(channel) {
    return this.page.locator(`[data-testid="channels"] [data-channel="${channel}"]`);
  }

  /** "On"/"Off" as the card says it. */
  async channelState(channel) {
    return (await this.channel(channel).locator('[data-configured]').textContent())?.trim();
  }

  testButton(channel) {
    return this.channel(channel).getByRole('button');
  }

  rowFor(leadId) {
    return this.table.locator(`tbody tr[data-lead-id="${leadId}"]`);
  }

  filter(label) {
    return this.page.getByRole('radio', { name: label, exact: true });
  }
}
