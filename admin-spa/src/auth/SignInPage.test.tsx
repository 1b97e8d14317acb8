// @vitest-environment jsdom
// The first-run form against a scripted server: the urql client is the real one over a fake
// `fetch`, so the tests see the variables exactly as they would go over the wire.
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

// userEvent types key by key (three 21-character passwords a test): on a loaded machine a
// form takes longer than vitest's default 5 s.
vi.setConfig({ testTimeout: 30_000 });
import { MemoryRouter, Route, Routes } from 'react-router';
import { Client, fetchExchange, Provider } from 'urql';
import { I18nProvider, LOCALE_KEY } from '../i18n/I18nProvider';
import { AuthProvider } from './AuthProvider';
import { SESSION_KEY } from './session';
import { SignInPage } from './SignInPage';

const CODE = 'ABCD-EFGH-JKMN';
// What the admin reads: the dictionary's words for the server's reason, never its message.
const WRONG = "The setup code is wrong: copy it from the server's log";

interface Request {
  operationName: string;
  variables: Record<string, unknown>;
}

type Answer = { data: unknown } | { data: null; errors: unknown[] };

/** A server in first run: production or not, and what it answers to `registerAdmin`. */
function fakeServer(options: {
  adminExists?: boolean;
  setupCodeRequired: boolean;
  register?: (variables: Record<string, unknown>) => Answer;
  login?: (variables: Record<string, unknown>) => Answer;
}) {
  const requests: Request[] = [];
  const answer = (request: Request): Answer => {
    if (request.operationName === 'AdminExists') {
      return {
        data: {
          adminExists: options.adminExists ?? false,
          setupCodeRequired: options.setupCodeRequired,
        },
      };
    }
    if (request.operationName === 'RegisterAdmin' && options.register) {
      return options.register(request.variables);
    }
    if (request.operationName === 'Login' && options.login) {
      return options.login(request.variables);
    }
    return { data: null, errors: [{ message: `unexpected ${request.operationName}` }] };
  };
  const fetch = (_url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (typeof init?.body !== 'string') throw new Error('expected a JSON POST body');
    const request = JSON.parse(init.body) as Request;
    requests.push(request);
    return Promise.resolve(
      new Response(JSON.stringify(answer(request)), {
        headers: { 'content-type': 'application/json' },
      }),
    );
  };
  const registrations = () =>
    requests.filter((r) => r.operationName === 'RegisterAdmin').map((r) => r.variables);
  const logins = () => requests.filter((r) => r.operationName === 'Login').map((r) => r.variables);
  return { fetch, registrations, logins };
}

const signedIn = (email: unknown): Answer => ({
  data: {
    registerAdmin: {
      __typename: 'AuthPayload',
      token: 'token',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      deviceToken: 'device-of-registration',
      admin: { __typename: 'Admin', id: '1', email },
    },
  },
});

/** A refusal as the server sends it: a machine reason, and English words the SPA never shows. */
const refused = (
  reason: 'SETUP_CODE_WRONG' | 'SETUP_CODE_REQUIRED' | 'WEAK_PASSWORD',
  field = 'setupCode',
): Answer => ({
  data: null,
  errors: [
    {
      message: `English words for ${reason}`,
      path: ['registerAdmin'],
      extensions: { code: 'BAD_USER_INPUT', field, reason },
    },
  ],
});

function renderSignIn(server: ReturnType<typeof fakeServer>) {
  const client = new Client({
    url: '/graphql',
    preferGetMethod: false,
    exchanges: [fetchExchange],
    fetch: server.fetch,
  });
  render(
    <I18nProvider>
      <AuthProvider>
        <Provider value={client}>
          <MemoryRouter initialEntries={['/login?next=%2Forders']}>
            <Routes>
              <Route path="/login" element={<SignInPage />} />
              <Route path="/orders" element={<p>orders screen</p>} />
            </Routes>
          </MemoryRouter>
        </Provider>
      </AuthProvider>
    </I18nProvider>,
  );
}

async function fillCredentials(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText('Email'), 'owner@example.com');
  await user.type(screen.getByLabelText('Password'), 'correct horse battery');
  await user.type(screen.getByLabelText('Password again'), 'correct horse battery');
}

const submit = (user: ReturnType<typeof userEvent.setup>) =>
  user.click(screen.getByRole('button', { name: 'Create administrator' }));

/** The texts an input's aria-describedby points at, in order. */
function description(input: HTMLElement): string[] {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  return ids.map((id) => document.getElementById(id)?.textContent ?? `#${id} missing`);
}

