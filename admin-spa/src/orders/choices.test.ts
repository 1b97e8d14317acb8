import { describe, expect, it } from 'vitest';
import { dictionaries, isKey, type Locale } from '../i18n/dictionaries';
import { render } from '../i18n/plural';
import { budgetLabel, choiceLabel } from './choices';

const i18n = (locale: Locale) => ({
  locale,
  tMaybe: (key: string, fallback: string) =>
    isKey(key) ? render(locale, dictionaries[locale][key]) : fallback,
});

/** Every code the server knows (server/src/leads/choices.rs). */
const CODES = [
  'budget_under_500k',
  'budget_500k_1m',
  'budget_1m_5m',
  'budget_5m_plus',
  'size_under_50',
  'size_50_100',
  'size_100_500',
  'size_500_plus',
  'deadline_1_week',
  'deadline_1_month',
  'deadline_2_3_months',
  'deadline_3_months_plus',
  'contact_phone',
  'contact_email',
  'contact_telegram',
  'contact_whatsapp',
];

describe('choice codes', () => {
  it('read in the admin’s language, with no Russian in English', () => {
    for (const code of CODES) {
      const en = choiceLabel(code, i18n('en'));
      const ru = choiceLabel(code, i18n('ru'));
      expect(en, code).not.toBe(code);
      expect(ru, code).not.toBe(code);
      expect(en, code).not.toMatch(/[а-яё]/i);
    }
    expect(choiceLabel('budget_5m_plus', i18n('en'))).toBe('5M ₽ or more');
    expect(choiceLabel('deadline_1_week', i18n('ru'))).toBe('1 неделя');
    expect(budgetLabel('budget_1m_5m', i18n('en'))).toBe('1M – 5M ₽');
  });

  it('leave free text as typed', () => {
    expect(choiceLabel('около двух недель', i18n('en'))).toBe('около двух недель');
    expect(choiceLabel('  ', i18n('en'))).toBeNull();
    expect(choiceLabel(null, i18n('en'))).toBeNull();
    expect(budgetLabel('1500000', i18n('en'))).toMatch(/1,500,000/);
    expect(budgetLabel(null, i18n('en'))).toBe('—');
  });

  it('match the server’s table of codes', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(
      new URL('../../../server/src/leads/choices.rs', import.meta.url),
      'utf8',
    );
    const server = [...source.matchAll(/choice\(\s*ChoiceField::\w+,\s*"(\w+)"/g)].map((m) => m[1]);
    expect(server).toEqual(CODES);
  });
});
