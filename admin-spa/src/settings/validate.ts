// The server's checks on the business settings (`SettingsDraft::parse` and its helpers in
// server/src/business.rs, `check_text`/`check_identity`/`Email::parse` in values.rs), made
// before asking it, in the words of its refusals. The server stops at the first bad field;
// this finds them all, so the owner fixes them in one go. The server stays the authority: its
// refusal is still shown at its field. validate.test.ts runs the server's own test cases.
import { describeReason, type Described } from '../lib/errors';
import { charCount } from '../lib/limits';
import { SETTINGS_MAX, type SettingsDraft, type TextField } from './draft';

/** A field the settings form can name: the text fields and the logo's link. */
export type SettingsField = TextField | 'logoUrl';

/** Rust's `str::trim`: Unicode White_Space at both ends (JavaScript's trim differs at U+FEFF
 * and U+0085). */
const trim = (value: string) => value.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, '');

/** `is_bidi_control`. */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
/** `is_invisible` (with the bidi controls). */
const INVISIBLE =
  /[\u200B-\u200D\u2060-\u2064\uFEFF\u180E\u00AD\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
/** `has_control_chars`: control characters other than line breaks and tabs. */
const CONTROL = /(?![\n\r\t])\p{Cc}/u;

/** `check_text`. */
function checkText(field: string, value: string, max: number): Described | null {
  if (charCount(value) > max) return describeReason(field, 'TOO_LONG', { max });
  if (CONTROL.test(value)) return describeReason(field, 'CONTROL_CHARACTERS');
  if (BIDI.test(value)) return describeReason(field, 'INVISIBLE_CHARACTERS');
  return null;
}

/** `check_identity`: `check_text`, and no invisible characters at all. */
function checkIdentity(field: string, value: string, max: number): Described | null {
  return (
    checkText(field, value, max) ??
    (INVISIBLE.test(value) ? describeReason(field, 'INVISIBLE_CHARACTERS') : null)
  );
}

/** `phone`: digits, spaces and + ( ) -, at least 5 digits. */
function checkPhone(field: string, value: string): Described | null {
  const identity = checkIdentity(field, value, SETTINGS_MAX.phone);
  if (identity) return identity;
  const allowed = /^[\d +()-]*$/.test(value);
  const digits = value.replace(/\D/g, '').length;
  return allowed && digits >= 5 ? null : describeReason(field, 'INVALID_PHONE');
}

/** `https_url`: `https://`, a host of letters, digits, `.`, `-` and `:`, nothing that could
 * leave an attribute. */
export function checkHttpsUrl(field: string, value: string): Described | null {
  const identity = checkIdentity(field, value, SETTINGS_MAX.privacyPolicyUrl);
  if (identity) return identity;
  const host = value.startsWith('https://') ? (value.slice(8).split(/[/?#]/)[0] ?? '') : '';
  const hostOk = host !== '' && /^[\p{Alphabetic}\p{N}.:-]+$/u.test(host);
  const clean = !/[\p{White_Space}"'<>\\`]/u.test(value);
  return hostOk && clean ? null : describeReason(field, 'INVALID_FORMAT');
}

/** `telegram`: `@name`, `name` or `https://t.me/name`, the name 5–32 of A–Z, a–z, 0–9, _. */
function checkTelegram(field: string, value: string): Described | null {
  const name = value.replace(/^(https:\/\/t\.me\/|t\.me\/|@)/, '');
  return /^\w{5,32}$/.test(name) ? null : describeReason(field, 'INVALID_FORMAT');
}

/** `Email::parse` on the trimmed value (lower-cased first, as the server does). */
function checkEmail(field: string, value: string): Described | null {
  const email = value.toLowerCase();
  if (charCount(email) > SETTINGS_MAX.email)
    return describeReason(field, 'TOO_LONG', { max: SETTINGS_MAX.email });
  const at = email.indexOf('@');
  const local = email.slice(0, Math.max(at, 0));
  const domain = email.slice(at + 1);
  const labelsOk = domain
    .split('.')
    .every((l) => l !== '' && !l.startsWith('-') && !l.endsWith('-'));
  const ok =
    at > 0 &&
    local !== '' &&
    !domain.includes('@') &&
    domain.includes('.') &&
    labelsOk &&
    !/[\p{White_Space}\p{Cc}<>,;]/u.test(email) &&
    !INVISIBLE.test(email);
  return ok ? null : describeReason(field, 'INVALID_EMAIL');
}

/** `#rrggbb` (any case). */
export const isColor = (value: string): boolean => /^#[0-9a-f]{6}$/i.test(trim(value));

/** What the server would say about one field of the draft, or null (blank is always fine). */
export function checkSettingsField(field: SettingsField, draft: SettingsDraft): Described | null {
  if (field === 'logoUrl') {
    const url = draft.logo.kind === 'link' ? trim(draft.logo.url) : '';
    return url ? checkHttpsUrl(field, url) : null;
  }
  const value = trim(draft[field]);
  if (!value) return null;
  switch (field) {
    case 'name':
      return checkIdentity(field, value, SETTINGS_MAX.name);
    case 'phone':
    case 'whatsapp':
      return checkPhone(field, value);
    case 'email':
      return checkEmail(field, value);
    case 'telegram':
      return checkTelegram(field, value);
    case 'privacyPolicyUrl':
      return checkHttpsUrl(field, value);
    case 'primaryColor':
      return isColor(value) ? null : describeReason(field, 'INVALID_FORMAT');
    case 'about':
    case 'address':
    case 'privacyPolicyText':
    case 'consentText':
      return checkText(field, value, SETTINGS_MAX[field]);
  }
}

/** The fields in the form's order. */
export const SETTINGS_FIELDS: readonly SettingsField[] = [
  'name',
  'about',
  'logoUrl',
  'primaryColor',
  'phone',
  'email',
  'telegram',
  'whatsapp',
  'address',
  'privacyPolicyUrl',
  'privacyPolicyText',
  'consentText',
];

/** Every bad field of the draft at once (empty: the server may be asked). */
export function checkSettings(draft: SettingsDraft): Partial<Record<SettingsField, Described>> {
  const found: Partial<Record<SettingsField, Described>> = {};
  for (const field of SETTINGS_FIELDS) {
    const problem = checkSettingsField(field, draft);
    if (problem) found[field] = problem;
  }
  return found;
}
