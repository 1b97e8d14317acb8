// A screen whose code loads when first opened (the statistics bring the chart library). The
// import fails when the server cannot be reached, or after an upgrade: the old page asks for a
// chunk name the new build no longer has. Then the screen's area says so, with a way to try
// again, while the menu stays. React.lazy keeps a rejected import for good, so a failed load
// is replaced by a fresh one (the next visit or "Try again" asks the server again); a loaded
// screen stays loaded.
import { lazy, Suspense, useState, type ComponentType } from 'react';
import { Spinner } from '../components/Spinner';
import { useI18n } from '../i18n/I18nProvider';
import { ErrorBoundary } from './ErrorBoundary';

/** The screen's code could not be fetched (an error the screen itself throws is not this). */
export class ScreenLoadError extends Error {
  constructor(cause: unknown) {
    super('the screen could not be loaded', { cause });
    this.name = 'ScreenLoadError';
  }
}

const isLoadError = (error: unknown) => error instanceof ScreenLoadError;

type Load = () => Promise<{ default: ComponentType }>;

/** The screen `load` imports, as a component for a route. */
export function lazyScreen(load: Load): ComponentType {
  const fresh = () =>
    lazy(() =>
      load().catch((cause: unknown) => {
        current = fresh();
        throw new ScreenLoadError(cause);
      }),
    );
  let current = fresh();

  function LazyScreen() {
    // The component of this attempt; a retry takes `current`, fresh after a failure.
    const [Screen, setScreen] = useState(() => current);
    return (
      <ErrorBoundary
        catches={isLoadError}
        fallback={(retry) => (
          <ScreenLoadFailed
            onRetry={() => {
              if (aStylesheetFailed()) {
                window.location.reload();
                return;
              }
              setScreen(() => current);
              retry();
            }}
          />
        )}
      >
        <Suspense fallback={<Spinner />}>
          <Screen />
        </Suspense>
      </ErrorBoundary>
    );
  }
  return LazyScreen;
}

/** A screen's stylesheet that failed to load stays failed for the page's life: Vite's loader
 * notes the stylesheets the page has, once, and never adds one of them again, so the code would
 * load on a retry and draw the screen unstyled (the chart measured wrong). Only a reload brings
 * the styles back. A failed `<link>` still has a (blank) sheet, so its failure is heard as it
 * happens: a load error does not bubble, but the window sees it first, in the capture phase. */
let stylesheetFailed = false;
window.addEventListener(
  'error',
  (event) => {
    const target = event.target;
    if (target instanceof HTMLLinkElement && target.rel === 'stylesheet') stylesheetFailed = true;
  },
  true,
);
const aStylesheetFailed = () => stylesheetFailed;

function ScreenLoadFailed({ onRetry }: { onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <section className="page" role="alert" data-testid="screen-load-failed">
      <h1>{t('app.screenLoadFailedTitle')}</h1>
      <p className="muted">{t('app.screenLoadFailedBody')}</p>
      <p className="page__actions">
        <button type="button" className="button button--primary" onClick={onRetry}>
          {t('app.retry')}
        </button>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          {t('app.reload')}
        </button>
      </p>
    </section>
  );
}
