// The harness itself: a server starts, answers, and GraphiQL renders in the browser from
// assets served by this machine (no CDN).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot } from './browser.mjs';
import { startServer } from './server.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

test('the server answers GraphQL', async () => {
  const body = await server.gql('{ adminExists services { id } }');
  assert.deepEqual(body, { data: { adminExists: false, services: [] } });
});

test('GraphiQL renders offline and runs a query', async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const external = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url)) external.push(request.url());
    });
    await page.goto(`${server.url}/graphiql`);
    await page.locator('.graphiql-container').waitFor({ timeout: 15_000 });
    await page.locator('.graphiql-query-editor .CodeMirror').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('{ adminExists }');
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.result-window').getByText('"adminExists": false').waitFor({ timeout: 15_000 });
    await screenshot(page, 'graphiql', 'query');
    assert.deepEqual(external, [], 'GraphiQL must not load anything from outside');
  } finally {
    await browser.close();
  }
});
