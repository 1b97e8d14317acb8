// The invitee's page (/admin/invite#<code>): who the invitation is for, the password policy up
// front, and their own password; then they are signed in. A used, expired or unknown link
// says so in the reader's language.
import { useId, useState, type SubmitEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useAuth } from '../auth/AuthProvider';
import { useDescribedText, useErrorText } from '../components/ErrorMessage';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { Spinner } from '../components/Spinner';
import { graphql } from '../gql';
import { useI18n } from '../i18n/I18nProvider';
import { describeReason, firstError } from '../lib/errors';
import { PASSWORD_MIN, charCount } from '../lib/limits';
import { invitationCode } from './invitationLink';
import { ActionButton } from '../components/ActionButton';

const InvitationQuery = graphql(`
  query Invitation($code: String!) {
    invitation(code: $code) {
      email
      expiresAt
    }
  }
`);

const AcceptMutation = graphql(`
  mutation AcceptInvitation($code: String!, $password: String!) {
    acceptInvitation(code: $code, password: $password) {
      token
      expiresAt
      admin {
        id
        email
      }
    }
  }
`);

export function InvitePage() {
  const { t } = useI18n();
  const { session } = useAuth();
  const location = useLocation();
  const code = invitationCode(location.hash) ?? '';
  const [{ data, fetching, error }] = useQuery({
    query: InvitationQuery,
    variables: { code },
    pause: !code,
    requestPolicy: 'network-only',
  });
  const errorText = useErrorText();
  const refusal = code
    ? errorText(firstError(error))
    : errorText({
        code: 'BAD_USER_INPUT',
        field: 'code',
        reason: 'INVITATION_INVALID',
        bounds: {},
        message: '',
      });

  if (session && !data) return <Navigate to="/orders" replace />;

  return (
    <div className="auth">
      <div className="auth__card">
        <div className="auth__top">
          <span className="brand">
            <span aria-hidden="true">📥</span> {t('app.name')}
          </span>
          <LanguageSwitch />
        </div>
        <h1>{t('invite.title')}</h1>
        {fetching && !data ? <Spinner /> : null}
        {refusal && !data ? (
          <p className="alert alert--error" role="alert" data-testid="invite-error">
            {refusal}
          </p>
        ) : null}
        {data ? <AcceptForm code={code} email={data.invitation.email} /> : null}
      </div>
    </div>
  );
}

function AcceptForm({ code, email }: { code: string; email: string }) {
  const { t } = useI18n();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const say = useDescribedText();
  const errorText = useErrorText();
  const id = useId();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [localError, setLocalError] = useState<{ field: string; text: string } | null>(null);
  const [state, run] = useMutation(AcceptMutation);
  const serverError = firstError(state.error);

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    setLocalError(null);
    if (charCount(password) < PASSWORD_MIN) {
      setLocalError({
        field: 'password',
        text: say(describeReason('password', 'TOO_SHORT', { min: PASSWORD_MIN })),
      });
      return;
    }
    if (password !== confirm) {
      setLocalError({ field: 'confirm', text: t('auth.passwordsDiffer') });
      return;
    }
    const result = await run({ code, password });
    const payload = result.data?.acceptInvitation;
    if (payload) {
      signIn({ token: payload.token, expiresAt: payload.expiresAt, email: payload.admin.email });
      void navigate('/orders', { replace: true });
    }
  };

  const fieldError = (field: string): string | null => {
    if (localError?.field === field) return localError.text;
    if (serverError?.field === field) return errorText(serverError);
    return null;
  };
  const generalError =
    serverError && serverError.field !== 'password' ? errorText(serverError) : null;
  const passwordError = fieldError('password');
  const confirmError = fieldError('confirm');

  return (
    <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate>
      <p className="muted">{t('invite.intro', { email })}</p>
      {generalError ? (
        <p className="alert alert--error" role="alert" data-testid="invite-error">
          {generalError}
        </p>
      ) : null}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <div className="field">
        <label className="field__label" htmlFor={`${id}-password`}>
          {t('auth.password')}
        </label>
        <input
          id={`${id}-password`}
          type="password"
          name="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={passwordError ? true : undefined}
          aria-describedby={
            passwordError ? `${id}-password-hint ${id}-password-err` : `${id}-password-hint`
          }
        />
        <span className="field__hint" id={`${id}-password-hint`} data-testid="password-policy">
          {t('auth.passwordPolicy', { count: PASSWORD_MIN })}
        </span>
        {passwordError ? (
          <span className="field__error" id={`${id}-password-err`}>
            {passwordError}
          </span>
        ) : null}
      </div>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-confirm`}>
          {t('auth.confirm')}
        </label>
        <input
          id={`${id}-confirm`}
          type="password"
          name="confirm"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          aria-invalid={confirmError ? true : undefined}
          aria-describedby={confirmError ? `${id}-confirm-err` : undefined}
        />
        {confirmError ? (
          <span className="field__error" id={`${id}-confirm-err`}>
            {confirmError}
          </span>
        ) : null}
      </div>
      <ActionButton type="submit" className="button button--primary" inactive={state.fetching}>
        {t('invite.action')}
      </ActionButton>
    </form>
  );
}
