// Keeps a signed-in admin signed in while they work: past half its lifetime the token is
// swapped for a fresh one (`renewSession`) if the admin did anything in the last minutes; an
// idle session is left to run out, with a warning two minutes before and a button to stay.
// Unsaved input survives the end anyway (useDraft); the warning is for not losing the place.
import { useEffect, useRef, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { useI18n } from '../i18n/I18nProvider';
import { formatDuration } from '../lib/format';
import { useAuth } from './AuthProvider';
import { plan } from './renewal';

const RenewMutation = graphql(`
  mutation RenewSession {
    renewSession {
      token
      expiresAt
      admin {
        id
        email
      }
    }
  }
`);

/** What counts as the admin being here. */
const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
/** How often the plan is looked at (the countdown ticks every second while it shows). */
const CHECK_MS = 5_000;

export function SessionKeeper() {
  const { t, locale } = useI18n();
  const { session, signIn } = useAuth();
  const [, renew] = useMutation(RenewMutation);
  // Signing in was the last thing the admin did (0 until the first event: idle).
  const lastActivity = useRef(0);
  const renewing = useRef(false);
  const keeper = useRef<() => Promise<void>>(() => Promise.resolve());
  const [warning, setWarning] = useState<number | null>(null);
  const showing = warning !== null;

  useEffect(() => {
    lastActivity.current = Date.now();
    const seen = () => {
      lastActivity.current = Date.now();
    };
    for (const name of ACTIVITY) window.addEventListener(name, seen, { passive: true });
    return () => {
      for (const name of ACTIVITY) window.removeEventListener(name, seen);
    };
  }, []);

  useEffect(() => {
    if (!session) return;
    const stay = async () => {
      if (renewing.current) return;
      renewing.current = true;
      try {
        const result = await renew({});
        const payload = result.data?.renewSession;
        if (payload) {
          signIn({
            token: payload.token,
            expiresAt: payload.expiresAt,
            email: payload.admin.email,
          });
        }
      } finally {
        renewing.current = false;
      }
    };
    const check = () => {
      const now = Date.now();
      const next = plan(session, now, lastActivity.current);
      if (next === 'renew') void stay();
      setWarning(next === 'warn' ? Date.parse(session.expiresAt) - now : null);
    };
    check();
    const interval = window.setInterval(check, CHECK_MS);
    const onActivity = () => {
      if (plan(session, Date.now(), Date.now()) === 'renew') void stay();
    };
    window.addEventListener('keydown', onActivity);
    window.addEventListener('pointerdown', onActivity);
    keeper.current = stay;
    return () => {
      window.clearInterval(interval);
      window.removeEventListener('keydown', onActivity);
      window.removeEventListener('pointerdown', onActivity);
    };
  }, [session, renew, signIn]);

  // The countdown while the warning shows.
  useEffect(() => {
    if (!showing || !session) return;
    const tick = window.setInterval(() => {
      setWarning(Math.max(0, Date.parse(session.expiresAt) - Date.now()));
    }, 1_000);
    return () => window.clearInterval(tick);
  }, [showing, session]);

  if (warning === null) return null;
  return (
    <div
      className="alert alert--warning session-warning"
      role="alert"
      data-testid="session-warning"
    >
      <span>
        {t('auth.endingSoon', { duration: formatDuration(Math.ceil(warning / 1000), locale) })}
      </span>
      <button
        type="button"
        className="button button--small button--primary"
        onClick={() => void keeper.current()}
      >
        {t('auth.staySignedIn')}
      </button>
    </div>
  );
}
