// Shared helpers for the admin SPA page objects: URLs, screenshots in light and dark, and
// watching the live WebSocket.
import { screenshot } from '../../support/browser.mjs';

export class AdminApp {
  /** @param {import('playwright-core').Page} page @param {string} baseUrl */
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    /** The SPA's GraphQL sockets, oldest first: a reload opens a new one and closes the old. */
    this.sockets = [];
    this.errors = [];
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`console: ${message.text()}`);
    });
    page.on('websocket', (ws) => {
      if (!ws.url().endsWith('/graphql')) return;
      const socket = { acked: false, closed: false, subscriptions: [] };
      this.sockets.push(socket);
      ws.on('close', () => {
        socket.closed = true;
      });
      ws.on('framereceived', (frame) => {
        if (String(frame.payload).includes('"connection_ack"')) socket.acked = true;
      });
      ws.on('framesent', (frame) => {
        const text = String(frame.payload);
        if (text.includes('"subscribe"')) socket.subscriptions.push(text);
      });
    });
  }

  url(path = '/') {
    return `${this.baseUrl}/admin${path}`;
  }

  async goto(path = '/') {
    await this.page.goto(this.url(path));
  }

  /** Path and query inside the SPA (without the /admin base). */
  location() {
    const url = new URL(this.page.url());
    return `${url.pathname.replace(/^\/admin/, '')}${url.search}`;
  }

  nav(name) {
    return this.page
      .getByRole('navigation', { name: /Разделы|Sections/ })
      .getByRole('link', { name });
  }

  async signOut() {
    await this.page.getByRole('button', { name: /Выйти|Sign out/ }).click();
  }

  async setLanguage(code) {
    await this.page.getByRole('button', { name: code.toUpperCase(), exact: true }).click();
  }

  /**
   * Waits until the SPA's open WebSocket is acknowledged and subscribed to `operation`. Only
   * the newest socket counts: after a reload the closed one's subscription hears nothing.
   */
  async waitForSubscription(operation, timeout = 10_000) {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      const socket = this.sockets.at(-1);
      if (
        socket &&
        !socket.closed &&
        socket.acked &&
        socket.subscriptions.some((s) => s.includes(operation))
      ) {
        return;
      }
      await this.page.waitForTimeout(100);
    }
    throw new Error(`no WebSocket subscription to ${operation}`);
  }

  /** Full-page screenshots in the light and the dark scheme: <name>.png and <name>-dark.png. */
  async shots(name) {
    await this.page.emulateMedia({ colorScheme: 'light' });
    await this.page.waitForTimeout(150);
    await screenshot(this.page, 'admin', name);
    await this.page.emulateMedia({ colorScheme: 'dark' });
    await this.page.waitForTimeout(250);
    await screenshot(this.page, 'admin', `${name}-dark`);
    await this.page.emulateMedia({ colorScheme: 'light' });
    await this.page.waitForTimeout(100);
  }
}
