import { useEffect, useId, useRef, useState, type ChangeEvent, type SyntheticEvent } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { ErrorMessage, useDescribedText } from '../components/ErrorMessage';
import { Spinner } from '../components/Spinner';
import { useToasts } from '../components/Toasts';
import { UnsavedChanges } from '../components/UnsavedChanges';
import { graphql } from '../gql';
import type { BusinessSettingsFieldsFragment } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import type { Key } from '../i18n/dictionaries';
import { describeError, firstError, type Described } from '../lib/errors';
import { inputMaxLength } from '../lib/limits';
import {
  CURRENCIES,
  LOGO_MAX_BYTES,
  SETTINGS_MAX,
  draftOf,
  inputOf,
  keepEdits,
  type SettingsDraft,
  type TextField,
} from './draft';
import { checkSettings, checkSettingsField, isColor, type SettingsField } from './validate';
import { ActionButton } from '../components/ActionButton';

/** The public page's colour when none is set (public-site's `--accent`). */
const DEFAULT_COLOR = '#1f5fd1';

graphql(`
  fragment BusinessSettingsFields on BusinessSettings {
    name
    about
    phone
    email
    telegram
    whatsapp
    address
    privacyPolicyText
    privacyPolicyUrl
    consentText
    consentVersion
    primaryColor
    currency
    logoUrl
    logoUploaded
    logoLink
    updatedAt
  }
`);

const SettingsQuery = graphql(`
  query BusinessSettings {
    businessSettings {
      ...BusinessSettingsFields
    }
  }
`);

const UpdateSettingsMutation = graphql(`
  mutation UpdateBusinessSettings($input: BusinessSettingsInput!) {
    updateBusinessSettings(input: $input) {
      ...BusinessSettingsFields
    }
  }
`);

type Settings = BusinessSettingsFieldsFragment;

export function SettingsPage() {
  const { t } = useI18n();
  const [{ data, fetching, error }] = useQuery({ query: SettingsQuery });
  const settings = data?.businessSettings;
  return (
    <section className="page" aria-labelledby="settings-title">
      <div className="page__head">
        <div>
          <h1 id="settings-title">{t('settings.title')}</h1>
          <p className="muted">
            {t('settings.intro')}{' '}
            <a href="/" target="_blank" rel="noopener" data-testid="public-page-link">
              {t('settings.publicPage')}
            </a>
          </p>
        </div>
      </div>
      <ErrorMessage error={error} />
      {fetching && !settings ? <Spinner /> : null}
      {settings ? <SettingsForm settings={settings} /> : null}
    </section>
  );
}

/** What a save found wrong, by field: the checks made here (every field at once), else the
 * server's refusal. */
type Problems = Partial<Record<SettingsField | 'logoUpload', Described>>;

const without = (problems: Problems, ...fields: (keyof Problems)[]): Problems =>
  Object.fromEntries(
    Object.entries(problems).filter(([field]) => !fields.includes(field as keyof Problems)),
  );

/** Two drafts that would save the same. */
const sameInput = (a: SettingsDraft, b: SettingsDraft) =>
  JSON.stringify(inputOf(a)) === JSON.stringify(inputOf(b));

