// Do Not Track and Global Privacy Control: either one means the tracker sends nothing at all.

interface PrivacySignals {
  doNotTrack?: string | null;
  msDoNotTrack?: string | null;
  globalPrivacyControl?: boolean;
}

const on = (value: string | null | undefined) => value === '1' || value === 'yes';

export function trackingAllowed(navigator: Navigator, window?: Window): boolean {
  const nav = navigator as Navigator & PrivacySignals;
  const win = window as (Window & PrivacySignals) | undefined;
  return !(
    nav.globalPrivacyControl === true ||
    on(nav.doNotTrack) ||
    on(nav.msDoNotTrack) ||
    on(win?.doNotTrack)
  );
}
