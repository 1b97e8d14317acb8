// The order form's choice fields arrive as codes (`budget_5m_plus`, see the server's
// `leads/choices.rs`); the admin reads them in their language. Free text that another client
// typed is shown as typed (a plain-number budget as money).
import type { I18n } from '../i18n/I18nProvider';
import { formatBudget } from '../lib/format';

/** The label of a code, or the text itself. */
export function choiceLabel(
  value: string | null | undefined,
  i18n: Pick<I18n, 'tMaybe'>,
): string | null {
  const raw = value?.trim();
  if (!raw) return null;
  return i18n.tMaybe(`choice.${raw}`, raw);
}

/** A budget: its band's label for a code, money for a plain number, else as typed. */
export function budgetLabel(
  value: string | null | undefined,
  i18n: Pick<I18n, 'tMaybe' | 'locale'>,
): string {
  const raw = value?.trim() ?? '';
  const key = `choice.${raw}`;
  const label = i18n.tMaybe(key, key);
  return label === key ? formatBudget(value, i18n.locale) : label;
}