function SettingsForm({ settings }: { settings: Settings }) {
  const { t } = useI18n();
  const id = useId();
  const { push } = useToasts();
  const say = useDescribedText();
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(settings));
  // What is on the server: the settings this form started from, then what it saved.
  const [saved, setSaved] = useState<SettingsDraft>(draft);
  const [logoError, setLogoError] = useState<Key | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const [refused, setRefused] = useState<CombinedError | undefined>(undefined);
  const [state, save] = useMutation(UpdateSettingsMutation);
  const form = useRef<HTMLFormElement>(null);
  const focusFirst = useRef(false);
  // The draft on its way to the server, until the settings it saved come back.
  const sending = useRef<SettingsDraft | null>(null);
  const shownAt = useRef(settings.updatedAt);
  const dirty = !sameInput(draft, saved);

  // Newer settings (this form's own save coming back, or another admin's): every field the
  // owner has not touched since it was loaded or sent follows them; what they typed meanwhile
  // stays, and stays unsaved.
  useEffect(() => {
    if (settings.updatedAt === shownAt.current) return;
    shownAt.current = settings.updatedAt;
    const fresh = draftOf(settings);
    const reference = sending.current ?? saved;
    sending.current = null;
    setDraft((d) => keepEdits(d, reference, fresh));
    setSaved(fresh);
  }, [settings, saved]);

  // After a save found problems, the first bad field (in the form's order) gets the focus, so
  // the owner starts where the messages start.
  useEffect(() => {
    if (!focusFirst.current) return;
    focusFirst.current = false;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);

  /** A field's new draft: its message goes once the value passes (the server's own refusal,
   * which this cannot judge, goes with the value it refused). */
  const update = (field: SettingsField, next: (d: SettingsDraft) => SettingsDraft) => {
    const changed = next(draft);
    setDraft(changed);
    if (problems[field] && !checkSettingsField(field, changed)) {
      setProblems((p) => without(p, field));
    }
  };

  const set =
    (field: TextField) => (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      const value = event.target.value;
      update(field, (d) => ({ ...d, [field]: value }));
    };

  const errorFor = (field: keyof Problems): string | null => say(problems[field] ?? null);

  const onSubmit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setRefused(undefined);
    const found: Problems = checkSettings(draft);
    focusFirst.current = true;
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const sent = draft;
    sending.current = sent;
    const result = await save({ input: inputOf(sent) });
    if (result.error) sending.current = null;
    const error = firstError(result.error);
    if (error?.field) {
      focusFirst.current = true;
      setProblems({ [error.field]: describeError(error) });
    } else {
      setRefused(result.error);
    }
    if (!result.error) {
      // Until the saved settings come back (they may have already), what was sent is saved.
      if (sending.current === sent) setSaved(sent);
      push({ title: t('settings.saved') });
    }
  };

  const chooseLogo = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setLogoError(null);
    if (!file) return;
    if (!/^image\/(png|jpeg|webp|gif)$/.test(file.type)) {
      setLogoError('settings.logoType');
      return;
    }
    if (file.size > LOGO_MAX_BYTES) {
      setLogoError('settings.logoTooBig');
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      if (typeof reader.result === 'string') {
        const upload = reader.result;
        setDraft((d) => ({ ...d, logo: { kind: 'upload', dataUrl: upload } }));
        setProblems((p) => without(p, 'logoUrl', 'logoUpload'));
      }
    };
    reader.readAsDataURL(file);
  };

  // A linked logo is previewed only when the server would take its address: a refused one
  // would show as a broken image, as if the link were the problem rather than its scheme.
  const preview =
    draft.logo.kind === 'upload'
      ? draft.logo.dataUrl
      : draft.logo.kind === 'keep'
        ? settings.logoUrl
        : draft.logo.kind === 'link' && !checkSettingsField('logoUrl', draft)
          ? draft.logo.url.trim()
          : null;

  const colorValid = isColor(draft.primaryColor);
  const colorTyped = draft.primaryColor.trim() !== '';
  const text = (field: TextField, label: Key, options: { area?: boolean; type?: string } = {}) => {
    const message = errorFor(field);
    const max: number = SETTINGS_MAX[field];
    const props = {
      id: `${id}-${field}`,
      name: field,
      value: draft[field],
      onChange: set(field),
      maxLength: inputMaxLength(max),
      'aria-invalid': message ? true : undefined,
      'aria-describedby': message ? `${id}-${field}-err` : undefined,
    };
    return (
      <div className="field">
        <label className="field__label" htmlFor={props.id}>
          {t(label)}
        </label>
        {options.area ? (
          <textarea {...props} rows={field === 'privacyPolicyText' ? 8 : 3} />
        ) : (
          <input {...props} type={options.type ?? 'text'} />
        )}
        {message ? (
          <span className="field__error" id={`${id}-${field}-err`} role="alert">
            {message}
          </span>
        ) : null}
      </div>
    );
  };

  const logoMessage = logoError ? t(logoError) : (errorFor('logoUpload') ?? errorFor('logoUrl'));
  const colorMessage = errorFor('primaryColor');

  return (
    <form
      ref={form}
      className="form settings"
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      data-settings-version={settings.updatedAt ?? ''}
    >
      <fieldset className="panel settings__group">
        <legend>{t('settings.group.business')}</legend>
        <p className="muted">{t('settings.businessIntro')}</p>
        {text('name', 'settings.name')}
        {text('about', 'settings.about', { area: true })}
        <div className="field">
          <span className="field__label" id={`${id}-logo-label`}>
            {t('settings.logo')}
          </span>
          <div className="settings__logo">
            {preview ? (
              <img src={preview} alt={t('settings.logoPreview')} className="settings__preview" />
            ) : (
              <span className="muted">{t('settings.noLogo')}</span>
            )}
            <label className="button button--small">
              {t('settings.logoUpload')}
              <input
                type="file"
                name="logoUpload"
                accept="image/png,image/jpeg,image/webp,image/gif"
                className="visually-hidden"
                onChange={chooseLogo}
                aria-invalid={problems.logoUpload ? true : undefined}
                aria-describedby={
                  logoMessage ? `${id}-logo-hint ${id}-logo-err` : `${id}-logo-hint`
                }
              />
            </label>
            {preview ? (
              <button
                type="button"
                className="button button--small button--danger"
                onClick={() => update('logoUrl', (d) => ({ ...d, logo: { kind: 'remove' } }))}
              >
                {t('settings.logoRemove')}
              </button>
            ) : null}
          </div>
          <span className="field__hint" id={`${id}-logo-hint`}>
            {t('settings.logoHint')}
          </span>
          <label className="field__label" htmlFor={`${id}-logoUrl`}>
            {t('settings.logoUrl')}
          </label>
          <input
            id={`${id}-logoUrl`}
            name="logoUrl"
            type="url"
            placeholder="https://"
            maxLength={inputMaxLength(SETTINGS_MAX.privacyPolicyUrl)}
            value={draft.logo.kind === 'link' ? draft.logo.url : ''}
            onChange={(e) => {
              const url = e.target.value;
              update('logoUrl', (d) => ({
                ...d,
                logo: url.trim() ? { kind: 'link', url } : { kind: 'keep' },
              }));
            }}
            aria-invalid={problems.logoUrl ? true : undefined}
            aria-describedby={logoMessage ? `${id}-logo-err` : undefined}
          />
          {logoMessage ? (
            <span className="field__error" id={`${id}-logo-err`} role="alert">
              {logoMessage}
            </span>
          ) : null}
        </div>
        <div className="settings__row">
          <div className="field">
            <label className="field__label" htmlFor={`${id}-primaryColor`}>
              {t('settings.primaryColor')}
            </label>
            <div className="settings__color">
              {/* The swatch follows a colour typed in the box; text that is no colour shows
                  as a crossed-out swatch rather than as the last good one. */}
              <input
                type="color"
                aria-label={t('settings.primaryColor')}
                className={colorTyped && !colorValid ? 'settings__swatch--invalid' : undefined}
                title={colorTyped && !colorValid ? t('settings.colorInvalid') : undefined}
                value={colorValid ? draft.primaryColor.trim().toLowerCase() : DEFAULT_COLOR}
                onChange={set('primaryColor')}
              />
              <input
                id={`${id}-primaryColor`}
                name="primaryColor"
                value={draft.primaryColor}
                placeholder={DEFAULT_COLOR}
                maxLength={inputMaxLength(SETTINGS_MAX.primaryColor)}
                onChange={set('primaryColor')}
                aria-invalid={colorMessage ? true : undefined}
                aria-describedby={colorMessage ? `${id}-primaryColor-err` : undefined}
              />
            </div>
            {colorMessage ? (
              <span className="field__error" id={`${id}-primaryColor-err`} role="alert">
                {colorMessage}
              </span>
            ) : null}
          </div>
          <div className="field">
            <label className="field__label" htmlFor={`${id}-currency`}>
              {t('settings.currency')}
            </label>
            <select
              id={`${id}-currency`}
              name="currency"
              aria-describedby={`${id}-currency-hint`}
              value={draft.currency}
              onChange={(e) => setDraft((d) => ({ ...d, currency: e.target.value }))}
            >
              {CURRENCIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
            <span className="field__hint" id={`${id}-currency-hint`}>
              {t('settings.currencyHint')}
            </span>
          </div>
        </div>
      </fieldset>

      <fieldset className="panel settings__group">
        <legend>{t('settings.group.contacts')}</legend>
        <div className="settings__row">
          {text('phone', 'settings.phone', { type: 'tel' })}
          {text('email', 'settings.email', { type: 'email' })}
        </div>
        <div className="settings__row">
          {text('telegram', 'settings.telegram')}
          {text('whatsapp', 'settings.whatsapp', { type: 'tel' })}
        </div>
        {text('address', 'settings.address')}
      </fieldset>

      <fieldset className="panel settings__group">
        <legend>{t('settings.group.privacy')}</legend>
        <p className="muted">{t('settings.privacyIntro')}</p>
        {text('privacyPolicyUrl', 'settings.policyUrl', { type: 'url' })}
        {text('privacyPolicyText', 'settings.policyText', { area: true })}
        {text('consentText', 'settings.consentText', { area: true })}
        <p className="field__hint">
          {t('settings.consentVersion', { version: settings.consentVersion })}
        </p>
      </fieldset>

      <ErrorMessage error={refused} />
      <div className="form__actions">
        <ActionButton
          type="submit"
          className="button button--primary"
          inactive={state.fetching}
          data-testid="save-settings"
        >
          {state.fetching ? t('common.saving') : t('common.save')}
        </ActionButton>
      </div>
      <UnsavedChanges
        dirty={dirty}
        title={t('settings.leave.title')}
        body={t('settings.leave.body')}
        confirmLabel={t('settings.leave.confirm')}
      />
    </form>
  );
}
