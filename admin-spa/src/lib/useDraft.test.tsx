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
