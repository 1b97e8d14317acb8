// When to renew a session quietly and when to warn that it is ending — pure, so it is tested
// without clocks. A session is renewed once half its lifetime is gone, if the admin did
// something in the last five minutes (a quarter of the lifetime, if shorter); an idle one is left to run out, with a warning shortly
// before (it may be an unattended screen).
import type { Session } from './session';

/** Activity this recent counts as "the admin is here". */
export const ACTIVE_WITHIN_MS = 5 * 60_000;
/** Warn this long before the end (at most a quarter of the lifetime). */
export const WARN_BEFORE_MS = 2 * 60_000;

export type Plan = 'renew' | 'warn' | 'wait' | 'expired';

/** How long the token lives in all: from when the panel got it (older sessions: unknown). */
function lifetime(session: Session, expiresAt: number): number | null {
  if (!session.issuedAt) return null;
  const issued = Date.parse(session.issuedAt);
  return Number.isNaN(issued) ? null : expiresAt - issued;
}

export function plan(session: Session, now: number, lastActivity: number): Plan {
  const expiresAt = Date.parse(session.expiresAt);
  if (Number.isNaN(expiresAt) || expiresAt <= now) return 'expired';
  const left = expiresAt - now;
  const total = lifetime(session, expiresAt) ?? left * 2;
  // Short lifetimes (tests, strict setups) scale the window down to a quarter of the lifetime.
  const active = now - lastActivity <= Math.min(ACTIVE_WITHIN_MS, total / 4);
  if (active && left <= total / 2) return 'renew';
  if (left <= Math.min(WARN_BEFORE_MS, total / 4)) return 'warn';
  return 'wait';
}
