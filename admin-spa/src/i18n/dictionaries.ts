import { en } from './en';
import { ru } from './ru';

export type Key = keyof typeof ru;
export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const dictionaries = { ru, en } as const;

export function isKey(key: string): key is Key {
  return Object.hasOwn(ru, key);
}
