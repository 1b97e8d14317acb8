import { describe, expect, test } from 'vitest';
import {
  LANG_KEY,
  addressIn,
  rememberLang,
  storedLang,
  visitorLang,
  wireLangSwitch,
} from './choice.ts';

const refusing = {
  getItem: () => {
    throw new Error('blocked');
  },
  setItem: () => {
    throw new Error('blocked');
  },
} as unknown as Storage;

describe('the visitor’s language choice', () => {
  test('the address’s language wins and is remembered; else the earlier choice; else the browser’s', () => {
    localStorage.clear();
    expect(visitorLang(null, localStorage, ['de-DE', 'en-US'])).toBe('en');
    expect(visitorLang('ru', localStorage, ['en-US'])).toBe('ru');
    expect(storedLang(localStorage)).toBe('ru');
    expect(visitorLang(null, localStorage, ['en-US'])).toBe('ru');
    // The admin's preview: neither recalled nor remembered.
    expect(visitorLang(null, null, ['en-US'])).toBe('en');
    expect(visitorLang('en', null, ['ru-RU'])).toBe('en');
    expect(storedLang(localStorage)).toBe('ru');
    expect(visitorLang('en', refusing, ['ru-RU'])).toBe('en');
  });

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
