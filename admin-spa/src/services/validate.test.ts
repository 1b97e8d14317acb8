import { describe, expect, it, test } from 'vitest';
import { SERVICE_DESCRIPTION_MAX, SERVICE_NAME_MAX } from '../lib/limits';
import { PRICE_MAX, checkServiceField, parsePrice } from './validate';

const tooLong = (max: number) => ({ key: 'error.tooLong', params: { max, count: max } });

describe('service checks before saving', () => {
  it('names: at most the server’s limit in characters, after trimming', () => {
    expect(checkServiceField('name', ` ${'a'.repeat(SERVICE_NAME_MAX)} `)).toBeNull();
    expect(checkServiceField('name', 'a'.repeat(SERVICE_NAME_MAX + 1))).toEqual(
      tooLong(SERVICE_NAME_MAX),
    );
    // 255 emoji are 510 UTF-16 units, but 255 characters for the server.
    expect(checkServiceField('name', '🧰'.repeat(SERVICE_NAME_MAX))).toBeNull();
    // "İ" lower-cases to two characters, and the server checks the lower-cased key as well.
    expect(checkServiceField('name', 'İ'.repeat(SERVICE_NAME_MAX))).toEqual(
      tooLong(SERVICE_NAME_MAX),
    );
  });

  it('descriptions', () => {
    expect(checkServiceField('description', '📦'.repeat(SERVICE_DESCRIPTION_MAX))).toBeNull();
    expect(checkServiceField('description', 'a'.repeat(SERVICE_DESCRIPTION_MAX + 1))).toEqual(
      tooLong(SERVICE_DESCRIPTION_MAX),
    );
  });
});

describe('service price', () => {
  test('a whole number from 0 to a billion, or blank for none', () => {
    expect(parsePrice('')).toBeNull();
    expect(parsePrice('15 000')).toBe(15000);
    expect(parsePrice('12.5')).toBeNaN();
    expect(checkServiceField('priceFrom', '15000')).toBeNull();
    expect(checkServiceField('priceFrom', '-5')).not.toBeNull();
    expect(checkServiceField('priceFrom', '1000000001')).not.toBeNull();
  });

  const outOfRange = {
    key: 'error.outOfRange',
    params: { min: 0, max: PRICE_MAX, count: 0 },
  };
  const notWhole = { key: 'services.priceWhole' };

  test.each([
    ['1,5', notWhole],
    ['12.5', notWhole],
    ['1e3', notWhole],
    ['пять', notWhole],
    ['-1,5', notWhole],
    ['-5', outOfRange],
    ['\u22125', outOfRange],
    ['1 000 000 001', outOfRange],
    ['1 000 000 000', null],
    ['0', null],
    ['  ', null],
  ])('%j: %j', (typed, expected) => {
    expect(checkServiceField('priceFrom', typed)).toEqual(expected);
  });
});
