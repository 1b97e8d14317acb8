// Plural messages: one string per CLDR category the language uses. Russian needs one / few /
// many (1 заявка, 2 заявки, 5 заявок) and other (1,5 заявки); English one / other.
export interface PluralMessage {
  zero?: string;
  one: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

export type Message = string | PluralMessage;

export type Params = Record<string, string | number>;

const rulesCache = new Map<string, Intl.PluralRules>();

function rules(locale: string): Intl.PluralRules {
  let r = rulesCache.get(locale);
  if (!r) {
    r = new Intl.PluralRules(locale);
    rulesCache.set(locale, r);
  }
  return r;
}

/** The categories a language distinguishes for cardinal numbers, e.g. ru → one, few, many, other. */
export function pluralCategories(locale: string): Intl.LDMLPluralRule[] {
  return rules(locale).resolvedOptions().pluralCategories;
}

/** Picks the plural form for `count` (falls back to `other`). */
export function selectPlural(locale: string, message: PluralMessage, count: number): string {
  const category = rules(locale).select(count);
  return message[category] ?? message.other;
}

/** Replaces `{name}` placeholders; numbers are formatted for the locale. */
export function interpolate(locale: string, text: string, params: Params = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value;
  });
}

export function render(locale: string, message: Message, params: Params = {}): string {
  if (typeof message === 'string') return interpolate(locale, message, params);
  const count = typeof params.count === 'number' ? params.count : Number(params.count ?? 0);
  return interpolate(locale, selectPlural(locale, message, count), params);
}
