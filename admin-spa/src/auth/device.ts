// The device tokens this browser got at its sign-ins, per account (lower-cased e-mail). Sent
// with the next sign-in to that account, a token spares it the account's attempt limit, which
// somebody guessing at the owner's e-mail may have used up (see the server's `auth::device`).
// Not a session: kept when the admin signs out, replaced at every sign-in.
import { browserStorage, readItem, writeItem } from '../lib/storage';

export const DEVICE_KEY = 'orderDesk.devices';
/** Accounts remembered (the most recently signed-in ones). */
const MAX_ACCOUNTS = 5;

type Devices = Record<string, string>;

const accountOf = (email: string) => email.trim().toLowerCase();

function load(storage: Storage | null): Devices {
  try {
    const value: unknown = JSON.parse(readItem(DEVICE_KEY, storage) ?? '{}');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.entries(value).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
  } catch {
    return {};
  }
}

/** The token for `email`'s account, if this browser signed in to it before. */
export function deviceToken(
  email: string,
  storage: Storage | null = browserStorage('local'),
): string | undefined {
  return load(storage)[accountOf(email)];
}

/** Keeps `token` for `email`'s account, as the most recent. */
export function keepDeviceToken(
  email: string,
  token: string,
  storage: Storage | null = browserStorage('local'),
): void {
  const account = accountOf(email);
  const others = Object.entries(load(storage)).filter(([key]) => key !== account);
  const kept = [...others.slice(-(MAX_ACCOUNTS - 1)), [account, token]];
  writeItem(DEVICE_KEY, JSON.stringify(Object.fromEntries(kept)), storage);
}
