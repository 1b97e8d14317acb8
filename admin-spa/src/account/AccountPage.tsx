// The signed-in admin's account: change the password (the current one confirms it; every other
// session ends and this tab carries on with the new token the server returns).
import { useId, useState, type SubmitEvent } from 'react';
import { useMutation } from 'urql';
import { useAuth } from '../auth/AuthProvider';
import { AdminsCard } from './AdminsCard';
import { useDescribedText, useErrorText } from '../components/ErrorMessage';
import { graphql } from '../gql';
import { useI18n } from '../i18n/I18nProvider';
import { describeReason, firstError } from '../lib/errors';
import { PASSWORD_MIN, charCount } from '../lib/limits';
import { ActionButton } from '../components/ActionButton';

const ChangePasswordMutation = graphql(`
  mutation ChangePassword($current: String!, $next: String!) {
    changePassword(currentPassword: $current, newPassword: $next) {
      token
      expiresAt
      admin {
        id
        email
      }
    }
  }
`);

export function AccountPage() {
  const { t } = useI18n();
  const { session } = useAuth();
  return (
    <section className="page" aria-labelledby="account-title">
      <div className="page__head">
        <div>
          <h1 id="account-title">{t('account.title')}</h1>
          <p className="muted">{session?.email}</p>
        </div>
      </div>
      <div className="account__grid">
        <ChangePasswordCard />
        <AdminsCard />
      </div>
    </section>
  );
}

interface FieldProps {
  id: string;
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: string;
  hint?: string;
  error: string | null;
}

/** A password input with its label, an optional hint and its error, described in that order. */
function PasswordInput({
  id,
  name,
  label,
  value,
  onChange,
  autoComplete,
  hint,
  error,
}: FieldProps) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type="password"
        name={name}
        autoComplete={autoComplete}
        required
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
      />
      {hint ? (
        <span className="field__hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="field__error" id={`${id}-err`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

function ChangePasswordCard() {
  const { t } = useI18n();
  const { session, signIn, retire } = useAuth();
  const say = useDescribedText();
  const errorText = useErrorText();
  const id = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const [localError, setLocalError] = useState<{ field: string; text: string } | null>(null);
  const [state, run] = useMutation(ChangePasswordMutation);
  const serverError = firstError(state.error);

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    setLocalError(null);
    setDone(false);
    if (!current) {
      setLocalError({ field: 'currentPassword', text: say(describeReason(null, 'REQUIRED')) });
      return;
    }
    if (charCount(next) < PASSWORD_MIN) {
      setLocalError({
        field: 'newPassword',
        text: say(describeReason('newPassword', 'TOO_SHORT', { min: PASSWORD_MIN })),
      });
      return;
    }
    if (next !== confirm) {
      setLocalError({ field: 'confirm', text: t('auth.passwordsDiffer') });
      return;
    }
    // Success ends this token too; the WebSocket may hear before the new token arrives.
    retire('replace');
    const result = await run({ current, next });
    const payload = result.data?.changePassword;
    if (payload) {
      signIn({ token: payload.token, expiresAt: payload.expiresAt, email: payload.admin.email });
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(true);
    } else {
      retire(null);
    }
  };

  const fieldError = (field: string): string | null => {
    if (localError?.field === field) return localError.text;
    if (serverError?.field === field) return errorText(serverError);
    return null;
  };
  const generalError = serverError && !serverError.field ? errorText(serverError) : null;

  return (
    <form
      className="card form account__card"
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      aria-labelledby={`${id}-h`}
    >
      <h2 id={`${id}-h`}>{t('account.changePassword')}</h2>
      {/* The browser's password manager pairs the new password with this account. */}
      <input
        type="email"
        name="username"
        autoComplete="username"
        value={session?.email ?? ''}
        readOnly
        hidden
      />
      {generalError ? (
        <p className="alert alert--error" role="alert">
          {generalError}
        </p>
      ) : null}
      {done ? (
        <p className="alert alert--info" role="status" data-testid="password-changed">
          {t('account.passwordChanged')}
        </p>
      ) : null}
      <PasswordInput
        id={`${id}-current`}
        name="currentPassword"
        label={t('account.currentPassword')}
        value={current}
        onChange={setCurrent}
        autoComplete="current-password"
        error={fieldError('currentPassword')}
      />
      <PasswordInput
        id={`${id}-new`}
        name="newPassword"
        label={t('account.newPassword')}
        value={next}
        onChange={setNext}
        autoComplete="new-password"
        hint={t('auth.passwordPolicy', { count: PASSWORD_MIN })}
        error={fieldError('newPassword')}
      />
      <PasswordInput
        id={`${id}-confirm`}
        name="confirm"
        label={t('auth.confirm')}
        value={confirm}
        onChange={setConfirm}
        autoComplete="new-password"
        error={fieldError('confirm')}
      />
      <div className="form__actions">
        <ActionButton type="submit" className="button button--primary" inactive={state.fetching}>
          {t('account.changePasswordAction')}
        </ActionButton>
      </div>
    </form>
  );
}