beforeEach(() => {
  localStorage.clear();
  localStorage.setItem(LOCALE_KEY, 'en');
});

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('first-run registration', () => {
  test('in development it asks for no setup code and sends none', async () => {
    const user = userEvent.setup();
    const server = fakeServer({ setupCodeRequired: false, register: (v) => signedIn(v.email) });
    renderSignIn(server);
    await screen.findByRole('heading', { name: 'First run' });
    expect(screen.queryByLabelText('Setup code')).toBeNull();

    await fillCredentials(user);
    await submit(user);
    await screen.findByText('orders screen');
    expect(server.registrations()).toEqual([
      { email: 'owner@example.com', password: 'correct horse battery' },
    ]);
  });

  test('sign-in never asks for the code', async () => {
    renderSignIn(fakeServer({ adminExists: true, setupCodeRequired: false }));
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(screen.queryByLabelText('Setup code')).toBeNull();
  });

  test('in production it asks for the code from the log and sends it', async () => {
    const user = userEvent.setup();
    const server = fakeServer({ setupCodeRequired: true, register: (v) => signedIn(v.email) });
    renderSignIn(server);
    const input = await screen.findByLabelText('Setup code');
    expect(input.getAttribute('aria-invalid')).toBeNull();
    expect(description(input).join(' ')).toMatch(/printed in its log.*docker compose logs server/);

    await user.type(input, ` ${CODE.toLowerCase()} `);
    await fillCredentials(user);
    await submit(user);
    await screen.findByText('orders screen');
    expect(server.registrations()).toEqual([
      {
        email: 'owner@example.com',
        password: 'correct horse battery',
        setupCode: CODE.toLowerCase(),
      },
    ]);
  });

  test('a wrong code is shown beside the code input, and the next try sends the fix', async () => {
    const user = userEvent.setup();
    const server = fakeServer({
      setupCodeRequired: true,
      register: (v) => (v.setupCode === CODE ? signedIn(v.email) : refused('SETUP_CODE_WRONG')),
    });
    renderSignIn(server);
    const input = await screen.findByLabelText('Setup code');
    await user.type(input, 'ABCD-EFGH-JKMX');
    await fillCredentials(user);
    await submit(user);

    const error = await screen.findByText(WRONG);
    expect(error.className).toBe('field__error');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(description(input)).toContain(WRONG);
    expect(screen.queryByTestId('auth-error')).toBeNull();
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBeNull();

    await user.clear(input);
    await user.type(input, CODE);
    await submit(user);
    await screen.findByText('orders screen');
    expect(server.registrations().map((v) => v.setupCode)).toEqual(['ABCD-EFGH-JKMX', CODE]);
  });

  test('an empty code is caught before asking the server, in its words', async () => {
    const user = userEvent.setup();
    const server = fakeServer({
      setupCodeRequired: true,
      register: () => refused('SETUP_CODE_REQUIRED'),
    });
    renderSignIn(server);
    const input = await screen.findByLabelText('Setup code');
    await fillCredentials(user);
    await submit(user);

    const text = 'Enter the setup code: the server printed it in its log at start';
    expect(description(input)).toContain(text);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(server.registrations()).toEqual([]);
  });

  test('the server’s missing-code answer is translated too', async () => {
    localStorage.setItem(LOCALE_KEY, 'ru');
    const user = userEvent.setup();
    const server = fakeServer({
      setupCodeRequired: true,
      register: () => refused('SETUP_CODE_REQUIRED'),
    });
    renderSignIn(server);
    const input = await screen.findByLabelText('Код настройки');
    await user.type(input, CODE);
    await user.type(screen.getByLabelText('Эл. почта'), 'owner@example.com');
    await user.type(screen.getByLabelText('Пароль'), 'correct horse battery');
    await user.type(screen.getByLabelText('Пароль ещё раз'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Создать администратора' }));

    await screen.findByText('Введите код настройки: сервер вывел его в журнал при запуске');
    expect(description(input).join(' ')).toMatch(/docker compose logs server/);
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });
});

describe('a forgotten password', () => {
  test('sign-in says who can set a new one; first-run registration does not', async () => {
    const user = userEvent.setup();
    renderSignIn(fakeServer({ adminExists: true, setupCodeRequired: false }));
    await screen.findByRole('heading', { name: 'Sign in' });
    const forgot = screen.getByTestId('forgot-password');
    await user.click(screen.getByText('Forgot your password?'));
    expect(forgot.hasAttribute('open')).toBe(true);
    expect(forgot.textContent).toContain('server set-password --email');
    cleanup();
    renderSignIn(fakeServer({ setupCodeRequired: false }));
    await screen.findByRole('heading', { name: 'First run' });
    expect(screen.queryByTestId('forgot-password')).toBeNull();
  });
});

describe('the device token', () => {
  test('a sign-in keeps it, and the next sign-in to that account sends it', async () => {
    const user = userEvent.setup();
    let issued = 0;
    const server = fakeServer({
      adminExists: true,
      setupCodeRequired: false,
      login: (v) => {
        issued += 1;
        return {
          data: {
            login: {
              __typename: 'AuthPayload',
              token: 'token',
              expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
              deviceToken: `device-${issued}`,
              admin: { __typename: 'Admin', id: '1', email: v.email },
            },
          },
        };
      },
    });
    const signInAs = async (email: string) => {
      renderSignIn(server);
      await screen.findByRole('heading', { name: 'Sign in' });
      await user.type(screen.getByLabelText('Email'), email);
      await user.type(screen.getByLabelText('Password'), 'correct horse battery');
      await user.click(screen.getByRole('button', { name: 'Sign in' }));
      await screen.findByText('orders screen');
      cleanup();
      localStorage.removeItem(SESSION_KEY);
    };
    await signInAs('owner@example.com');
    await signInAs('Owner@Example.com');
    await signInAs('other@example.com');
    expect(server.logins().map((v) => v.device ?? null)).toEqual([null, 'device-1', null]);
  });
});

describe('sign-in and registration errors', () => {
  test('a refused sign-in says the email or password is wrong, in the admin’s language, and no longer why the last session ended', async () => {
    localStorage.setItem(LOCALE_KEY, 'ru');
    // The last session expired while the panel was closed: the page says so first.
    localStorage.setItem(
      SESSION_KEY,
      JSON.stringify({ token: 't', email: 'owner@example.com', expiresAt: '2020-01-01T00:00:00Z' }),
    );
    const user = userEvent.setup();
    const server = fakeServer({
      adminExists: true,
      setupCodeRequired: false,
      login: () => ({
        data: null,
        errors: [
          {
            message: 'English words',
            path: ['login'],
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      }),
    });
    renderSignIn(server);
    await screen.findByRole('heading', { name: 'Вход' });
    expect(screen.getByTestId('session-notice').textContent).toMatch(/Сессия истекла/);
    await user.type(screen.getByLabelText('Эл. почта'), 'owner@example.com');
    await user.type(screen.getByLabelText('Пароль'), 'not the password');
    await user.click(screen.getByRole('button', { name: 'Войти' }));
    expect((await screen.findByTestId('auth-error')).textContent).toBe('Неверная почта или пароль');
    expect(screen.queryByTestId('session-notice')).toBeNull();
  });

  test('the password length is counted in characters, as the server counts it', async () => {
    const user = userEvent.setup();
    const server = fakeServer({ setupCodeRequired: false, register: (v) => signedIn(v.email) });
    renderSignIn(server);
    await screen.findByRole('heading', { name: 'First run' });
    // Six emoji are twelve UTF-16 units but six characters: too short for the server.
    const short = '🔑🔒🗝🔐🔏🛡';
    await user.type(screen.getByLabelText('Email'), 'owner@example.com');
    await user.type(screen.getByLabelText('Password'), short);
    await user.type(screen.getByLabelText('Password again'), short);
    await submit(user);
    await screen.findByText('The password must be at least 12 characters long');
    expect(server.registrations()).toEqual([]);

    // Twelve emoji are twelve characters: long enough. (The label now holds the error too.)
    const input = (name: string) => document.querySelector(`input[name="${name}"]`) as HTMLElement;
    await user.type(input('password'), short);
    await user.type(input('confirm'), short);
    await submit(user);
    await screen.findByText('orders screen');
    expect(server.registrations()).toEqual([
      { email: 'owner@example.com', password: short + short },
    ]);
  });

  test('an empty form flags every field it can at once, the email too', async () => {
    localStorage.setItem(LOCALE_KEY, 'ru');
    const user = userEvent.setup();
    const server = fakeServer({ setupCodeRequired: false, register: (v) => signedIn(v.email) });
    renderSignIn(server);
    await screen.findByRole('heading', { name: 'Первый запуск' });
    await user.click(screen.getByRole('button', { name: 'Создать администратора' }));

    // (The email's label holds its error now.)
    const input = (name: string) => document.querySelector(`input[name="${name}"]`) as HTMLElement;
    const email = input('email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(description(email)).toEqual(['Укажите почту']);
    const password = input('password');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(description(password).at(-1)).toBe('Пароль должен быть не короче 12 символов');
    expect(server.registrations()).toEqual([]);
  });

  test('a refusal of an earlier password does not stay once the password is changed', async () => {
    const user = userEvent.setup();
    const weak = 'password1234';
    const server = fakeServer({
      setupCodeRequired: false,
      register: (v) =>
        v.password === weak ? refused('WEAK_PASSWORD', 'password') : signedIn(v.email),
    });
    renderSignIn(server);
    await screen.findByRole('heading', { name: 'First run' });
    const input = (name: string) => document.querySelector(`input[name="${name}"]`) as HTMLElement;
    await user.type(screen.getByLabelText('Email'), 'owner@example.com');
    await user.type(input('password'), weak);
    await user.type(input('confirm'), weak);
    await submit(user);
    await screen.findByText(/This password is easy to guess/);
    expect(input('password').getAttribute('aria-invalid')).toBe('true');

    // A strong password now, mistyped in the repeat: only the mismatch is wrong.
    await user.clear(input('password'));
    await user.type(input('password'), 'correct horse battery');
    await user.clear(input('confirm'));
    await user.type(input('confirm'), 'correct horse batterx');
    await submit(user);
    expect(description(input('confirm'))).toEqual(['The passwords differ']);
    expect(screen.queryByText(/This password is easy to guess/)).toBeNull();
    expect(input('password').getAttribute('aria-invalid')).toBeNull();
    expect(server.registrations()).toHaveLength(1);
  });
});
