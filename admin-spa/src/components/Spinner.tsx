import { useI18n } from '../i18n/I18nProvider';

export function Spinner({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="spinner" role="status">
      <span className="spinner__dot" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}
