import { useEffect, useId, useRef, useState, type ChangeEvent, type SyntheticEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorMessage, useErrorText } from '../components/ErrorMessage';
import { Spinner } from '../components/Spinner';
import { useToasts } from '../components/Toasts';
import { graphql } from '../gql';
import type { BusinessSettingsFieldsFragment } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import type { Key } from '../i18n/dictionaries';
import { firstError } from '../lib/errors';
import { inputMaxLength } from '../lib/limits';
import {
  CURRENCIES,
  LOGO_MAX_BYTES,
  SETTINGS_MAX,
  draftOf,
  inputOf,
  type SettingsDraft,
  type TextField,
} from './draft';

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
      {/* Keyed by the save time: a save elsewhere (another admin) starts the form afresh. */}
      {settings ? <SettingsForm key={settings.updatedAt ?? 'new'} settings={settings} /> : null}
    </section>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const { t } = useI18n();
  const id = useId();
  const { push } = useToasts();
  const errorText = useErrorText();
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(settings));
  const [logoError, setLogoError] = useState<Key | null>(null);
  const [state, save] = useMutation(UpdateSettingsMutation);
  const refused = firstError(state.error);
  const form = useRef<HTMLFormElement>(null);

  // The field the server refused gets the focus, so the message is where the owner looks.
  useEffect(() => {
    if (refused?.field) {
      form.current?.querySelector<HTMLElement>(`[name="${refused.field}"]`)?.focus();
    }
  }, [refused]);

  const set = (field: TextField) => (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    setDraft((d) => ({ ...d, [field]: event.target.value }));

  const errorFor = (field: string) => (refused?.field === field ? errorText(refused) : null);

  const onSubmit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const result = await save({ input: inputOf(draft) });
    if (!result.error) push({ title: t('settings.saved') });
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
      }
    };
    reader.readAsDataURL(file);
  };

  const preview =
    draft.logo.kind === 'upload'
      ? draft.logo.dataUrl
      : draft.logo.kind === 'keep'
        ? settings.logoUrl
        : draft.logo.kind === 'link'
          ? draft.logo.url
          : null;

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

  const general = refused && !refused.field ? state.error : undefined;
  const logoMessage = logoError ? t(logoError) : (errorFor('logoUpload') ?? errorFor('logoUrl'));

  return (
    <form ref={form} className="form settings" onSubmit={(e) => void onSubmit(e)} noValidate>
      <fieldset className="panel settings__group">
        <legend>{t('settings.group.business')}</legend>
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
                aria-describedby={`${id}-logo-hint`}
              />
            </label>
            {preview ? (
              <button
                type="button"
                className="button button--small button--danger"
                onClick={() => setDraft((d) => ({ ...d, logo: { kind: 'remove' } }))}
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
            value={draft.logo.kind === 'link' ? draft.logo.url : ''}
            onChange={(e) => {
              const url = e.target.value;
              setDraft((d) => ({
                ...d,
                logo: url.trim() ? { kind: 'link', url } : { kind: 'keep' },
              }));
            }}
          />
          {logoMessage ? (
            <span className="field__error" role="alert">
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
              <input
                type="color"
                aria-label={t('settings.primaryColor')}
                value={/^#[0-9a-f]{6}$/i.test(draft.primaryColor) ? draft.primaryColor : '#1f5fd1'}
                onChange={set('primaryColor')}
              />
              <input
                id={`${id}-primaryColor`}
                name="primaryColor"
                value={draft.primaryColor}
                placeholder="#1f5fd1"
                onChange={set('primaryColor')}
                aria-invalid={errorFor('primaryColor') ? true : undefined}
              />
            </div>
            {errorFor('primaryColor') ? (
              <span className="field__error" role="alert">
                {errorFor('primaryColor')}
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
              value={draft.currency}
              onChange={(e) => setDraft((d) => ({ ...d, currency: e.target.value }))}
            >
              {CURRENCIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
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

      <ErrorMessage error={general} />
      <div className="form__actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={state.fetching}
          data-testid="save-settings"
        >
          {state.fetching ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
