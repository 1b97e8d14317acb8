// The statistics screen: cards, the activity chart, top clicks, form drop-off and the heatmap.
export class StatsPage {
  /** @param {import('./app.mjs').AdminApp} app */
  constructor(app) {
    this.app = app;
    this.page = app.page;
  }

  async open(query = '') {
    await this.app.goto(`/stats${query}`);
    await this.page.getByTestId('stat-cards').waitFor();
    await this.page.getByTestId('heatmap-canvas').waitFor();
  }

  /** What the screen's area says when its code could not be fetched. */
  loadFailed() {
    return this.page.getByTestId('screen-load-failed');
  }

  card(id) {
    return this.page.getByTestId(`card-${id}`);
  }

  async cardValue(id) {
    return this.card(id).locator('.stat-card__value').textContent();
  }

  async cardSub(id) {
    return this.card(id).locator('.stat-card__sub').textContent();
  }

  /**
   * Where the activity chart drew (the chart publishes it on every draw, since a canvas cannot
   * be read back as shapes): the plot's size, each point as [x, y] inside it, the x labels.
   * Waits for a drawing of `points` points.
   */
  async plot(points) {
    const chart = this.page.getByTestId('activity-chart');
    await this.page.waitForFunction(
      (n) => {
        const raw = document.querySelector('[data-testid="activity-chart"]')?.dataset.plot;
        return raw ? JSON.parse(raw).visits.length === n : false;
      },
      points,
    );
    return JSON.parse(await chart.getAttribute('data-plot'));
  }

  /** Every point of both series lies inside the plot. */
  assertInside(plot) {
    for (const [name, points] of [
      ['visits', plot.visits],
      ['orders', plot.orders],
    ]) {
      for (const [x, y] of points) {
        if (x < 0 || x > plot.width || y < 0 || y > plot.height) {
          throw new Error(
            `${name} point (${x}, ${y}) outside the ${plot.width}×${plot.height} plot`,
          );
        }
      }
    }
  }

  /** The chart legend's values with the cursor off the chart: [x, visits, orders]. */
  async legend() {
    await this.page.mouse.move(0, 0);
    return this.page
      .getByTestId('activity-chart')
      .locator('.u-legend .u-value')
      .allTextContents();
  }

  /** Canvases uPlot drew in the chart, with how many pixels are painted. */
  async chartPaintedPixels() {
    return this.page
      .getByTestId('activity-chart')
      .locator('canvas')
      .first()
      .evaluate(paintedPixels);
  }

  heatmapCanvas() {
    return this.page.getByTestId('heatmap-canvas');
  }

  async heatmapPaintedPixels() {
    return this.heatmapCanvas().evaluate(paintedPixels);
  }

  /** Colour of the hottest painted pixel: [r, g, b, a]. */
  async heatmapHottest() {
    return this.heatmapCanvas().evaluate((canvas) => {
      const ctx = canvas.getContext('2d');
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let best = [0, 0, 0, 0];
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && data[i] - data[i + 2] > best[0] - best[2]) {
          best = [data[i], data[i + 1], data[i + 2], data[i + 3]];
        }
      }
      return best;
    });
  }

  async chooseViewport(label) {
    await this.page
      .getByRole('radiogroup', { name: /Размер экрана|Screen size/ })
      .getByRole('radio', { name: label })
      .click();
  }

  async choosePeriod(label) {
    await this.page
      .getByRole('radiogroup', { name: /Период|Period/ })
      .getByRole('radio', { name: label })
      .click();
  }

  /** The name shown for an element (`ELEMENT`, a click key) or a form field (`FIELD`). */
  labelCell(kind, element) {
    return this.page.locator(`[data-kind="${kind}"][data-element="${element}"]`);
  }

  async shownName(kind, element) {
    return this.labelCell(kind, element).getByTestId('element-name').textContent();
  }

  /** Waits until the element's cell reads `name` (the page's names arrive with the preview). */
  async waitForName(kind, element, name) {
    await this.page.waitForFunction(
      ([k, e, n]) =>
        document.querySelector(`[data-kind="${k}"][data-element="${e}"] [data-testid="element-name"]`)
          ?.textContent === n,
      [kind, element, name],
    );
  }

  /** Opens the inline editor with the keyboard (focus the rename button, Enter). */
  async startRename(kind, element) {
    const button = this.labelCell(kind, element).getByRole('button');
    await button.focus();
    await this.page.keyboard.press('Enter');
    const input = this.labelCell(kind, element).getByRole('textbox');
    await input.waitFor();
    return input;
  }

  /** The public page in the heatmap's frame. */
  previewFrame() {
    return this.page.frameLocator('[data-testid="heatmap-page"]');
  }

  async waitForPreview() {
    await this.page.waitForFunction(() => {
      const frame = document.querySelector('[data-testid="heatmap-page"]');
      return Boolean(frame?.dataset.pageHeight && frame.contentDocument?.getElementById('submit'));
    });
  }

  async showHeatmapTable() {
    await this.page.getByText(/Самые горячие места таблицей|Hottest places as a table/).click();
    return this.page.getByTestId('heatmap-table');
  }
}

function paintedPixels(canvas) {
  const ctx = canvas.getContext('2d');
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
  return { painted, width: canvas.width, height: canvas.height };
}
