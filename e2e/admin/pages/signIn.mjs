// The sign-in screen, which is the registration form on first run.
export class SignInPage {
  /** @param {import('./app.mjs').AdminApp} app */
  constructor(app) {
    this.app = app;
    this.page = app.page;
  }

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  notice() {
    return this.page.getByTestId('session-notice');
  }

  error() {
    return this.page.getByTestId('auth-error');
  }

  async waitForRegistration() {
    await this.page.getByLabel(/Пароль ещё раз|Password again/).waitFor();
  }

  async waitForSignIn() {
    await this.page.getByRole('button', { name: /^(Войти|Sign in)$/ }).waitFor();
  }

  async register(email, password, confirm = password) {
    await this.page.getByLabel(/Эл\. почта|Email/).fill(email);
    await this.page.getByLabel(/^(Пароль|Password)$/).fill(password);
    await this.page.getByLabel(/Пароль ещё раз|Password again/).fill(confirm);
    await this.page
      .getByRole('button', { name: /Создать администратора|Create administrator/ })
      .click();
  }

  async signIn(email, password) {
    await this.page.getByLabel(/Эл\. почта|Email/).fill(email);
    await this.page.getByLabel(/^(Пароль|Password)$/).fill(password);
    await this.page.getByRole('button', { name: /^(Войти|Sign in)$/ }).click();
  }
}
