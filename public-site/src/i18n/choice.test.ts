import { describe, expect, test } from 'vitest';
import { LANG_KEY, addressIn, rememberLang, storedLang, wireLangSwitch } from './choice.ts';

const refusing = {
  getItem: () => {
    throw new Error('blocked');
  },
  setItem: () => {
    throw new Error('blocked');
  },
} as unknown as Storage;

describe('the visitor’s language choice', () => {
  test('the other language’s address keeps the campaign’s parameters', () => {
    expect(addressIn('?utm_source=mail&lang=ru', 'en')).toBe('?utm_source=mail&lang=en');
    expect(addressIn('', 'ru')).toBe('?lang=ru');
  });

  test('a choice is remembered, and nothing else is taken for one', () => {
    localStorage.clear();
    expect(storedLang(localStorage)).toBeNull();
    rememberLang(localStorage, 'en');
    expect(storedLang(localStorage)).toBe('en');
    localStorage.setItem(LANG_KEY, 'de');
    expect(storedLang(localStorage)).toBeNull();
  });

  test('storage that refuses, or none, is no error', () => {
    expect(storedLang(refusing)).toBeNull();
    expect(() => rememberLang(refusing, 'ru')).not.toThrow();
    expect(storedLang(null)).toBeNull();
  });

  test('the footer’s link leads to the other language and remembers it when followed', () => {
    localStorage.clear();
    const link = document.createElement('a');
    wireLangSwitch(link, 'en', '?utm_source=mail', localStorage);
    expect(link.getAttribute('href')).toBe('?utm_source=mail&lang=ru');
    expect(link.hreflang).toBe('ru');
    expect(link.lang).toBe('ru');
    link.addEventListener('click', (event) => event.preventDefault());
    link.click();
    expect(storedLang(localStorage)).toBe('ru');
  });
});
