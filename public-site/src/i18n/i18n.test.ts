import { describe, expect, test } from 'vitest';
import { en } from './en.ts';
import { applyLang, detectLang, translator } from './index.ts';
import { ru } from './ru.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  test('both languages have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ru).sort());
  });

  test('every message is non-empty and uses the same placeholders in both languages', () => {
    for (const key of Object.keys(ru) as (keyof typeof ru)[]) {
      expect(ru[key].trim(), key).not.toBe('');
      expect(en[key].trim(), key).not.toBe('');
      expect(placeholders(en[key]), key).toEqual(placeholders(ru[key]));
    }
  });

  test('Russian by default, English when the browser prefers it', () => {
    expect(detectLang([])).toBe('ru');
    expect(detectLang(['de-DE', 'fr'])).toBe('ru');
    expect(detectLang(['en-US', 'ru'])).toBe('en');
    expect(detectLang(['ru-RU', 'en-US'])).toBe('ru');
    expect(detectLang(['de', 'EN-gb'])).toBe('en');
  });

  test('placeholders are filled', () => {
    expect(translator('ru')('error.tooLong', { max: 100 })).toBe('Не длиннее 100 символов.');
    expect(translator('en')('error.summary', { count: 2 })).toContain('(2 to fix)');
  });

  test('applyLang switches every marked element and the document language', () => {
    document.body.innerHTML = '<h1 data-i18n="page.heading">Оставьте заявку</h1>';
    applyLang(document, 'en');
    expect(document.querySelector('h1')?.textContent).toBe(en['page.heading']);
    expect(document.documentElement.lang).toBe('en');
  });
});
