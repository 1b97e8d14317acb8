// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, expect, test } from 'vitest';
import { useDraft } from './useDraft';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

test('a draft survives the screen going away and coming back, until cleared', () => {
  const first = renderHook(() => useDraft<string>('lead:1:lostReason', ''));
  act(() => first.result.current[1]('Выбрали другого подрядчика'));
  first.unmount();
  // Signed out and in again: the screen mounts afresh and finds the text.
  const again = renderHook(() => useDraft<string>('lead:1:lostReason', ''));
  expect(again.result.current[0]).toBe('Выбрали другого подрядчика');
  act(() => again.result.current[2]());
  again.unmount();
  expect(renderHook(() => useDraft<string>('lead:1:lostReason', '')).result.current[0]).toBe('');
});

test('a value equal to the saved one is not kept, and a rejected draft is ignored', () => {
  const { result } = renderHook(() => useDraft('lead:2:status', 'NEW'));
  act(() => result.current[1]('NEW'));
  expect(sessionStorage.length).toBe(0);
  sessionStorage.setItem('orderDesk.draft.lead:3:status', 'BOGUS');
  const isStatus = (v: string): v is 'NEW' | 'LOST' => v === 'NEW' || v === 'LOST';
  const typed = renderHook(() => useDraft<'NEW' | 'LOST'>('lead:3:status', 'NEW', isStatus));
  expect(typed.result.current[0]).toBe('NEW');
});

test('without a draft the value follows the saved one: a card shown from the cache, then fresh', () => {
  const { result, rerender } = renderHook(
    ({ saved }) => useDraft<string>('lead:4:lostReason', saved),
    {
      initialProps: { saved: '' },
    },
  );
  expect(result.current[0]).toBe('');
  // The server's answer: another admin closed the order as lost meanwhile.
  rerender({ saved: 'Ушли к другому подрядчику' });
  expect(result.current[0]).toBe('Ушли к другому подрядчику');
  expect(sessionStorage.length).toBe(0);
});

test('a draft stays while the saved value changes under it, until set back or cleared', () => {
  const { result, rerender } = renderHook(
    ({ saved }) => useDraft<string>('lead:5:lostReason', saved),
    {
      initialProps: { saved: 'Дорого' },
    },
  );
  act(() => result.current[1]('Дорого и долго'));
  rerender({ saved: 'Сроки' });
  expect(result.current[0]).toBe('Дорого и долго');
  expect(sessionStorage.getItem('orderDesk.draft.lead:5:lostReason')).toBe('Дорого и долго');
  act(() => result.current[1]('Сроки'));
  expect(sessionStorage.length).toBe(0);
  rerender({ saved: 'Бюджет' });
  expect(result.current[0]).toBe('Бюджет');
});

test('once saved and cleared, the box keeps what was saved, then takes the server’s copy', () => {
  const { result, rerender } = renderHook(
    ({ saved }) => useDraft<string>('lead:6:lostReason', saved),
    {
      initialProps: { saved: '' },
    },
  );
  act(() => result.current[1]('  Выбрали другого подрядчика '));
  act(() => result.current[2]());
  expect(sessionStorage.length).toBe(0);
  // The card has not been fetched again yet: what was typed stays in the box.
  expect(result.current[0]).toBe('  Выбрали другого подрядчика ');
  // Fetched again: the reason as the server keeps it (trimmed).
  rerender({ saved: 'Выбрали другого подрядчика' });
  expect(result.current[0]).toBe('Выбрали другого подрядчика');
  // And a reload finds it there, with no draft left to bring back.
  const reloaded = renderHook(() =>
    useDraft<string>('lead:6:lostReason', 'Выбрали другого подрядчика'),
  );
  expect(reloaded.result.current[0]).toBe('Выбрали другого подрядчика');
});
