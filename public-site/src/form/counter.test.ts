import { describe, expect, test } from 'vitest';
import { counterState } from './counter.ts';

describe('length counter', () => {
  test('silent below 80 % of the limit, then counts down, then counts the excess', () => {
    expect(counterState('x'.repeat(79), 100)).toBeNull();
    expect(counterState('x'.repeat(80), 100)).toEqual({ left: 20 });
    expect(counterState('x'.repeat(100), 100)).toEqual({ left: 0 });
    expect(counterState('x'.repeat(103), 100)).toEqual({ over: 3 });
  });

  test('counts characters as the server does: code points, after trimming', () => {
    expect(counterState('😀'.repeat(10), 10)).toEqual({ left: 0 });
    expect(counterState(`  ${'x'.repeat(9)}  `, 10)).toEqual({ left: 1 });
  });
});
