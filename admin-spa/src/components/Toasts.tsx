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
import { useI18n } from '../i18n/I18nProvider';

export interface Toast {
  id: number;
  title: string;
  body?: string;
  tone?: 'info' | 'urgent' | 'medium' | 'low';
  action?: { label: string; onClick: () => void };
}

interface Toasts {
  push: (toast: Omit<Toast, 'id'>) => void;
}

const ToastContext = createContext<Toasts | null>(null);
const LIFETIME_MS = 10_000;

/** Toasts close themselves after ten seconds, but not while the pointer or the keyboard focus
 * is on them (someone is reading, or about to press "Open"); the clock restarts on leaving. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, number>());
  const shown = useRef<number[]>([]);
  const held = useRef({ pointer: false, focus: false });
  const { t } = useI18n();

  useEffect(() => {
    shown.current = toasts.map((toast) => toast.id);
  }, [toasts]);
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => window.clearTimeout(timer));
  }, []);

  const dismiss = useCallback((id: number) => {
    window.clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((list) => list.filter((x) => x.id !== id));
  }, []);

  const schedule = useCallback(
    (id: number) => {
      if (held.current.pointer || held.current.focus || timers.current.has(id)) return;
      timers.current.set(
        id,
        window.setTimeout(() => dismiss(id), LIFETIME_MS),
      );
    },
    [dismiss],
  );

  const hold = (why: 'pointer' | 'focus', on: boolean) => {
    held.current[why] = on;
    if (on) {
      timers.current.forEach((timer) => window.clearTimeout(timer));
      timers.current.clear();
    } else {
      shown.current.forEach(schedule);
    }
  };

  const push = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = nextId.current++;
      setToasts((list) => [...list.slice(-3), { ...toast, id }]);
      schedule(id);
    },
    [schedule],
  );

  const value = useMemo(() => ({ push }), [push]);
  return (
    <ToastContext value={value}>
      {children}
      <div
        className="toasts"
        role="status"
        aria-live="polite"
        aria-relevant="additions"
        onMouseEnter={() => hold('pointer', true)}
        onMouseLeave={() => hold('pointer', false)}
        onFocus={() => hold('focus', true)}
        onBlur={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget)) hold('focus', false);
        }}
      >
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={`toast toast--${toast.tone ?? 'info'}`}
            data-testid="toast"
          >
            <div className="toast__text">
              <strong>{toast.title}</strong>
              {toast.body ? <span>{toast.body}</span> : null}
            </div>
            {toast.action ? (
              <button
                type="button"
                className="button button--small"
                onClick={() => {
                  toast.action?.onClick();
                  dismiss(toast.id);
                }}
              >
                {toast.action.label}
              </button>
            ) : null}
            <button
              type="button"
              className="icon-button"
              aria-label={t('common.dismiss')}
              onClick={() => dismiss(toast.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext>
  );
}

export function useToasts(): Toasts {
  const value = use(ToastContext);
  if (!value) throw new Error('useToasts outside ToastProvider');
  return value;
}
