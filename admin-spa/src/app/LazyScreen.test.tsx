// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, test, vi } from 'vitest';
import { I18nProvider, LOCALE_KEY } from '../i18n/I18nProvider';
import { ErrorBoundary } from './ErrorBoundary';
import { lazyScreen } from './LazyScreen';

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.restoreAllMocks();
});

const Loaded = () => <p>statistics</p>;

/** The panel around a screen: its own boundary above, and a menu that must stay. */
function Panel({ children }: { children: React.ReactNode }) {
  return (
    <I18nProvider>
      <ErrorBoundary>
        <nav>menu</nav>
        {children}
      </ErrorBoundary>
    </I18nProvider>
  );
}

test('a screen whose code cannot be fetched says so in its place, and loads on retry', async () => {
  localStorage.setItem(LOCALE_KEY, 'ru');
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const load = vi
    .fn<() => Promise<{ default: () => React.JSX.Element }>>()
    .mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'))
    .mockResolvedValue({ default: Loaded });
  const Screen = lazyScreen(load);
  render(
    <Panel>
      <Screen />
    </Panel>,
  );

  const failed = await screen.findByTestId('screen-load-failed');
  expect(failed.textContent).toContain('Раздел не загрузился');
  expect(screen.getByText('menu')).toBeTruthy();
  expect(screen.queryByTestId('app-error')).toBeNull();
  expect(screen.getByRole('button', { name: 'Обновить страницу' })).toBeTruthy();

  await userEvent.click(screen.getByRole('button', { name: 'Попробовать ещё раз' }));
  await screen.findByText('statistics');
  expect(screen.queryByTestId('screen-load-failed')).toBeNull();
  expect(load).toHaveBeenCalledTimes(2);
});

test('the next visit after a failed load asks again; a loaded screen is not fetched again', async () => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const load = vi
    .fn<() => Promise<{ default: () => React.JSX.Element }>>()
    .mockRejectedValueOnce(new TypeError('404'))
    .mockResolvedValue({ default: Loaded });
  const Screen = lazyScreen(load);
  const first = render(
    <Panel>
      <Screen />
    </Panel>,
  );
  await screen.findByTestId('screen-load-failed');
  first.unmount();

  const second = render(
    <Panel>
      <Screen />
    </Panel>,
  );
  await screen.findByText('statistics');
  second.unmount();
  render(
    <Panel>
      <Screen />
    </Panel>,
  );
  await screen.findByText('statistics');
  expect(load).toHaveBeenCalledTimes(2);
});

test('an error of the screen itself is no failed load: it goes on to the panel’s boundary', async () => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const Throws = (): never => {
    throw new Error('boom');
  };
  const Screen = lazyScreen(() => Promise.resolve({ default: Throws }));
  render(
    <Panel>
      <Screen />
    </Panel>,
  );
  await screen.findByTestId('app-error');
  expect(screen.queryByTestId('screen-load-failed')).toBeNull();
});
