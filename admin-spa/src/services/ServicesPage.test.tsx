// @vitest-environment jsdom
// The services list against a scripted server (the real urql client over a fake `fetch`): a
// change pushed while the live connection was down is missed, so its return asks again; the
// business's currency is asked once for the page, however many rows there are; a hidden
// service says so and is shown again, and a shown one hidden, with one click.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, expect, test } from 'vitest';
import { cacheExchange, Client, fetchExchange, Provider } from 'urql';
import { LiveConnectionContext, type LiveConnection } from '../app/reconnects';
import { ToastProvider } from '../components/Toasts';
import { I18nProvider, LOCALE_KEY } from '../i18n/I18nProvider';
import { ServicesPage } from './ServicesPage';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const service = (name: string) => ({
  __typename: 'Service',
  id: name,
  name,
  description: null,
  priceFrom: null,
  hidden: false,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

/** A `fetch` answering each operation by name (and its variables) with `answer` (or what its
 * promise gives, when it holds the answer back), counting what was asked. */
function scriptedFetch(
  answer: (operationName: string, variables: Record<string, unknown>) => unknown,
) {
  const asked: Record<string, number> = {};
  const fetch = (_url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (typeof init?.body !== 'string') throw new Error('expected a JSON POST body');
    const { operationName, variables } = JSON.parse(init.body) as {
      operationName: string;
      variables?: Record<string, unknown>;
    };
    asked[operationName] = (asked[operationName] ?? 0) + 1;
    return Promise.resolve(answer(operationName, variables ?? {})).then((answered) => {
      const body = answered ?? {
        data: null,
        errors: [{ message: `unexpected ${operationName}` }],
      };
      return new Response(JSON.stringify(body), {
        headers: { 'content-type': 'application/json' },
      });
    });
  };
  return { asked, fetch };
}

/** The page on a client with urql's document cache over `fetch`, the live connection up. */
function renderCached(fetch: ReturnType<typeof scriptedFetch>['fetch']) {
  const client = new Client({
    url: '/graphql',
    preferGetMethod: false,
    exchanges: [cacheExchange, fetchExchange],
    fetch,
  });
  render(pageWith(client)({ reconnects: 0, down: false }));
}

/** The page as the app mounts it, on `client`, with the live connection as given. */
const pageWith = (client: Client) => (live: LiveConnection) => (
  <I18nProvider>
    <Provider value={client}>
      <LiveConnectionContext value={live}>
        <ToastProvider>
          <ServicesPage />
        </ToastProvider>
      </LiveConnectionContext>
    </Provider>
  </I18nProvider>
);

test('the list is fetched again when the live connection comes back', async () => {
  localStorage.setItem(LOCALE_KEY, 'en');
  let names = ['Logo'];
  const { asked, fetch } = scriptedFetch((operationName) =>
    operationName === 'Services' ? { data: { services: names.map(service) } } : undefined,
  );
  const client = new Client({
    url: '/graphql',
    preferGetMethod: false,
    exchanges: [fetchExchange],
    fetch,
  });
  const page = pageWith(client);

  const { rerender } = render(page({ reconnects: 0, down: false }));
  await screen.findByText('Logo');
  expect(asked.Services).toBe(1);

  // Down: another admin adds a service meanwhile; its push is lost with the connection.
  names = ['Logo', 'Website'];
  rerender(page({ reconnects: 0, down: true }));
  rerender(page({ reconnects: 1, down: false }));
  await screen.findByText('Website');
  expect(asked.Services).toBe(2);

  // Re-rendering without another reconnect asks nothing more.
  rerender(page({ reconnects: 1, down: false }));
  await waitFor(() => expect(asked.Services).toBe(2));
});

test('the currency is asked once for the page: more rows ask nothing more', async () => {
  localStorage.setItem(LOCALE_KEY, 'en');
  let names = ['Logo', 'Website', 'Audit'];
  const { asked, fetch } = scriptedFetch((operationName) =>
    operationName === 'Services'
      ? { data: { services: names.map((name) => ({ ...service(name), priceFrom: 5000 })) } }
      : operationName === 'ServicesCurrency'
        ? { data: { businessSettings: { __typename: 'BusinessSettings', currency: 'EUR' } } }
        : undefined,
  );
  // As the app's client asks (see app/client.ts): from the cache, then from the server, so
  // every query that mounts goes to the server once more.
  const client = new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    exchanges: [cacheExchange, fetchExchange],
    fetch,
  });
  const page = pageWith(client);
  const prices = () =>
    screen
      .getAllByRole('button', { name: /^Edit price: /i })
      .map((cell) => cell.textContent)
      .filter((text) => text.includes('€'));

  const { rerender } = render(page({ reconnects: 0, down: false }));
  await waitFor(() => expect(prices()).toHaveLength(3));
  expect(asked.ServicesCurrency).toBe(1);

  // The list grows (fetched again after an outage): the new rows show the price in the
  // currency already known, without asking for it.
  names = [...names, 'Hosting', 'Support'];
  rerender(page({ reconnects: 1, down: false }));
  await waitFor(() => expect(prices()).toHaveLength(5));
  await waitFor(() => expect(asked.Services).toBe(2));
  expect(asked.ServicesCurrency).toBe(1);
});

