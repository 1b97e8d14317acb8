import { afterEach, describe, expect, test } from 'vitest';
import { browserStorage, readItem, removeItem, writeItem } from './storage';
import { blockStorage } from './storageTesting';

/** A storage whose every call throws (revoked, or full on write). */
const throwing = {
  getItem: () => {
    throw new DOMException('denied', 'SecurityError');
  },
  setItem: () => {
    throw new DOMException('full', 'QuotaExceededError');
  },
  removeItem: () => {
    throw new DOMException('denied', 'SecurityError');
  },
} as unknown as Storage;

const restore: (() => void)[] = [];
afterEach(() => {
  for (const undo of restore.splice(0)) undo();
});

describe('storage that never throws', () => {
  test('a blocked localStorage or sessionStorage reads as none', () => {
    restore.push(blockStorage('localStorage'), blockStorage('sessionStorage'));
    expect(() => globalThis.localStorage).toThrow();
    expect(browserStorage('local')).toBeNull();
    expect(browserStorage('session')).toBeNull();
    expect(readItem('k')).toBeNull();
    expect(writeItem('k', 'v')).toBe(false);
    expect(() => removeItem('k')).not.toThrow();
  });

  test('a storage whose calls throw', () => {
    expect(readItem('k', throwing)).toBeNull();
    expect(writeItem('k', 'v', throwing)).toBe(false);
    expect(() => removeItem('k', throwing)).not.toThrow();
  });
});
