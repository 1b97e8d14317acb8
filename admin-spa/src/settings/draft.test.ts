import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { LOGO_MAX_BYTES, SETTINGS_MAX, draftOf, inputOf, keepEdits } from './draft';
import { UNSET_SETTINGS } from './testing';

const rust = readFileSync(new URL('../../../server/src/business.rs', import.meta.url), 'utf8');
const constant = (name: string) => {
  const match = new RegExp(`pub const ${name}: usize = ([\\d_ *]+);`).exec(rust);
  if (!match?.[1]) throw new Error(`${name} not found in business.rs`);
  // A number, or a product of numbers (`100 * 1024`).
  return match[1]
    .replace(/_/g, '')
    .split('*')
    .reduce((product, factor) => product * Number(factor.trim()), 1);
};

const neutral = UNSET_SETTINGS;

describe('settings draft', () => {
  test('limits are the server’s', () => {
    expect(SETTINGS_MAX.name).toBe(constant('NAME_MAX'));
    expect(SETTINGS_MAX.about).toBe(constant('ABOUT_MAX'));
    expect(SETTINGS_MAX.phone).toBe(constant('PHONE_MAX'));
    expect(SETTINGS_MAX.address).toBe(constant('ADDRESS_MAX'));
    expect(SETTINGS_MAX.privacyPolicyText).toBe(constant('POLICY_TEXT_MAX'));
    expect(SETTINGS_MAX.consentText).toBe(constant('CONSENT_MAX'));
    expect(SETTINGS_MAX.privacyPolicyUrl).toBe(constant('URL_MAX'));
    expect(LOGO_MAX_BYTES).toBe(constant('LOGO_MAX_BYTES'));
  });

  test('newer settings keep what was typed since the form loaded or sent', () => {
    const sent = draftOf({ ...neutral, name: 'Ромашка', phone: '8 900 000-00-00' });
    // Typed while the save was on its way: the address, and a new logo link.
    const typed = {
      ...sent,
      address: 'Москва',
      logo: { kind: 'link', url: 'https://x.example/l.png' },
    } as const;
    // The server normalised the phone and stamped the save.
    const fresh = draftOf({
      ...neutral,
      name: 'Ромашка',
      phone: '+7 900 000-00-00',
      updatedAt: 'now',
    });
    const next = keepEdits(typed, sent, fresh);
    expect(next.phone).toBe('+7 900 000-00-00');
    expect(next.name).toBe('Ромашка');
    expect(next.address).toBe('Москва');
    expect(next.logo).toEqual({ kind: 'link', url: 'https://x.example/l.png' });
    // Nothing typed since: the fresh settings as they are.
    expect(keepEdits(sent, sent, fresh)).toEqual(fresh);
    // Another admin's change to a field this owner did not touch comes through.
    const theirs = draftOf({
      ...neutral,
      name: 'Ромашка',
      phone: '8 900 000-00-00',
      currency: 'USD',
    });
    expect(keepEdits(typed, sent, theirs).currency).toBe('USD');
  });

  test('an unchanged uploaded logo is kept; a linked one is sent again', () => {
    const uploaded = draftOf({ ...neutral, logoUploaded: true, logoUrl: '/media/logo?v=2' });
    expect(inputOf(uploaded)).not.toHaveProperty('logoUrl');
    expect(inputOf(uploaded)).not.toHaveProperty('logoUpload');
    const linked = draftOf({
      ...neutral,
      logoUrl: 'https://x.example/l.png',
      logoLink: 'https://x.example/l.png',
    });
    expect(inputOf(linked).logoUrl).toBe('https://x.example/l.png');
    expect(inputOf({ ...linked, logo: { kind: 'remove' } }).removeLogo).toBe(true);
  });

  test('null values become empty fields, and the telegram name gets its @', () => {
    const draft = draftOf({ ...neutral, telegram: 'pixel_studio' });
    expect(draft.name).toBe('');
    expect(draft.telegram).toBe('@pixel_studio');
    expect(inputOf(draft).telegram).toBe('@pixel_studio');
  });
});
