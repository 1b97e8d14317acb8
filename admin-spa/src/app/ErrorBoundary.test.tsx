// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import { I18nProvider, LOCALE_KEY } from '../i18n/I18nProvider';
import { ErrorBoundary } from './ErrorBoundary';

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.restoreAllMocks();
});

function Throws(): never {
  throw new Error('boom');
}

test('a screen that throws shows a message and a reload button, not a blank page', () => {
  localStorage.setItem(LOCALE_KEY, 'ru');
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  render(
    <I18nProvider>
      <ErrorBoundary>
        <Throws />
      </ErrorBoundary>
    </I18nProvider>,
  );
  expect(screen.getByTestId('app-error').textContent).toContain('Что-то сломалось');
  expect(screen.getByRole('button', { name: 'Обновить страницу' })).toBeTruthy();
});
