// @vitest-environment node
// The page's limits against the server's own constants, read from its Rust source.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { NEEDS_PHONE } from '../src/form/validate.ts';
import { CAPS, FORM_MAX, charCount, clip } from '../src/limits.ts';

const server = (path: string) =>
  readFileSync(fileURLToPath(new URL(`../../server/src/${path}`, import.meta.url)), 'utf8');

/** `NAME: usize = 1_000;` → 1000 (the first definition of that name in `source`). */
function rustConst(source: string, name: string): number {
  const match = new RegExp(`\\bconst\\s+${name}\\s*:\\s*\\w+\\s*=\\s*([\\d_]+)\\s*;`).exec(source);
  if (!match?.[1]) throw new Error(`no const ${name}`);
  return Number(match[1].replace(/_/g, ''));
}

describe('limits agree with the server', () => {
  test('the order form (server/src/leads/intake.rs, values.rs)', () => {
    const intake = server('leads/intake.rs');
    expect(FORM_MAX.name).toBe(rustConst(intake, 'NAME_MAX'));
    expect(FORM_MAX.phone).toBe(rustConst(intake, 'PHONE_MAX'));
    expect(FORM_MAX.phoneDigits).toBe(rustConst(intake, 'PHONE_MIN_DIGITS'));
    expect(FORM_MAX.businessNiche).toBe(rustConst(intake, 'NICHE_MAX'));
    expect(FORM_MAX.companySize).toBe(rustConst(intake, 'COMPANY_SIZE_MAX'));
    expect(FORM_MAX.shortText).toBe(rustConst(intake, 'SHORT_TEXT_MAX'));
    expect(FORM_MAX.contactMethod).toBe(rustConst(intake, 'CONTACT_METHOD_MAX'));
    expect(FORM_MAX.longText).toBe(rustConst(intake, 'LONG_TEXT_MAX'));
    const values = server('values.rs');
    const email = values.slice(values.search(/\bimpl\s+Email\s*\{/));
    expect(FORM_MAX.email).toBe(rustConst(email, 'MAX_LEN'));
  });

  test('the contact methods that need a phone (server/src/leads/text.rs)', () => {
    const list = /\bconst\s+PHONE_CONTACT_METHODS\s*:[^=]*=\s*\[([^\]]*)\]/.exec(
      server('leads/text.rs'),
    )?.[1];
    if (list === undefined) throw new Error('no const PHONE_CONTACT_METHODS');
    const codes = [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    expect([...NEEDS_PHONE].sort()).toEqual(codes.sort());
  });

  test('the tracker’s caps (server/src/metrics/batch.rs)', () => {
    const batch = server('metrics/batch.rs');
    expect(CAPS.points).toBe(rustConst(batch, 'MAX_POINTS'));
    expect(CAPS.clickEntries).toBe(rustConst(batch, 'MAX_CLICK_ENTRIES'));
    expect(CAPS.clickCount).toBe(rustConst(batch, 'MAX_CLICK_COUNT'));
    expect(CAPS.fields).toBe(rustConst(batch, 'MAX_FIELDS'));
    expect(CAPS.focusCount).toBe(rustConst(batch, 'MAX_FOCUS_COUNT'));
    expect(CAPS.focusedMs).toBe(rustConst(batch, 'MAX_FOCUSED_MS'));
    expect(CAPS.engagedSeconds).toBe(rustConst(batch, 'MAX_ENGAGED_SECONDS'));
    expect(CAPS.name).toBe(rustConst(batch, 'MAX_NAME_LEN'));
    expect(CAPS.page).toBe(rustConst(batch, 'MAX_PAGE_LEN'));
  });
});

describe('characters, not UTF-16 units', () => {
  test('count and clip by code point', () => {
    expect('😀'.length).toBe(2);
    expect(charCount('😀'.repeat(5))).toBe(5);
    expect(clip('😀'.repeat(5), 3)).toBe('😀😀😀');
    expect(clip('ab😀', 3)).toBe('ab😀');
    expect(clip('abc', 10)).toBe('abc');
  });
});
