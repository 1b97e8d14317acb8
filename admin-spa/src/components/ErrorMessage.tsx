import type { CombinedError } from '@urql/core';
import { useI18n } from '../i18n/I18nProvider';
import type { Key } from '../i18n/dictionaries';
import { describeError, firstError, type Described, type FieldError } from '../lib/errors';

export interface Say {
  (described: Described): string;
  (described: Described | null): string | null;
}

/** Says a described error (a dictionary key, or the server's words) in the admin's language. */
export function useDescribedText(): Say {
  const { t } = useI18n();
  return ((described: Described | null) => {
    if (!described) return null;
    return 'key' in described ? t(described.key, described.params) : described.text;
  }) as Say;
}

/** The admin-readable text of an error (translated by its reason or code). `byCode` says what a
 * code means on this screen (see `describeError`). */
export function useErrorText(
  byCode?: Partial<Record<string, Key>>,
): (error: FieldError | null) => string | null {
  const say = useDescribedText();
  return (error) => (error ? say(describeError(error, byCode)) : null);
}

export function ErrorMessage({ error }: { error: CombinedError | undefined }) {
  const text = useErrorText()(firstError(error));
  if (!text) return null;
  return (
    <p className="alert alert--error" role="alert">
      {text}
    </p>
  );
}
