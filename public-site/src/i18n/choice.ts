// The visitor's own choice of language: a link in the footer to the page in the other language,
// remembered in this browser, so a bilingual visitor is not held to the browser's setting.

import { detectLang, type Lang } from './index.ts';

export const LANG_KEY = 'orderDesk.lang';

export const otherLang = (lang: Lang): Lang => (lang === 'ru' ? 'en' : 'ru');

/** The language this browser chose before, if any (storage may be missing or refuse). */
export function storedLang(storage: Storage | null): Lang | null {
  try {
    const value = storage?.getItem(LANG_KEY);
    return value === 'ru' || value === 'en' ? value : null;
  } catch {
    return null;
  }
}

export function rememberLang(storage: Storage | null, lang: Lang): void {
  try {
    storage?.setItem(LANG_KEY, lang);
  } catch {
    // Not remembered: the link's address still carries the language.
  }
}

/**
 * A page's language: the one its address asks for (remembered as this visitor's choice), else
 * the one this visitor chose before, else the browser's. `storage` null: neither remembered nor
 * recalled (the admin's preview).
 */
export function visitorLang(
  asked: Lang | null,
  storage: Storage | null,
  languages: readonly string[],
): Lang {
  if (asked) {
    rememberLang(storage, asked);
    return asked;
  }
  return storedLang(storage) ?? detectLang(languages);
}

/** This page's address in `lang`, every other parameter (a campaign's tags) kept. */
export function addressIn(search: string, lang: Lang): string {
  const params = new URLSearchParams(search);
  params.set('lang', lang);
  return `?${params.toString()}`;
}

/** Points the footer's link at the other language; following it remembers that choice. */
export function wireLangSwitch(
  link: HTMLAnchorElement,
  lang: Lang,
  search: string,
  storage: Storage | null,
): void {
  const other = otherLang(lang);
  link.href = addressIn(search, other);
  link.hreflang = other;
  link.lang = other;
  link.addEventListener('click', () => rememberLang(storage, other));
}
