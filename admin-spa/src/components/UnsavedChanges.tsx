import { useEffect } from 'react';
import { useBlocker } from 'react-router';
import { ConfirmDialog } from './ConfirmDialog';

/**
 * While a form holds unsaved changes, leaving asks first: a move inside the app (the menu, a
 * link, Back) with the app's dialog — react-router's blocker, which needs the data router
 * (`createBrowserRouter` in app/App.tsx) — and closing or reloading the tab with the browser's
 * own prompt (`beforeunload`; browsers show their fixed wording, not ours).
 */
export function UnsavedChanges({
  dirty,
  title,
  body,
  confirmLabel,
}: {
  dirty: boolean;
  title: string;
  body: string;
  confirmLabel: string;
}) {
  // Another screen only: a new query string on this one keeps the form.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && currentLocation.pathname !== nextLocation.pathname,
  );

  useEffect(() => {
    if (!dirty) return;
    const ask = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);

  // Saved meanwhile (nothing left to lose): go on rather than ask about nothing.
  useEffect(() => {
    if (blocker.state === 'blocked' && !dirty) blocker.proceed();
  }, [blocker, dirty]);

  return (
    <ConfirmDialog
      open={blocker.state === 'blocked'}
      title={title}
      confirmLabel={confirmLabel}
      onConfirm={() => blocker.proceed?.()}
      onCancel={() => blocker.reset?.()}
    >
      {body}
    </ConfirmDialog>
  );
}
