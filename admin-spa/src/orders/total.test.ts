import { describe, expect, it } from 'vitest';
import { dictionaries, type Key, type Locale } from '../i18n/dictionaries';
import { render, type Params } from '../i18n/plural';
import { countText, pagerTotal } from './total';

const t = (locale: Locale) => (key: Key, params?: Params) =>
  render(locale, dictionaries[locale][key], params);
// Intl groups digits with (narrow) no-break spaces in Russian; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('the list total', () => {
  it('reads "1,000+" when the server stopped counting', () => {
    const capped = { totalCount: 1000, totalCountIsExact: false };
    expect(countText(t('en'), capped)).toBe('1,000+ orders');
    expect(plain(countText(t('ru'), capped))).toBe('1 000+ заявок');
    expect(pagerTotal(capped, 25, 'en')).toBe('1,000+');
    expect(plain(pagerTotal(capped, 25, 'ru'))).toBe('1 000+');
    // Paged past the 1,000th: never fewer than shown.
    expect(pagerTotal(capped, 1025, 'en')).toBe('1,025+');
  });

  it('reads the number when it is exact, in the right plural', () => {
    expect(countText(t('en'), { totalCount: 1, totalCountIsExact: true })).toBe('1 order');
    expect(countText(t('en'), { totalCount: 1000, totalCountIsExact: true })).toBe('1,000 orders');
    expect(plain(countText(t('ru'), { totalCount: 1_000_000, totalCountIsExact: true }))).toBe(
      '1 000 000 заявок',
    );
    expect(countText(t('ru'), { totalCount: 2, totalCountIsExact: true })).toBe('2 заявки');
    expect(pagerTotal({ totalCount: 1000, totalCountIsExact: true }, 1000, 'en')).toBe('1,000');
  });
});
