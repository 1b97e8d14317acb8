// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { Segmented } from './Segmented';

afterEach(cleanup);

const PERIODS = [
  { value: 1, label: 'Today' },
  { value: 7, label: '7 days' },
  { value: 30, label: '30 days' },
] as const;

function Period({ initial = 7 }: { initial?: 1 | 7 | 30 }) {
  const [value, setValue] = useState<1 | 7 | 30>(initial);
  return (
    <>
      <button type="button">before</button>
      <Segmented label="Period" options={PERIODS} value={value} onChange={setValue} />
      <button type="button">after</button>
    </>
  );
}

const radio = (name: string) => screen.getByRole('radio', { name });
const checkedName = () =>
  screen.getAllByRole('radio').find((r) => r.getAttribute('aria-checked') === 'true')?.textContent;

describe('Segmented', () => {
  test('is a named radio group with the value checked', () => {
    render(<Period />);
    const group = screen.getByRole('radiogroup', { name: 'Period' });
    expect(group).toBeTruthy();
    expect(screen.getAllByRole('radio').map((r) => r.textContent)).toEqual([
      'Today',
      '7 days',
      '30 days',
    ]);
    expect(checkedName()).toBe('7 days');
  });

  test('Tab stops on the checked radio only (roving tabindex)', async () => {
    const user = userEvent.setup();
    render(<Period />);
    expect(screen.getAllByRole('radio').map((r) => r.tabIndex)).toEqual([-1, 0, -1]);
    await user.click(screen.getByRole('button', { name: 'before' }));
    await user.tab();
    expect(document.activeElement).toBe(radio('7 days'));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'after' }));
  });

  test('arrow keys choose the next or previous option and move the focus, wrapping round', async () => {
    const user = userEvent.setup();
    render(<Period />);
    radio('7 days').focus();

    await user.keyboard('{ArrowRight}');
    expect(checkedName()).toBe('30 days');
    expect(document.activeElement).toBe(radio('30 days'));
    expect(radio('30 days').tabIndex).toBe(0);
    expect(radio('7 days').tabIndex).toBe(-1);

    await user.keyboard('{ArrowDown}');
    expect(checkedName()).toBe('Today');
    expect(document.activeElement).toBe(radio('Today'));

    await user.keyboard('{ArrowLeft}');
    expect(checkedName()).toBe('30 days');
    expect(document.activeElement).toBe(radio('30 days'));

    await user.keyboard('{ArrowUp}');
    expect(checkedName()).toBe('7 days');

    await user.keyboard('{Home}');
    expect(checkedName()).toBe('Today');
    await user.keyboard('{End}');
    expect(checkedName()).toBe('30 days');
    expect(document.activeElement).toBe(radio('30 days'));
  });

  test('a click chooses too; other keys are left alone', async () => {
    const user = userEvent.setup();
    render(<Period />);
    await user.click(radio('Today'));
    expect(checkedName()).toBe('Today');
    await user.keyboard('x');
    expect(checkedName()).toBe('Today');
  });

  test('with no option checked, the first one is the tab stop', () => {
    render(
      <Segmented label="Period" options={PERIODS} value={2 as 1 | 7 | 30} onChange={() => {}} />,
    );
    expect(screen.getAllByRole('radio').map((r) => r.tabIndex)).toEqual([0, -1, -1]);
    expect(checkedName()).toBeUndefined();
  });
});
