import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { ValidationReason } from '../gql/enums';
import { dictionaries, isKey, LOCALES } from '../i18n/dictionaries';
import { render } from '../i18n/plural';
import {
  describeError,
  describeReason,
  errorCodes,
  firstError,
  isUnauthenticated,
  REASONS,
  type Described,
  type FieldError,
} from './errors';

const gqlError = (message: string, extensions: Record<string, unknown>) =>
  new CombinedError({ graphQLErrors: [new GraphQLError(message, { extensions })] });

/** The values of `enum ValidationReason { … }` in the committed schema. */
function schemaReasons(): string[] {
  const sdl = readFileSync(join(import.meta.dirname, '../../../schema.graphql'), 'utf8');
  const body = /\benum\s+ValidationReason\s*\{([\s\S]*?)\}/.exec(sdl)?.[1];
  if (body === undefined) throw new Error('schema.graphql has no enum ValidationReason');
  const values = body.replace(/"""[\s\S]*?"""/g, '').replace(/#.*$/gm, '');
  return [...values.matchAll(/\b[A-Z][A-Z0-9_]*\b/g)].map((m) => m[0]);
}

/** The words an admin sees, in one language. */
function say(locale: (typeof LOCALES)[number], described: Described): string {
  if ('text' in described) return described.text;
  return render(locale, dictionaries[locale][described.key], described.params);
}

const badInput = (
  field: string,
  reason: FieldError['reason'],
  bounds: FieldError['bounds'] = {},
): FieldError => ({ code: 'BAD_USER_INPUT', field, reason, bounds, message: 'English words' });

describe('GraphQL errors', () => {
  it('reads code, field, reason and bounds from the extensions', () => {
    const error = gqlError('Name must be at most 255 characters', {
      code: 'BAD_USER_INPUT',
      field: 'name',
      reason: 'TOO_LONG',
      max: 255,
    });
    expect(firstError(error)).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'name',
      reason: 'TOO_LONG',
      bounds: { max: 255 },
      message: 'Name must be at most 255 characters',
    });
    expect(errorCodes(error)).toEqual(['BAD_USER_INPUT']);
  });

  it('takes a reason this build does not know for no reason at all', () => {
    const error = gqlError('Something new', {
      code: 'BAD_USER_INPUT',
      field: 'x',
      reason: 'FROM_THE_FUTURE',
      max: 'many',
    });
    expect(firstError(error)).toMatchObject({ reason: null, bounds: {} });
    expect(describeError(firstError(error) as FieldError)).toEqual({ text: 'Something new' });
  });

  it('spots UNAUTHENTICATED', () => {
    expect(isUnauthenticated(gqlError('no', { code: 'UNAUTHENTICATED' }))).toBe(true);
    expect(isUnauthenticated(gqlError('no', { code: 'FORBIDDEN' }))).toBe(false);
    expect(isUnauthenticated(undefined)).toBe(false);
  });

  it('treats a network failure as NETWORK', () => {
    const error = new CombinedError({ networkError: new Error('Failed to fetch') });
    const first = firstError(error);
    expect(first?.code).toBe('NETWORK');
    expect(first && describeError(first)).toEqual({ key: 'error.network' });
  });
});

