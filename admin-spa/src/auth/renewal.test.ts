import { describe, expect, it } from 'vitest';
import { plan } from './renewal';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-02T10:00:00Z');
const session = (hours: number) => ({
  token: 't',
  email: 'a@b.c',
  issuedAt: new Date(T0).toISOString(),
  expiresAt: new Date(T0 + hours * HOUR).toISOString(),
});

describe('session renewal', () => {
  it('waits through the first half of the lifetime, active or not', () => {
    expect(plan(session(24), T0 + 11 * HOUR, T0 + 11 * HOUR)).toBe('wait');
  });

  it('renews past half-time while the admin is active', () => {
    expect(plan(session(24), T0 + 13 * HOUR, T0 + 13 * HOUR - 60_000)).toBe('renew');
  });

  it('lets an idle session run out, warning two minutes before', () => {
    const idleSince = T0 + HOUR;
    expect(plan(session(24), T0 + 13 * HOUR, idleSince)).toBe('wait');
    expect(plan(session(24), T0 + 24 * HOUR - 119_000, idleSince)).toBe('warn');
    expect(plan(session(24), T0 + 24 * HOUR, idleSince)).toBe('expired');
  });

  it('scales to short lifetimes, and copes with sessions saved before issuedAt existed', () => {
    const short = { ...session(0), expiresAt: new Date(T0 + 20_000).toISOString() };
    expect(plan(short, T0 + 11_000, T0 + 10_500)).toBe('renew');
    expect(plan(short, T0 + 16_000, T0)).toBe('warn');
    const old = { ...session(24), issuedAt: undefined };
    expect(plan(old, T0 + 23 * HOUR, T0 + 23 * HOUR)).toBe('renew');
    expect(plan({ ...old, expiresAt: 'garbage' }, T0, T0)).toBe('expired');
  });
});
