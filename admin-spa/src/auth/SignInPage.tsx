import { useId, useState, type SubmitEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { ErrorMessage, useDescribedText, useErrorText } from '../components/ErrorMessage';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { Spinner } from '../components/Spinner';
import { graphql } from '../gql';
import { useI18n } from '../i18n/I18nProvider';
import { describeReason, firstError, type Described } from '../lib/errors';
import { PASSWORD_MIN, charCount } from '../lib/limits';
import { useAuth } from './AuthProvider';
import { deviceToken, keepDeviceToken } from './device';
import { safeNext } from './session';
import { ActionButton } from '../components/ActionButton';

const AdminExistsQuery = graphql(`
  query AdminExists {
    adminExists
    setupCodeRequired
  }
`);

const LoginMutation = graphql(`
  mutation Login($email: String!, $password: String!, $device: String) {
    login(email: $email, password: $password, device: $device) {
      token
      expiresAt
      deviceToken
      admin {
        id
        email
      }
    }
  }
`);

const RegisterMutation = graphql(`
  mutation RegisterAdmin($email: String!, $password: String!, $setupCode: String) {
    registerAdmin(email: $email, password: $password, setupCode: $setupCode) {
      token
      expiresAt
      deviceToken
      admin {
        id
        email
      }
    }
  }
`);

export function SignInPage() {
  const { session, notice: lastNotice } = useAuth();
  const { t } = useI18n();
  // Why the last session ended, until the admin tries to sign in again: next to a refused
  // attempt, "you have signed out" would only confuse.
  const [attempted, setAttempted] = useState(false);
  const notice = attempted ? null : lastNotice;
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [{ data, fetching, error }] = useQuery({
    query: AdminExistsQuery,
    requestPolicy: 'network-only',
  });

  if (session) return <Navigate to={next} replace />;

  return (
    <div className="auth">
      <div className="auth__card">
        <div className="auth__top">
          <span className="brand">
            <span aria-hidden="true">📥</span> {t('app.name')}
          </span>
          <LanguageSwitch />
        </div>
        {notice === 'expired' || notice === 'ended' ? (
          <p className="alert alert--warning" role="alert" data-testid="session-notice">
            {t(notice === 'expired' ? 'auth.expired' : 'auth.ended')}
          </p>
        ) : null}
        {notice === 'signedOut' ? (
          <p className="alert alert--info" role="status" data-testid="session-notice">
            {t('auth.signedOut')}
          </p>
        ) : null}
        {fetching && !data ? <Spinner /> : null}
        <ErrorMessage error={error} />
        {data?.adminExists === false ? (
          <CredentialsForm
            mode="register"
            next={next}
            setupCodeRequired={data.setupCodeRequired}
            onAttempt={() => setAttempted(true)}
          />
        ) : null}
        {data?.adminExists === true ? (
          <CredentialsForm mode="login" next={next} onAttempt={() => setAttempted(true)} />
        ) : null}
      </div>
    </div>
  );
}

type Field = 'email' | 'password' | 'confirm' | 'setupCode';

interface CredentialsFormProps {
  mode: 'login' | 'register';
  next: string;
  /** A production server's first run: registration needs the code from the server's log. */
  setupCodeRequired?: boolean;
  /** Called when the form is sent. */
  onAttempt: () => void;
}

function CredentialsForm({
  mode,
  next,
  setupCodeRequired = false,
  onAttempt,
}: CredentialsFormProps) {
  const { t } = useI18n();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  // On this form UNAUTHENTICATED is a wrong email or password, not an expired session.
  const errorText = useErrorText({ UNAUTHENTICATED: 'error.wrongCredentials' });
  const say = useDescribedText();
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [setupCode, setSetupCode] = useState('');
  // What the last try found wrong: the checks made here first (every field at once), else the
  // server's refusal. Each try starts clean, so no earlier refusal stays beside a field.
  const [localErrors, setLocalErrors] = useState<Partial<Record<Field, Described>>>({});
  const [refused, setRefused] = useState<CombinedError | undefined>(undefined);
  const [login, runLogin] = useMutation(LoginMutation);
  const [register, runRegister] = useMutation(RegisterMutation);
  const state = mode === 'login' ? login : register;
  const serverError = firstError(refused);
  const registering = mode === 'register';
  const askCode = registering && setupCodeRequired;

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    onAttempt();
    setRefused(undefined);
    // The server's checks made first, in the words of its refusals.
    const found: Partial<Record<Field, Described>> = {};
    if (askCode && !setupCode.trim()) {
      found.setupCode = describeReason('setupCode', 'SETUP_CODE_REQUIRED');
    }
    if (registering && !email.trim()) {
      found.email = describeReason('email', 'REQUIRED');
    }
    if (registering && charCount(password) < PASSWORD_MIN) {
      found.password = describeReason('password', 'TOO_SHORT', { min: PASSWORD_MIN });
    } else if (registering && password !== confirm) {
      found.confirm = { key: 'auth.passwordsDiffer' };
    }
    setLocalErrors(found);
    if (Object.keys(found).length > 0) return;
    const vars = { email: email.trim(), password };
    const result = registering
      ? await runRegister(askCode ? { ...vars, setupCode: setupCode.trim() } : vars)
      : await runLogin({ ...vars, device: deviceToken(vars.email) });
    setRefused(result.error);
    const payload = result.data
      ? 'registerAdmin' in result.data
        ? result.data.registerAdmin
        : result.data.login
      : null;
    if (payload) {
      if (payload.deviceToken) keepDeviceToken(payload.admin.email, payload.deviceToken);
      signIn({ token: payload.token, expiresAt: payload.expiresAt, email: payload.admin.email });
      void navigate(next, { replace: true });
    }
  };

  const fieldError = (field: Field): string | null => {
    const local = localErrors[field];
    if (local) return say(local);
    if (serverError?.field === field) return errorText(serverError);
    return null;
  };
  const generalError = serverError && !serverError.field ? errorText(serverError) : null;
  const emailError = fieldError('email');
  const passwordError = fieldError('password');
  const confirmError = fieldError('confirm');
  const setupCodeError = fieldError('setupCode');

  return (
    <form
      className="form"
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      aria-labelledby={`${id}-h`}
    >
      <h1 id={`${id}-h`}>{registering ? t('auth.registerTitle') : t('auth.signInTitle')}</h1>
      {registering ? <p className="muted">{t('auth.registerIntro')}</p> : null}
      {generalError ? (
        <p className="alert alert--error" role="alert" data-testid="auth-error">
          {generalError}
        </p>
      ) : null}
      {askCode ? (
        // The hint sits outside the label so the input's name stays short; it is read as the
        // input's description, with the error after it.
        <div className="field">
          <label className="field__label" htmlFor={`${id}-setupCode`}>
            {t('auth.setupCode')}
          </label>
          <input
            id={`${id}-setupCode`}
            type="text"
            name="setupCode"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            required
            className="input--code"
            value={setupCode}
            onChange={(e) => setSetupCode(e.target.value)}
            aria-invalid={setupCodeError ? true : undefined}
            aria-describedby={
              setupCodeError ? `${id}-setupCode-hint ${id}-setupCode-err` : `${id}-setupCode-hint`
            }
          />
          <span className="field__hint" id={`${id}-setupCode-hint`}>
            {t('auth.setupCodeHint')}
          </span>
          {setupCodeError ? (
            <span className="field__error" id={`${id}-setupCode-err`}>
              {setupCodeError}
            </span>
          ) : null}
        </div>
      ) : null}
      <label className="field">
        <span className="field__label">{t('auth.email')}</span>
        <input
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={emailError ? true : undefined}
          aria-describedby={emailError ? `${id}-email-err` : undefined}
        />
        {emailError ? (
          <span className="field__error" id={`${id}-email-err`}>
            {emailError}
          </span>
        ) : null}
      </label>
      {/* A div, not a label around everything: the policy hint stays out of the input's name. */}
      <div className="field">
        <label className="field__label" htmlFor={`${id}-password`}>
          {t('auth.password')}
        </label>
        <input
          id={`${id}-password`}
          type="password"
          name="password"
          autoComplete={registering ? 'new-password' : 'current-password'}
          required
          minLength={registering ? PASSWORD_MIN : undefined}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={passwordError ? true : undefined}
          aria-describedby={
            [registering ? `${id}-password-hint` : '', passwordError ? `${id}-password-err` : '']
              .filter(Boolean)
              .join(' ') || undefined
          }
        />
        {registering ? (
          // The policy up front, not only as a refusal.
          <span className="field__hint" id={`${id}-password-hint`} data-testid="password-policy">
            {t('auth.passwordPolicy', { count: PASSWORD_MIN })}
          </span>
        ) : null}
        {passwordError ? (
          <span className="field__error" id={`${id}-password-err`}>
            {passwordError}
          </span>
        ) : null}
      </div>
      {registering ? (
        <label className="field">
          <span className="field__label">{t('auth.confirm')}</span>
          <input
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
        </label>
      ) : null}
      <ActionButton type="submit" className="button button--primary" inactive={state.fetching}>
        {registering ? t('auth.registerAction') : t('auth.signInAction')}
      </ActionButton>
      {registering ? null : (
        // No e-mail reset (the desk may send no e-mail at all): say who can set a new one.
        <details className="auth__forgot" data-testid="forgot-password">
          <summary>{t('auth.forgotTitle')}</summary>
          <p className="muted">{t('auth.forgotBody')}</p>
          <pre>docker compose exec server server set-password --email {'<email>'}</pre>
        </details>
      )}
    </form>
  );
}
