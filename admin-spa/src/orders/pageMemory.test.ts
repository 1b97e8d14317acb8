import { describe, expect, test } from 'vitest';
import { blockStorage } from '../lib/storageTesting';
import { recallPage, rememberPage } from './pageMemory';

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('orders page memory', () => {
  test('the same filter comes back to its page; another filter starts at the first', () => {
    const storage = new MemoryStorage();
    expect(recallPage('status=NEW', storage)).toEqual([null]);
    rememberPage('status=NEW', [null, 'c1', 'c2'], storage);
    expect(recallPage('status=NEW', storage)).toEqual([null, 'c1', 'c2']);
    expect(recallPage('', storage)).toEqual([null]);
    rememberPage('', [null, 'x'], storage);
    expect(recallPage('status=NEW', storage)).toEqual([null]);
  });

  test('garbage or missing storage means the first page', () => {
    const storage = new MemoryStorage();
    for (const junk of [
      'not json',
      '{"filter":"","trail":["c1"]}',
      '{"filter":"","trail":[null,1]}',
    ]) {
      storage.setItem('orderDesk.ordersPage', junk);
      expect(recallPage('', storage)).toEqual([null]);
    }
    expect(recallPage('', null)).toEqual([null]);
    expect(() => rememberPage('', [null], null)).not.toThrow();
  });

  test('a browser that blocks sessionStorage gets the first page, not an exception', () => {
    const restore = blockStorage('sessionStorage');
    try {
      expect(recallPage('')).toEqual([null]);
      expect(() => rememberPage('', [null, 'c'])).not.toThrow();
    } finally {
      restore();
    }
  });
});
