// The order form: client-side checks, errors next to their fields (and announced), the server's
// answer mapped back onto the form, and a success state. One order per click: the button is
// disabled while the request is out.

import { codes, type GraphQLError, type Result } from '../api/client.ts';
import type { ApplicationInput } from '../api/documents.ts';
import type { MessageKey, Translate } from '../i18n/index.ts';
import {
  FIELDS,
  validate,
  validateField,
  type Errors,
  type Field,
  type FieldError,
  type FormValues,
} from './validate.ts';
import { serverFieldError } from './reasons.ts';

export interface OrderFormOptions {
  form: HTMLFormElement;
  success: HTMLElement;
  t: Translate;
  submit(input: ApplicationInput): Promise<Result<{ submitApplication: { id: string } }>>;
  /** The tracker's visit id, or null when tracking is off. */
  visitId(): string | null;
  /** The server says the chosen service is gone: reload the list. */
  onServiceGone(): void;
}

export interface OrderForm {
  showFieldError(field: Field, error: FieldError): void;
}

const isField = (name: string | undefined): name is Field =>
  name !== undefined && (FIELDS as readonly string[]).includes(name);

const byId = (root: ParentNode, id: string) => root.querySelector<HTMLElement>(`#${id}`);

export function toInput(values: FormValues, website: string, visitId: string | null) {
  const input: ApplicationInput = {
    name: values.name.trim(),
    surname: values.surname.trim(),
    email: values.email.trim(),
  };
  for (const field of FIELDS) {
    const value = values[field].trim();
    if (value !== '' && !(field in input)) input[field] = value;
  }
  if (visitId) input.visitId = visitId;
  if (website) input.website = website;
  return input;
}

export function setupOrderForm(options: OrderFormOptions): OrderForm {
  const { form, success, t } = options;
  const status = byId(form, 'form-status');
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
  const control = (field: Field) =>
    form.elements.namedItem(field) as HTMLInputElement | HTMLSelectElement | null;
  const errorBox = (field: Field) => byId(form, `e-${field}`);
  const shown = new Set<Field>();
  let sending = false;

  const values = (): FormValues =>
    Object.fromEntries(FIELDS.map((f) => [f, control(f)?.value ?? ''])) as FormValues;

  function showStatus(key: MessageKey | null, params?: Record<string, number>) {
    if (!status) return;
    status.hidden = key === null;
    status.textContent = key === null ? '' : t(key, params);
  }

  function showFieldError(field: Field, error: FieldError) {
    const box = errorBox(field);
    if (box) box.textContent = error.key === undefined ? error.text : t(error.key, error.params);
    control(field)?.setAttribute('aria-invalid', 'true');
    control(field)?.closest('.field')?.classList.add('invalid');
    shown.add(field);
  }

  function clearFieldError(field: Field) {
    const box = errorBox(field);
    if (box) box.textContent = '';
    control(field)?.removeAttribute('aria-invalid');
    control(field)?.closest('.field')?.classList.remove('invalid');
    shown.delete(field);
  }

  function showErrors(errors: Errors) {
    for (const field of FIELDS) {
      const error = errors[field];
      if (error) showFieldError(field, error);
      else clearFieldError(field);
    }
    const invalid = FIELDS.filter((f) => errors[f]);
    showStatus(invalid.length ? 'error.summary' : null, { count: invalid.length });
    const first = invalid[0];
    if (first) control(first)?.focus();
  }

  function setSending(on: boolean) {
    sending = on;
    form.setAttribute('aria-busy', String(on));
    if (button) {
      button.disabled = on;
      button.textContent = t(on ? 'action.sending' : 'action.submit');
    }
  }

  function serverError(errors: GraphQLError[], network: boolean) {
    if (network) return showStatus('error.network');
    const fieldErrors: Errors = {};
    for (const error of errors) {
      const field = error.extensions?.field;
      if (error.extensions?.code === 'BAD_USER_INPUT' && isField(field)) {
        fieldErrors[field] = serverFieldError(field, error);
      }
    }
    if (fieldErrors.serviceId) options.onServiceGone();
    if (Object.keys(fieldErrors).length) return showErrors(fieldErrors);
    showStatus(codes(errors).includes('RATE_LIMITED') ? 'error.rateLimited' : 'error.server');
  }

  function showSuccess(id: string) {
    form.hidden = true;
    success.hidden = false;
    const number = byId(success, 'success-number');
    // Order ids are UUIDv7: the head is a timestamp shared by nearby orders, the tail is random.
    if (number) number.textContent = t('success.number', { id: id.slice(-8) });
    byId(success, 'success-heading')?.focus();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (sending) return;
    const current = values();
    const errors = validate(current);
    if (Object.keys(errors).length) return showErrors(errors);
    showErrors({});
    setSending(true);
    const website = (form.elements.namedItem('website') as HTMLInputElement | null)?.value ?? '';
    void options
      .submit(toInput(current, website, options.visitId()))
      .then((result) => {
        if (result.ok) showSuccess(result.data.submitApplication.id);
        else serverError(result.errors, 'network' in result);
      })
      .finally(() => setSending(false));
  });

  // Errors appear when the visitor sends the form (not when they leave a field: a message
  // appearing on blur shifts the layout under a pointer on its way to the button), and each one
  // clears as soon as its field is fixed.
  const recheck = (event: Event) => {
    const name = (event.target as Partial<HTMLInputElement> | null)?.name;
    if (!isField(name) || !shown.has(name)) return;
    const error = validateField(name, control(name)?.value ?? '');
    if (error) showFieldError(name, error);
    else clearFieldError(name);
    if (shown.size === 0) showStatus(null);
  };
  form.addEventListener('input', recheck);
  form.addEventListener('change', recheck);

  byId(success, 'again')?.addEventListener('click', () => {
    form.reset();
    showErrors({});
    success.hidden = true;
    form.hidden = false;
    control('name')?.focus();
  });

  return { showFieldError };
}
