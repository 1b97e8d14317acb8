// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { I18nProvider, LOCALE_KEY } from '../i18n/I18nProvider';
import { ClicksTable } from './ClicksTable';

beforeEach(() => localStorage.setItem(LOCALE_KEY, 'ru'));
afterEach(() => {
  cleanup();
  localStorage.clear();
});

const renderTable = (clicks: { element: string; count: number }[]) =>
  render(
    <I18nProvider>
      <ClicksTable clicks={clicks} caption="Клики по элементам" testId="clicks" />
    </I18nProvider>,
  );

const bars = (table: HTMLElement) =>
  [...table.querySelectorAll<HTMLElement>('.minibar > span')].map((s) => s.style.width);

describe('ClicksTable', () => {
  test('lists elements most clicked first, with counts and bars against the top one', () => {
    renderTable([
      { element: '#faq', count: 3 },
      { element: 'order-button', count: 1200 },
      { element: 'label[for=f-name]', count: 600 },
    ]);
    const table = screen.getByRole('table', { name: 'Клики по элементам' });
    expect(table.dataset.testid).toBe('clicks');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Элемент', 'Клики']);
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      );
    expect(rows).toEqual([
      ['order-button', '1\u00a0200'],
      ['label[for=f-name]', '600'],
      ['#faq', '3'],
    ]);
    expect(bars(table)).toEqual(['100%', '50%', '0%']);
  });

  test('does not reorder what it was given', () => {
    const clicks = [
      { element: 'a', count: 1 },
      { element: 'b', count: 2 },
    ];
    renderTable(clicks);
    expect(clicks.map((c) => c.element)).toEqual(['a', 'b']);
  });
});
