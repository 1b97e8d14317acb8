import type { CombinedError } from '@urql/core';
import { useI18n } from '../i18n/I18nProvider';
import { describeError, firstError, type FieldError } from '../lib/errors';

/** The admin-readable text of an error (translated when we know it). */
export function useErrorText(): (error: FieldError | null) => string | null {
  const { t } = useI18n();
  return (error) => {
    if (!error) return null;
    const described = describeError(error);
    return 'key' in described ? t(described.key, described.params) : described.text;
  };
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
