// The two optional alerts for new orders, switched per browser from the orders page.
import { useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import {
  desktopPermission,
  playChime,
  requestDesktopPermission,
  setAlertPrefs,
  unlockSound,
  useAlertPrefs,
} from './alerts';

export function AlertsControl() {
  const { t } = useI18n();
  const prefs = useAlertPrefs();
  const [permission, setPermission] = useState(desktopPermission);
  const blocked = permission === 'denied' || permission === 'unsupported';
  // Desktop alerts are only on when the browser allows them too.
  const desktopOn = prefs.desktop && permission === 'granted';

  return (
    <fieldset className="alerts" data-testid="alerts">
      <legend className="visually-hidden">{t('alerts.label')}</legend>
      <label className="alerts__switch">
        <input
          type="checkbox"
          checked={prefs.sound}
          data-testid="alerts-sound"
          onChange={(e) => {
            const on = e.target.checked;
            setAlertPrefs({ sound: on });
            if (on) {
              // A click is where the browser lets audio start: prepare it, and let the admin
              // hear what they chose.
              unlockSound();
              playChime();
            }
          }}
        />
        <span aria-hidden="true">🔊</span> {t('alerts.sound')}
      </label>
      <label className="alerts__switch" title={blocked ? t(`alerts.${permission}`) : undefined}>
        <input
          type="checkbox"
          checked={desktopOn}
          disabled={permission === 'unsupported'}
          data-testid="alerts-desktop"
          aria-describedby={blocked ? 'alerts-desktop-hint' : undefined}
          onChange={(e) => {
            const on = e.target.checked;
            if (!on) {
              setAlertPrefs({ desktop: false });
              return;
            }
            void requestDesktopPermission().then((granted) => {
              setPermission(desktopPermission());
              setAlertPrefs({ desktop: granted });
            });
          }}
        />
        <span aria-hidden="true">🖥️</span> {t('alerts.desktop')}
      </label>
      {blocked ? (
        <span id="alerts-desktop-hint" className="alerts__hint" role="status">
          {t(`alerts.${permission}`)}
        </span>
      ) : null}
    </fieldset>
  );
}
