import { describe, expect, test } from 'vitest';
import {
  FIELDS,
  NEEDS_PHONE,
  looksLikeEmail,
  validate,
  validateField,
  type FormValues,
} from './validate.ts';

const valid = (): FormValues => ({
  ...(Object.fromEntries(FIELDS.map((f) => [f, ''])) as FormValues),
  name: 'Иван',
  surname: 'Петров',
  email: 'ivan@example.com',
});

describe('validation mirrors the server', () => {
  test('a minimal order passes', () => {
    expect(validate(valid())).toEqual({});
  });

  test('name, surname and email are required (blank after trimming)', () => {
    const errors = validate({ ...valid(), name: '   ', surname: '', email: ' ' });
    expect(errors.name?.key).toBe('error.required');
    expect(errors.surname?.key).toBe('error.required');
    expect(errors.email?.key).toBe('error.required');
  });

  test('lengths count characters after trimming, as the server does', () => {
    expect(validateField('name', `  ${'я'.repeat(100)}  `)).toBeUndefined();
    expect(validateField('name', 'я'.repeat(101))).toEqual({
      key: 'error.tooLong',
      params: { max: 100 },
    });
    // An emoji is one character for the server (two UTF-16 units in JS).
    expect(validateField('surname', '😀'.repeat(100))).toBeUndefined();
    expect(validateField('patronymic', 'a'.repeat(101))?.params?.max).toBe(100);
    expect(validateField('businessNiche', 'a'.repeat(101))?.params?.max).toBe(100);
    expect(validateField('companySize', 'a'.repeat(51))?.params?.max).toBe(50);
    expect(validateField('companySize', 'a'.repeat(50))).toBeUndefined();
    for (const f of ['budget', 'deadline', 'convenientTime'] as const) {
      expect(validateField(f, 'a'.repeat(101))?.params?.max).toBe(100);
      expect(validateField(f, 'a'.repeat(100))).toBeUndefined();
    }
    expect(validateField('preferredContactMethod', 'a'.repeat(51))?.params?.max).toBe(50);
    for (const f of ['businessInfo', 'additionalComments'] as const) {
      expect(validateField(f, 'a'.repeat(5001))?.params?.max).toBe(5000);
      expect(validateField(f, 'a'.repeat(5000))).toBeUndefined();
    }
  });

  test('emails: the same cases the server refuses', () => {
    for (const bad of [
      'no-at-sign',
      '@example.com',
      'a@b',
      'a@@b.com',
      'a b@c.com',
      'a@-b.com',
      'a@b..com',
      'a@b.com,',
      'a<b@c.com',
    ]) {
      expect(looksLikeEmail(bad), bad).toBe(false);
      expect(validateField('email', bad)?.key, bad).toBe('error.email');
    }
    expect(validateField('email', '  Owner@Example.COM ')).toBeUndefined();
    expect(validateField('email', `${'a'.repeat(250)}@example.com`)?.key).toBe('error.tooLong');
  });

  test('phones: digits, spaces and + ( ) -, at least 5 digits, at most 20 characters', () => {
    expect(validateField('phone', '')).toBeUndefined();
    expect(validateField('phone', '+7 (999) 123-45-67')).toBeUndefined();
    expect(validateField('phone', '12-345')).toBeUndefined();
    expect(validateField('phone', '1')?.key).toBe('error.phone');
    expect(validateField('phone', '+7 (12)')?.key).toBe('error.phone');
    expect(validateField('phone', 'call me')?.key).toBe('error.phone');
    expect(validateField('phone', '+() -')?.key).toBe('error.phone');
    expect(validateField('phone', '٣٣٣')?.key).toBe('error.phone');
    expect(validateField('phone', '1'.repeat(21))?.key).toBe('error.tooLong');
    // What a phone cannot hold first, as the server orders it: cutting to 20 would not do.
    expect(validateField('phone', '+7 (912) 555-01-68 доб. 3')?.key).toBe('error.phone');
  });

  test('a contact method that reaches the phone makes the phone required', () => {
    for (const method of NEEDS_PHONE) {
      expect(validate({ ...valid(), preferredContactMethod: method }).phone?.key, method).toBe(
        'error.phoneNeeded',
      );
      const withPhone = { ...valid(), preferredContactMethod: method, phone: '+7 999 123-45-67' };
      expect(validate(withPhone), method).toEqual({});
    }
    expect(validate({ ...valid(), preferredContactMethod: 'contact_email' })).toEqual({});
    expect(validateField('phone', '  ')).toBeUndefined();
  });

  test('a service id must be a UUID when given', () => {
    expect(validateField('serviceId', '')).toBeUndefined();
    expect(validateField('serviceId', '0190c3d2-7b7e-7c3a-9a55-1f2e3d4c5b6a')).toBeUndefined();
    expect(validateField('serviceId', 'not-an-id')?.key).toBe('error.serviceGone');
  });
});
