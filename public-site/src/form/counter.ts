// The length counter under a text field: silent while the value is short, "12 characters left"
// from 80 % of the limit, "3 characters too many" past it — so the limit is seen while typing,
// not learnt on submit. Characters as the server counts them (code points, after trimming).

import { charCount } from '../limits.ts';

export type CounterState = null | { left: number } | { over: number };

/** Shown from this share of the limit on. */
export const SHOW_FROM = 0.8;

export function counterState(value: string, max: number): CounterState {
  const length = charCount(value.trim());
  if (length > max) return { over: length - max };
  if (length < Math.ceil(max * SHOW_FROM)) return null;
  return { left: max - length };
}
