import { describe, expect, it } from 'vitest';
import { msUntilExpiry, parseSession, safeNext } from './session';

describe('session', () => {
  it('parses what it saved and rejects anything else', () => {
    const s = { token: 't', expiresAt: '2026-11-24T12:00:00Z', email: 'a@b.c' };
    expect(parseSession(JSON.stringify(s))).toEqual(s);
    expect(parseSession('{"token":1}')).toBeNull();
    expect(parseSession('not json')).toBeNull();
    expect(parseSession(null)).toBeNull();
  });

  it('knows when the token expires', () => {
    const s = { token: 't', expiresAt: '2026-11-24T12:00:00Z', email: 'a@b.c' };
    expect(msUntilExpiry(s, Date.parse('2026-11-24T11:59:00Z'))).toBe(60_000);
    expect(msUntilExpiry(s, Date.parse('2026-11-24T12:00:01Z'))).toBeLessThan(0);
    expect(msUntilExpiry({ ...s, expiresAt: 'garbage' })).toBe(0);
  });

  it('returns only to places inside the app', () => {
    expect(safeNext('/orders/42?x=1')).toBe('/orders/42?x=1');
    expect(safeNext('/stats')).toBe('/stats');
    expect(safeNext('//evil.example')).toBe('/orders');
    expect(safeNext('https://evil.example')).toBe('/orders');
    expect(safeNext('/login?next=/x')).toBe('/orders');
    expect(safeNext(null)).toBe('/orders');
  });
});
