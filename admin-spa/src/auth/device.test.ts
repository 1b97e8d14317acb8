import { describe, expect, it } from 'vitest';
import { DEVICE_KEY, deviceToken, keepDeviceToken } from './device';

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

describe('device tokens', () => {
  it('are kept per account, whatever the case of the e-mail typed', () => {
    const storage = memoryStorage();
    expect(deviceToken('owner@example.com', storage)).toBeUndefined();
    keepDeviceToken('Owner@Example.com ', 't1', storage);
    keepDeviceToken('other@example.com', 't2', storage);
    expect(deviceToken('owner@example.com', storage)).toBe('t1');
    expect(deviceToken(' OTHER@example.com', storage)).toBe('t2');
    keepDeviceToken('owner@example.com', 't3', storage);
    expect(deviceToken('owner@example.com', storage)).toBe('t3');
  });

  it('remember the five most recent accounts', () => {
    const storage = memoryStorage();
    for (let i = 1; i <= 7; i += 1) keepDeviceToken(`a${i}@example.com`, `t${i}`, storage);
    expect(deviceToken('a1@example.com', storage)).toBeUndefined();
    expect(deviceToken('a2@example.com', storage)).toBeUndefined();
    expect(deviceToken('a3@example.com', storage)).toBe('t3');
    expect(deviceToken('a7@example.com', storage)).toBe('t7');
  });

  it('survive anything else found under their key', () => {
    const storage = memoryStorage();
    for (const junk of ['not json', '[1,2]', 'null', '{"a@b.c": 5}']) {
      storage.setItem(DEVICE_KEY, junk);
      expect(deviceToken('a@b.c', storage)).toBeUndefined();
      keepDeviceToken('a@b.c', 't', storage);
      expect(deviceToken('a@b.c', storage)).toBe('t');
    }
  });
});
