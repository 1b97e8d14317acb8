// @vitest-environment jsdom
// A browser that blocks storage: reading `localStorage` throws. The panel still starts (in the
// browser's language — jsdom's is en-US — signed out), switches language and signs in, keeping
// it all in memory.
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { AuthProvider, useAuth } from '../auth/AuthProvider';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { I18nProvider, useI18n } from '../i18n/I18nProvider';
import { blockStorage } from '../lib/storageTesting';

// userEvent on a loaded machine can take longer than vitest's default 5 s.
vi.setConfig({ testTimeout: 30_000 });

let restore: (() => void)[] = [];
beforeEach(() => {
  restore = [blockStorage('localStorage'), blockStorage('sessionStorage')];
});
afterEach(() => {
  cleanup();
  for (const undo of restore) undo();
});

function Probe() {
  const { t } = useI18n();
  const { session, signIn } = useAuth();
  return (
    <>
      <LanguageSwitch />
      <h1>{t('auth.signInTitle')}</h1>
      <p>{session ? session.email : 'signed out'}</p>
      <button
        type="button"
        onClick={() =>
          signIn({
            token: 't',
            expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
            email: 'owner@example.com',
          })
        }
      >
        sign in
      </button>
    </>
  );
}

test('blocked storage: the panel starts, switches language and signs in', async () => {
  expect(() => localStorage.getItem('x')).toThrow();
  const user = userEvent.setup();
  render(
    <I18nProvider>
      <AuthProvider>
        <Probe />
      </AuthProvider>
    </I18nProvider>,
  );
  // Nothing stored: the browser's language (jsdom prefers en-US).
  expect(navigator.languages[0]).toBe('en-US');
  expect(screen.getByRole('heading').textContent).toBe('Sign in');
  expect(screen.getByText('signed out')).toBeTruthy();

  await user.click(screen.getByRole('button', { name: 'RU' }));
  expect(screen.getByRole('heading').textContent).toBe('Вход');

  await act(() => user.click(screen.getByRole('button', { name: 'sign in' })));
  expect(screen.getByText('owner@example.com')).toBeTruthy();
});
