import { en } from './en.ts';
import { ru, type Dictionary, type MessageKey } from './ru.ts';

export type Lang = 'ru' | 'en';
export type { MessageKey };

const dictionaries: Record<Lang, Dictionary> = { ru, en };

/** Russian unless the first of the browser's languages that we have is English. */
export function detectLang(languages: readonly string[]): Lang {
  for (const tag of languages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'ru') return 'ru';
    if (primary === 'en') return 'en';
  }
  return 'ru';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const dict = dictionaries[lang];
  return (key, params) =>
    dict[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      params && name in params ? String(params[name]) : whole,
    );
}

export function isMessageKey(key: string): key is MessageKey {
  return key in ru;
}

/**
 * Fills every `[data-i18n]` element's text (and `data-i18n-content` attributes' `content`) from
 * the dictionary. The Russian text is already in the HTML from the build; this switches language.
 */
export function applyLang(root: Document, lang: Lang): Translate {
  const t = translator(lang);
  root.documentElement.lang = lang;
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = el.dataset.i18n ?? '';
    if (isMessageKey(key)) el.textContent = t(key);
  }
  for (const el of root.querySelectorAll<HTMLMetaElement>('meta[data-i18n-content]')) {
    const key = el.dataset.i18nContent ?? '';
    if (isMessageKey(key)) el.content = t(key);
  }
  return t;
}
