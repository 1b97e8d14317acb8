// The last line against a blank page: a screen that throws while rendering shows what happened
// and a way back instead of unmounting the whole panel (React leaves an empty root otherwise).
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

export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('admin panel failed to render', error, info.componentStack);
  }

  override render(): ReactNode {
    return this.state.failed ? <Broken /> : this.props.children;
  }
}
