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

  card(id) {
    return this.page.getByTestId(`card-${id}`);
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