describe('reasons in words', () => {
  it('every ValidationReason of schema.graphql is translated, in both languages', () => {
    const reasons = schemaReasons();
    expect(reasons).toContain('TOO_LONG');
    expect(reasons.length).toBeGreaterThanOrEqual(18);
    expect([...REASONS].sort()).toEqual([...reasons].sort());
    for (const reason of reasons) {
      for (const locale of LOCALES) {
        const described = describeReason(null, reason as ValidationReason, { min: 1, max: 2 });
        expect('key' in described && isKey(described.key), reason).toBe(true);
        const words = say(locale, described);
        expect(words.trim(), `${locale} ${reason}`).not.toBe('');
        expect(words, `${locale} ${reason}: an unfilled placeholder`).not.toMatch(/[{}]/);
      }
    }
  });

  it('the server’s English words are never matched: the reason decides', () => {
    const error = { ...badInput('name', 'DUPLICATE'), message: 'Name is required' };
    expect(describeError(error)).toEqual({ key: 'error.duplicateName' });
  });

  it('fields of ours say it their way', () => {
    expect(say('en', describeError(badInput('lostReason', 'REQUIRED')))).toBe(
      'Say why the order was lost',
    );
    expect(say('ru', describeError(badInput('lostReason', 'REQUIRED')))).toBe(
      'Укажите, почему заявка потеряна',
    );
    expect(say('ru', describeError(badInput('search', 'TOO_MANY', { max: 10 })))).toBe(
      'Ищите не больше чем по 10 словам',
    );
    expect(say('en', describeError(badInput('search', 'TOO_MANY', { max: 10 })))).toBe(
      'Search for at most 10 words',
    );
    expect(say('ru', describeError(badInput('name', 'DUPLICATE')))).toBe(
      'Услуга с таким названием уже есть',
    );
    expect(say('en', describeError(badInput('name', 'DUPLICATE')))).toBe(
      'A service with this name already exists',
    );
    expect(say('en', describeError(badInput('email', 'DUPLICATE')))).toBe(
      'An administrator with this email already exists',
    );
    expect(say('en', describeError(badInput('password', 'TOO_SHORT', { min: 12 })))).toBe(
      'The password must be at least 12 characters long',
    );
    expect(say('en', describeError(badInput('newPassword', 'TOO_SHORT', { min: 12 })))).toBe(
      'The password must be at least 12 characters long',
    );
    expect(say('ru', describeError(badInput('password', 'WEAK_PASSWORD', { min: 3 })))).toBe(
      'Такой пароль легко подобрать: это частое слово, имя, последовательность клавиш или ваша почта. Возьмите, например, три-четыре случайных слова.',
    );
    expect(say('en', describeError(badInput('currentPassword', 'WRONG_PASSWORD')))).toBe(
      'This is not your current password',
    );
    // Any other field gets the general text.
    expect(say('en', describeError(badInput('description', 'REQUIRED')))).toBe(
      'Fill in this field',
    );
  });

  it('the setup code refusals', () => {
    expect(say('en', describeError(badInput('setupCode', 'SETUP_CODE_REQUIRED')))).toBe(
      'Enter the setup code: the server printed it in its log at start',
    );
    expect(say('ru', describeError(badInput('setupCode', 'SETUP_CODE_WRONG')))).toBe(
      'Код настройки неверный: скопируйте его из журнала сервера',
    );
  });

  it('carry their numbers, with plural forms', () => {
    const tooLong = describeError(badInput('name', 'TOO_LONG', { max: 255 }));
    expect(tooLong).toEqual({ key: 'error.tooLong', params: { max: 255, count: 255 } });
    expect(say('en', tooLong)).toBe('At most 255 characters');
    expect(say('ru', tooLong)).toBe('Не больше 255 символов');
    expect(say('ru', describeError(badInput('lostReason', 'TOO_LONG', { max: 1000 })))).toMatch(
      /^Не больше 1\s000 символов$/,
    );
    expect(say('en', describeError(badInput('days', 'OUT_OF_RANGE', { min: 1, max: 90 })))).toBe(
      'Must be from 1 to 90',
    );
    expect(say('ru', describeError(badInput('to', 'RANGE_REVERSED')))).toBe(
      'Дата окончания раньше даты начала',
    );
  });

  it('a number the text needs but the error lacks is left out, not shown as {max}', () => {
    expect(describeError(badInput('name', 'TOO_LONG'))).toEqual({ key: 'error.invalid' });
  });

  it('errors without a reason: by code, else the server’s words', () => {
    const plain = (code: string, message = 'words'): FieldError => ({
      code,
      field: null,
      reason: null,
      bounds: {},
      message,
    });
    expect(describeError(plain('RATE_LIMITED'))).toEqual({ key: 'error.rateLimited' });
    expect(describeError(plain('INTERNAL'))).toEqual({ key: 'error.internal' });
    expect(describeError(plain('UNAUTHENTICATED', 'Wrong email or password'))).toEqual({
      text: 'Wrong email or password',
    });
    expect(
      describeError(plain('UNAUTHENTICATED', 'Wrong email or password'), {
        UNAUTHENTICATED: 'error.wrongCredentials',
      }),
    ).toEqual({ key: 'error.wrongCredentials' });
    expect(describeError(plain('BAD_USER_INPUT', 'Something new'))).toEqual({
      text: 'Something new',
    });
  });
});
