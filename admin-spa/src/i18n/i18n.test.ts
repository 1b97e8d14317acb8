// Every key in both languages, every plural form each language needs, the same placeholders,
// and every key the code asks for exists. A missing translation fails here.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dictionaries, LOCALES } from './dictionaries';
import { browserLocale, initialLocale } from './I18nProvider';
import { en } from './en';
import { interpolate, pluralCategories, render, type Message, type PluralMessage } from './plural';
import { ru } from './ru';

const keysOf = (d: Record<string, Message>) => Object.keys(d).sort();

const CATEGORIES = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;
function texts(message: Message): string[] {
  if (typeof message === 'string') return [message];
  const plural: PluralMessage = message;
  return CATEGORIES.flatMap((c) => (plural[c] === undefined ? [] : [plural[c]]));
}

function placeholders(message: Message): string[] {
  const names = new Set<string>();
  for (const text of texts(message)) {
    for (const m of text.matchAll(/\{(\w+)\}/g)) if (m[1]) names.add(m[1]);
  }
  names.delete('count');
  return [...names].sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'gql' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('i18n dictionaries', () => {
  it('have the same keys in Russian and English', () => {
    const ruKeys = keysOf(ru);
    const enKeys = keysOf(en);
    expect(enKeys.filter((k) => !ruKeys.includes(k))).toEqual([]);
    expect(ruKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
  });

  it('have no empty messages', () => {
    for (const locale of LOCALES) {
      for (const [key, message] of Object.entries(dictionaries[locale]) as [string, Message][]) {
        for (const text of texts(message)) expect(text.trim(), `${locale} ${key}`).toBeTruthy();
      }
    }
  });

  it('give every plural form each language uses', () => {
    expect(pluralCategories('ru').sort()).toEqual(['few', 'many', 'one', 'other']);
    for (const locale of LOCALES) {
      const needed = pluralCategories(locale);
      for (const [key, message] of Object.entries(dictionaries[locale]) as [string, Message][]) {
        const other = dictionaries[locale === 'ru' ? 'en' : 'ru'][key as keyof typeof ru];
        expect(typeof message, `${locale} ${key}: plural in one language only`).toBe(typeof other);
        if (typeof message === 'string') continue;
        for (const category of needed) {
          expect(message[category], `${locale} ${key} lacks "${category}"`).toBeTruthy();
        }
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of keysOf(ru) as (keyof typeof ru)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(ru[key]));
    }
  });

  it('contain every key the code uses', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(join(import.meta.dirname, '..'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([\w.]+)'/g)) if (m[1]) used.add(m[1]);
      for (const m of text.matchAll(/(?:labelKey|key|title|label): '([a-z]+\.[\w.]+)'/g)) {
        if (m[1]) used.add(m[1]);
      }
      for (const m of text.matchAll(/title="([a-z]+\.[\w.]+)"/g)) if (m[1]) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((k) => !(k in ru));
    expect(missing).toEqual([]);
  });
});

describe('plurals', () => {
  const orders = ru['orders.count'];
  it.each([
    [1, '1 заявка'],
    [2, '2 заявки'],
    [4, '4 заявки'],
    [5, '5 заявок'],
    [11, '11 заявок'],
    [12, '12 заявок'],
    [21, '21 заявка'],
    [22, '22 заявки'],
    [25, '25 заявок'],
    [42, '42 заявки'],
    [101, '101 заявка'],
    [111, '111 заявок'],
    [0, '0 заявок'],
  ])('Russian: %i → %s', (count, expected) => {
    expect(render('ru', orders, { count })).toBe(expected);
  });

  it('Russian fractions take the "other" form', () => {
    expect(render('ru', orders, { count: 1.5 })).toBe('1,5 заявки');
  });

  it('English has one and other', () => {
    expect(render('en', en['orders.count'], { count: 1 })).toBe('1 order');
    expect(render('en', en['orders.count'], { count: 0 })).toBe('0 orders');
    expect(render('en', en['orders.count'], { count: 42 })).toBe('42 orders');
  });

  it('formats numbers and fills named placeholders', () => {
    expect(render('ru', ru['order.points'], { count: 30, max: 40 })).toBe('30 баллов из 40');
    expect(render('ru', ru['order.points'], { count: 1, max: 30 })).toBe('1 балл из 30');
    expect(interpolate('ru', '{n} шт.', { n: 1500 }).replace(/\u00a0/g, ' ')).toBe('1 500 шт.');
    expect(interpolate('en', 'Hi {name} {missing}', { name: 'Ann' })).toBe('Hi Ann {missing}');
  });
});

describe('the first language', () => {
  it('is the one the admin picked, whatever the browser prefers', () => {
    expect(initialLocale('en', ['ru-RU'])).toBe('en');
    expect(initialLocale('ru', ['en-US', 'en'])).toBe('ru');
  });

  it('follows the browser until the admin picks one', () => {
    expect(initialLocale(null, ['en-GB', 'ru'])).toBe('en');
    expect(initialLocale(null, ['de-DE', 'ru-RU', 'en'])).toBe('ru');
    expect(initialLocale(null, ['EN'])).toBe('en');
    expect(initialLocale('garbage', ['en-US'])).toBe('en');
  });

  it('is Russian when the browser prefers neither', () => {
    expect(initialLocale(null, ['de-DE', 'fr'])).toBe('ru');
    expect(initialLocale(null, [])).toBe('ru');
    expect(browserLocale([])).toBeNull();
  });
});
