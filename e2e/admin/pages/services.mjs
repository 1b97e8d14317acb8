// The services table: add a row, edit cells in place, delete with confirmation.
export class ServicesPage {
  /** @param {import('./app.mjs').AdminApp} app */
  constructor(app) {
    this.app = app;
    this.page = app.page;
    this.table = this.page.getByTestId('services-table');
  }

  async open() {
    await this.app.goto('/services');
    await this.table.locator('tbody tr').first().waitFor();
  }

  async names() {
    return this.table
      .locator('tbody tr[data-service-id] [data-field="name"]')
      .evaluateAll((cells) => cells.map((c) => c.textContent?.trim()));
  }

  row(name) {
    return this.table.locator('tbody tr[data-service-id]').filter({
      has: this.page.locator('[data-field="name"]', { hasText: name }),
    });
  }

  newRow() {
    return this.page.getByTestId('new-service-row');
  }

  async startAdding(name, description, price) {
    await this.page.getByTestId('add-service').click();
    await this.fillNew(name, description, price);
  }

  /** Fills the new row (a price only if given) and presses its Save. */
  async fillNew(name, description, price) {
    await this.newRow().locator('input[name="name"]').fill(name);
    await this.newRow().locator('textarea[name="description"]').fill(description);
    if (price !== undefined) await this.newRow().locator('input[name="priceFrom"]').fill(price);
    await this.newRow()
      .getByRole('button', { name: /Сохранить|Save/ })
      .click();
  }

  async cancelAdding() {
    await this.newRow()
      .getByRole('button', { name: /Отмена|Cancel/ })
      .click();
  }

  /** Clicks the cell, types the new value and presses Enter (Ctrl+Enter in descriptions). */
  async editCell(rowName, field, value) {
    // Pin the row by id: while editing, its name cell is an input, not text.
    const id = await this.row(rowName).getAttribute('data-service-id');
    const row = this.table.locator(`tr[data-service-id="${id}"]`);
    await row.locator(`button[data-field="${field}"]`).click();
    const input = row.locator(
      field === 'name' ? 'input[name="name"]' : 'textarea[name="description"]',
    );
    await input.fill(value);
    await input.press(field === 'name' ? 'Enter' : 'Control+Enter');
    return row;
  }

  cellError(scope) {
    return scope.locator('.field__error');
  }

  /** Hides the service from the site (or shows it again) and waits for the row to say so. */
  async setHidden(name, hidden) {
    const row = this.row(name);
    const hide = /^(Скрыть|Hide) /;
    const show = /^(Показать|Show) /;
    await row.getByRole('button', { name: hidden ? hide : show }).click();
    await row.getByRole('button', { name: hidden ? show : hide }).waitFor();
    return row;
  }

  async deleteRow(name, { confirm = true } = {}) {
    await this.row(name)
      .getByRole('button', { name: /Удалить|Delete/ })
      .click();
    const dialog = this.page.getByRole('dialog');
    await dialog.waitFor();
    if (confirm) await dialog.getByRole('button', { name: /^(Удалить|Delete)$/ }).click();
    else await dialog.getByRole('button', { name: /Отмена|Cancel/ }).click();
    return dialog;
  }
}
