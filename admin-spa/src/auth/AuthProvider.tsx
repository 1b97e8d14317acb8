import {
  createContext,
  use,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import {
  SESSION_KEY,
  clearSession,
  loadSession,
  msUntilExpiry,
  parseSession,
  saveSession,
  type Session,
} from './session';

/** Why the admin is looking at the sign-in screen. */
/** Why the admin is looking at the sign-in screen: the token ran out ('expired'), the server
 * refused it before then ('ended': a password change, signing out everywhere, a removed
 * account), or they signed out. */
export type SignOutReason = 'expired' | 'ended' | 'signedOut';

export interface Auth {
  session: Session | null;
  notice: SignOutReason | null;
  signIn: (session: Session) => void;
  /** Forgets the session. With `token`, only if that is still the session's token: an answer
   * to a request made with an older token (before a password change, say) ends nothing. */
  signOut: (reason: SignOutReason, token?: string) => void;
  /** This session's token is about to end on the server, and the WebSocket may hear of it
   * before the answer arrives: 'signOut' — whatever ends it now reads as signed out, not
   * expired; 'replace' (a password change, which answers with a new token) — a refusal of the
   * old token ends nothing; null — it did not end after all. */
  retire: (why: 'signOut' | 'replace' | null) => void;
}

const AuthContext = createContext<Auth | null>(null);

/** How far this browser's clock may be behind the server's. */
const CLOCK_SKEW_MS = 60_000;

function initial(): { session: Session | null; notice: SignOutReason | null } {
  const session = loadSession();
  if (session && msUntilExpiry(session) <= 0) {
    clearSession();
    return { session: null, notice: 'expired' };
  }
  return { session, notice: null };
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState(initial);
  const { session } = state;

  const retired = useRef<{ token: string; why: 'signOut' | 'replace' } | null>(null);
  const live = useRef(session);
  useEffect(() => {
    live.current = session;
  }, [session]);
  const signIn = useCallback((given: Session) => {
    const next = { ...given, issuedAt: given.issuedAt ?? new Date().toISOString() };
    live.current = next;
    saveSession(next);
    setState({ session: next, notice: null });
  }, []);

  const signOut = useCallback((reason: SignOutReason, token?: string) => {
    const now = live.current;
    if (!now || (token !== undefined && now.token !== token)) return;
    const old = retired.current?.token === now.token ? retired.current.why : null;
    if (old === 'replace' && token !== undefined) return;
    clearSession();
    // Refused while it still had time to run: the server ended it, it did not expire. (Within
    // a minute of its end, a clock a little behind the server's may be why: expired.)
    const notice =
      old === 'signOut'
        ? 'signedOut'
        : reason === 'expired' && msUntilExpiry(now) > CLOCK_SKEW_MS
          ? 'ended'
          : reason;
    setState((prev) => (prev.session?.token === now.token ? { session: null, notice } : prev));
  }, []);
  const retire = useCallback((why: 'signOut' | 'replace' | null) => {
    const token = live.current?.token;
    retired.current = token && why ? { token, why } : null;
  }, []);

  // Expire on time, and re-check when the tab comes back (timers sleep in background tabs).
  useEffect(() => {
    if (!session) return;
    const check = () => {
      const current = loadSession();
      if (!current || current.token !== session.token) {
        // Another tab signed out or in, or someone edited the storage.
        setState(
          current && msUntilExpiry(current) > 0
            ? { session: current, notice: null }
            : { session: null, notice: current ? 'expired' : 'signedOut' },
        );
        if (current && msUntilExpiry(current) <= 0) clearSession();
        return;
      }
      if (msUntilExpiry(current) <= 0) signOut('expired');
    };
    const delay = Math.min(Math.max(msUntilExpiry(session), 0), 2 ** 31 - 1);
    const timer = window.setTimeout(check, delay);
    const interval = window.setInterval(check, 15_000);
    const onStorage = (event: StorageEvent) => {
      if (event.key === SESSION_KEY || event.key === null) check();
    };
    window.addEventListener('focus', check);
    window.addEventListener('storage', onStorage);
    document.addEventListener('visibilitychange', check);
    return () => {
      window.clearTimeout(timer);
      window.clearInterval(interval);
      window.removeEventListener('focus', check);
      window.removeEventListener('storage', onStorage);
      document.removeEventListener('visibilitychange', check);
    };
  }, [session, signOut]);

  // Signed in from another tab while this one shows the sign-in screen.
  useEffect(() => {
    if (session) return;
    const onStorage = (event: StorageEvent) => {
      if (event.key !== SESSION_KEY) return;
      const next = parseSession(event.newValue);
      if (next && msUntilExpiry(next) > 0) setState({ session: next, notice: null });
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [session]);

  const value = useMemo<Auth>(
    () => ({ session, notice: state.notice, signIn, signOut, retire }),
    [session, state.notice, signIn, signOut, retire],
  );
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): Auth {
  const value = use(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