test('a hidden service says so, and one click shows it again or hides another', async () => {
  localStorage.setItem(LOCALE_KEY, 'en');
  const hidden = new Set(['Audit']);
  const sent: unknown[] = [];
  const listed = () =>
    ['Audit', 'Logo'].map((name) => ({ ...service(name), hidden: hidden.has(name) }));
  const { fetch } = scriptedFetch((operationName, variables) => {
    if (operationName === 'Services') return { data: { services: listed() } };
    if (operationName !== 'SetServiceHidden') return undefined;
    sent.push(variables);
    const { id, hidden: hide } = variables as { id: string; hidden: boolean };
    if (hide) hidden.add(id);
    else hidden.delete(id);
    return { data: { setServiceHidden: listed().find((s) => s.id === id) } };
  });
  renderCached(fetch);

  await screen.findByText('Hidden from the site');
  expect(screen.getByTestId('services-count').textContent).toBe(
    '2 services · 1 hidden from the site',
  );
  const audit = screen.getByRole('button', { name: 'Show “Audit” on the site' });
  expect(audit.closest('tr')?.className).toBe('row--hidden');

  fireEvent.click(audit);
  await screen.findByText('“Audit” is on the site again');
  expect(sent).toEqual([{ id: 'Audit', hidden: false }]);
  await waitFor(() => expect(screen.queryByText('Hidden from the site')).toBeNull());
  expect(screen.getByTestId('services-count').textContent).toBe('2 services');

  fireEvent.click(screen.getByRole('button', { name: 'Hide “Logo” from the site' }));
  await screen.findByText('“Logo” is hidden from the site');
  expect(sent).toEqual([
    { id: 'Audit', hidden: false },
    { id: 'Logo', hidden: true },
  ]);
  await waitFor(() =>
    expect(screen.getByRole('button', { name: 'Show “Logo” on the site' })).toBeTruthy(),
  );
});

test('the arrows move a service a place up or down, and the ends stay put', async () => {
  localStorage.setItem(LOCALE_KEY, 'en');
  let order = ['Audit', 'Logo', 'Website'];
  const sent: unknown[] = [];
  // The list asked again after a move waits for `release`: the move's own answer shows first.
  let release = () => {};
  let hold = false;
  const { fetch } = scriptedFetch((operationName, variables) => {
    if (operationName === 'Services') {
      const answer = { data: { services: order.map(service) } };
      return hold ? new Promise((resolve) => (release = () => resolve(answer))) : answer;
    }
    if (operationName !== 'MoveService') return undefined;
    sent.push(variables);
    const { id, direction } = variables as { id: string; direction: 'UP' | 'DOWN' };
    const at = order.indexOf(id);
    const to = direction === 'UP' ? at - 1 : at + 1;
    const [here, there] = [order[at], order[to]];
    if (here !== undefined && there !== undefined) {
      order = order.map((name, i) => (i === at ? there : i === to ? here : name));
    }
    return { data: { moveService: order.map(service) } };
  });
  renderCached(fetch);
  const shown = () =>
    [...document.querySelectorAll('button[data-field="name"]')].map((cell) => cell.textContent);

  await waitFor(() => expect(shown()).toEqual(['Audit', 'Logo', 'Website']));
  const top = screen.getByRole('button', { name: 'Move “Audit” up the page' });
  const bottom = screen.getByRole('button', { name: 'Move “Website” down the page' });
  expect(top.getAttribute('aria-disabled')).toBe('true');
  expect(bottom.getAttribute('aria-disabled')).toBe('true');
  fireEvent.click(top);
  fireEvent.click(bottom);

  // Down from the keyboard: the row moves at once (the move's answer shows before the list is
  // asked again), the focus stays on its arrow, and where it went is said. (jsdom keeps the
  // focus on a moved element where a browser drops it: e2e/admin/admin.test.mjs covers that.)
  hold = true;
  const down = screen.getByRole('button', { name: 'Move “Audit” down the page' });
  down.focus();
  fireEvent.click(down);
  await waitFor(() => expect(shown()).toEqual(['Logo', 'Audit', 'Website']));
  expect(document.activeElement).toBe(down);
  expect(screen.getByText('“Audit”: place 2 of 3')).toBeTruthy();
  release();
  hold = false;
  fireEvent.click(down);
  await waitFor(() => expect(shown()).toEqual(['Logo', 'Website', 'Audit']));
  expect(document.activeElement).toBe(down);
  expect(down.getAttribute('aria-disabled')).toBe('true');
  sent.length = 0;

  const up = screen.getByRole('button', { name: 'Move “Website” up the page' });
  fireEvent.click(up);
  await waitFor(() => expect(shown()).toEqual(['Website', 'Logo', 'Audit']));
  expect(sent).toEqual([{ id: 'Website', direction: 'UP' }]);
  expect(up.getAttribute('aria-disabled')).toBe('true');
});
