import { useI18n } from '../i18n/I18nProvider';
import { LOCALES, type Locale } from '../i18n/dictionaries';

const NAMES: Record<Locale, string> = { ru: 'Русский', en: 'English' };

/** RU / EN toggle; each button names its language in that language. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <div className="segmented" role="group" aria-label={t('common.language')}>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          className="segmented__item"
          aria-pressed={l === locale}
          title={NAMES[l]}
          onClick={() => setLocale(l)}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
