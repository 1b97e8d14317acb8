// The last line against a blank page: a screen that throws while rendering shows what happened
// and a way back instead of unmounting the whole panel (React leaves an empty root otherwise).
// A boundary closer to a screen may take only the errors it can say better (`catches`), with
// its own message and a way to try again (`fallback`); the rest go on up to the panel's.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';

function Broken() {
  const { t } = useI18n();
  return (
    <div className="auth" role="alert" data-testid="app-error">
      <div className="auth__card">
        <h1>{t('app.brokenTitle')}</h1>
        <p className="muted">{t('app.brokenBody')}</p>
        <button
          type="button"
          className="button button--primary"
          onClick={() => window.location.reload()}
        >
          {t('app.reload')}
        </button>
      </div>
    </div>
  );
}

interface Props {
  children: ReactNode;
  /** The errors this boundary handles; any other goes on to the boundary above. All if unset. */
  catches?: (error: unknown) => boolean;
  /** Shown instead of the children; `retry` renders them again. The whole-panel message if unset. */
  fallback?: (retry: () => void) => ReactNode;
}

/** The error caught, boxed: `throw undefined` is an error too. */
type State = { caught: { error: unknown } | null };

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { caught: null };

  static getDerivedStateFromError(error: unknown): State {
    return { caught: { error } };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    if (this.props.catches && !this.props.catches(error)) return; // logged by the one that does
    console.error('admin panel failed to render', error, info.componentStack);
  }

  private readonly retry = () => this.setState({ caught: null });

  override render(): ReactNode {
    const { caught } = this.state;
    if (!caught) return this.props.children;
    // Not ours: rethrown from here, it reaches the next boundary up.
    if (this.props.catches && !this.props.catches(caught.error)) throw caught.error;
    return this.props.fallback ? this.props.fallback(this.retry) : <Broken />;
  }
}
