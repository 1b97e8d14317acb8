import {
  createContext,
  use,
  useCallback,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { readItem, writeItem } from '../lib/storage';
import { dictionaries, isKey, type Key, type Locale, LOCALES } from './dictionaries';
import { render, type Params } from './plural';

export const LOCALE_KEY = 'orderDesk.locale';

export interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: (key: Key, params?: Params) => string;
  /** For keys built at run time (e.g. a form field's name); `fallback` when there is none. */
  tMaybe: (key: string, fallback: string, params?: Params) => string;
}

const I18nContext = createContext<I18n | null>(null);

/** The first of the browser's preferred languages this panel speaks (`en-GB` → `en`), or null. */
export function browserLocale(
  languages: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages,
): Locale | null {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    const found = LOCALES.find((l) => l === base);
    if (found) return found;
  }
  return null;
}

/** The language the admin picked before; until they pick one, the browser's (Russian when it
 * prefers neither, or storage is blocked and nothing is known). Following the browser writes
 * nothing, so a later change of the browser's language is followed too. */
export function initialLocale(
  saved: string | null = readItem(LOCALE_KEY),
  languages?: readonly string[],
): Locale {
  return LOCALES.find((l) => l === saved) ?? browserLocale(languages) ?? 'ru';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => initialLocale());

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    writeItem(LOCALE_KEY, next);
    setLocaleState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const dict = dictionaries[locale];
    const t = (key: Key, params?: Params) => render(locale, dict[key], params);
    const tMaybe = (key: string, fallback: string, params?: Params) =>
      isKey(key) ? t(key, params) : fallback;
    return { locale, setLocale, t, tMaybe };
  }, [locale, setLocale]);

  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  const value = use(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
