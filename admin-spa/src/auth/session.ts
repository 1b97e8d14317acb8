// The admin's session: the token from `login`/`registerAdmin`, kept in localStorage so a
// reload stays signed in, and dropped when it expires. Where the browser blocks storage the
// session lives in memory only (a reload signs out), never an exception.
import { browserStorage, readItem, removeItem, writeItem } from '../lib/storage';

export interface Session {
  token: string;
  /** RFC 3339. */
  expiresAt: string;
  email: string;
  /** When the panel got the token (RFC 3339): its lifetime is expiresAt − issuedAt. */
  issuedAt?: string;
}

export const SESSION_KEY = 'orderDesk.session';

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.token === 'string' &&
    typeof v.expiresAt === 'string' &&
    typeof v.email === 'string' &&
    (v.issuedAt === undefined || typeof v.issuedAt === 'string')
  );
}

export function parseSession(raw: string | null): Session | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return isSession(value) ? value : null;
  } catch {
    return null;
  }
}

export function loadSession(storage: Storage | null = browserStorage('local')): Session | null {
  return parseSession(readItem(SESSION_KEY, storage));
}

export function saveSession(
  session: Session,
  storage: Storage | null = browserStorage('local'),
): void {
  writeItem(SESSION_KEY, JSON.stringify(session), storage);
}

export function clearSession(storage: Storage | null = browserStorage('local')): void {
  removeItem(SESSION_KEY, storage);
}

/** Milliseconds until the token expires (≤ 0 when it already has; unparsable dates count as expired). */
export function msUntilExpiry(session: Session, now: number = Date.now()): number {
  const at = Date.parse(session.expiresAt);
  return Number.isNaN(at) ? 0 : at - now;
}

/** Where to go after signing in: only paths inside the app, never another site. */
export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) {
    return '/orders';
  }
  return next;
}
