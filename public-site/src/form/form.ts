// The order form: client-side checks, errors next to their fields (and announced), length
// counters near the limits, the required consent box, the server's answer mapped back onto the
// form, and a success state. A failure that is not about a field (no connection, too many
// requests, a server fault) shows beside the submit button, takes the focus and offers a retry;
// what was typed stays. One order per click: the button is disabled while the request is out.

import { codes, type GraphQLError, type Result } from '../api/client.ts';
import type { ApplicationInput } from '../api/documents.ts';
import type { MessageKey, Translate } from '../i18n/index.ts';
import {
  FIELDS,
  NEEDS_PHONE,
  validate,
  validateField,
  maxLength,
  type Errors,
  type Field,
  type FieldError,
  type FormValues,
} from './validate.ts';
import { serverFieldError } from './reasons.ts';
import { counterState } from './counter.ts';

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

export function toInput(
  values: FormValues,
  website: string,
  visitId: string | null,
  consent = false,
) {
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
  if (consent) input.consent = true;
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
  /** Fields whose error says by how much they are too long: their counters stand down. */
  const sayLength = new Set<Field>();
  let sending = false;
  const consent = form.elements.namedItem('consent') as HTMLInputElement | null;
  const consentError = byId(form, 'e-consent');
  const submitStatus = byId(form, 'submit-status');
  const submitText = byId(form, 'submit-status-text');

  const values = (): FormValues =>
    Object.fromEntries(FIELDS.map((f) => [f, control(f)?.value ?? ''])) as FormValues;

  function showStatus(key: MessageKey | null, params?: Record<string, number>) {
    if (!status) return;
    status.hidden = key === null;
    status.textContent = key === null ? '' : t(key, params);
  }

  function showFieldError(field: Field, error: FieldError) {
    const box = errorBox(field);
    // A text over its limit says by how much, in the error itself: its counter stands down
    // (see updateCounter), so the field carries one message, not two.
    const over = error.key === 'error.tooLong' ? overBy(field) : undefined;
    if (box) {
      box.textContent =
        over !== undefined
          ? t('count.over', { count: over, max: maxLength(field) ?? 0 })
          : error.key === undefined
            ? error.text
            : t(error.key, error.params);
    }
    if (over === undefined) sayLength.delete(field);
    else sayLength.add(field);
    control(field)?.setAttribute('aria-invalid', 'true');
    control(field)?.closest('.field')?.classList.add('invalid');
    shown.add(field);
    updateCounter(field);
  }

  function clearFieldError(field: Field) {
    const box = errorBox(field);
    if (box) box.textContent = '';
    control(field)?.removeAttribute('aria-invalid');
    control(field)?.closest('.field')?.classList.remove('invalid');
    shown.delete(field);
    sayLength.delete(field);
    updateCounter(field);
  }

  function showConsentError(on: boolean) {
    if (consentError) consentError.textContent = on ? t('error.consent') : '';
    if (on) consent?.setAttribute('aria-invalid', 'true');
    else consent?.removeAttribute('aria-invalid');
    consent?.closest('.field')?.classList.toggle('invalid', on);
  }

  /** A failure that no field explains, beside the button, focused, with a retry. */
  function showSubmitStatus(key: MessageKey | null) {
    if (!submitStatus) return;
    submitStatus.hidden = key === null;
    if (submitText) submitText.textContent = key === null ? '' : t(key);
    if (key !== null) {
      submitStatus.focus();
      // Whole, with its retry button (focusing scrolls only as far as its top edge needs).
      submitStatus.scrollIntoView({ block: 'nearest' });
    }
  }

  function showErrors(errors: Errors, consentMissing = false) {
    for (const field of FIELDS) {
      const error = errors[field];
      if (error) showFieldError(field, error);
      else clearFieldError(field);
    }
    showConsentError(consentMissing);
    const invalid = FIELDS.filter((f) => errors[f]);
    const count = invalid.length + (consentMissing ? 1 : 0);
    showStatus(count ? 'error.summary' : null, { count });
    const first = invalid[0];
    if (first) control(first)?.focus();
    else if (consentMissing) consent?.focus();
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
    if (network) return showSubmitStatus('error.network');
    const fieldErrors: Errors = {};
    let consentMissing = false;
    for (const error of errors) {
      const field = error.extensions?.field;
      if (error.extensions?.code !== 'BAD_USER_INPUT') continue;
      if (isField(field)) fieldErrors[field] = serverFieldError(field, error);
      else if (field === 'consent') consentMissing = true;
    }
    if (fieldErrors.serviceId) options.onServiceGone();
    if (Object.keys(fieldErrors).length || consentMissing)
      return showErrors(fieldErrors, consentMissing);
    showSubmitStatus(codes(errors).includes('RATE_LIMITED') ? 'error.rateLimited' : 'error.server');
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
    const consentMissing = consent !== null && !consent.checked;
    showSubmitStatus(null);
    if (Object.keys(errors).length || consentMissing) return showErrors(errors, consentMissing);
    showErrors({});
    setSending(true);
    const website = (form.elements.namedItem('website') as HTMLInputElement | null)?.value ?? '';
    void options
      .submit(toInput(current, website, options.visitId(), consent?.checked ?? true))
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
    if (name === 'consent' && consent?.checked) {
      showConsentError(false);
      if (shown.size === 0) showStatus(null);
    }
    if (!isField(name)) return;
    updateCounter(name);
    // The contact method decides whether the phone is required: its error follows the choice.
    const current = values();
    for (const field of name === 'preferredContactMethod' ? [name, 'phone' as const] : [name]) {
      if (!shown.has(field)) continue;
      const error = validateField(field, current[field], current);
      if (error) showFieldError(field, error);
      else clearFieldError(field);
    }
    if (shown.size === 0) showStatus(null);
  };
  form.addEventListener('input', recheck);
  form.addEventListener('change', recheck);

  // The phone is required while the chosen contact method reaches the visitor by it: its label
  // gets the "*" the other required fields have, and a screen reader hears it required.
  const phoneMark = form.querySelector<HTMLElement>('#phone-required');
  const markPhone = () => {
    const needed = NEEDS_PHONE.includes(values().preferredContactMethod.trim());
    control('phone')?.setAttribute('aria-required', String(needed));
    if (phoneMark) phoneMark.hidden = !needed;
  };
  markPhone();
  form.addEventListener('change', (event) => {
    if ((event.target as Partial<HTMLSelectElement> | null)?.name === 'preferredContactMethod') {
      markPhone();
    }
  });

  // A counter under each text field with a limit, described by it; shown near the limit.
  const counters = new Map<Field, HTMLElement>();
  for (const field of FIELDS) {
    const max = maxLength(field);
    const input = control(field);
    if (max === undefined || !input || input instanceof HTMLSelectElement) continue;
    const counter = form.ownerDocument.createElement('p');
    counter.className = 'count';
    counter.id = `n-${field}`;
    counter.hidden = true;
    byId(form, `e-${field}`)?.before(counter);
    input.setAttribute(
      'aria-describedby',
      `${input.getAttribute('aria-describedby') ?? ''} ${counter.id}`.trim(),
    );
    counters.set(field, counter);
  }
  /** How many characters a counted field's value is over its limit, if it is. */
  function overBy(field: Field): number | undefined {
    const max = maxLength(field);
    if (max === undefined || !counters.has(field)) return undefined;
    const state = counterState(control(field)?.value ?? '', max);
    return state !== null && 'over' in state ? state.over : undefined;
  }
  function updateCounter(field: Field) {
    const counter = counters.get(field);
    const max = maxLength(field);
    if (!counter || max === undefined) return;
    const state = counterState(control(field)?.value ?? '', max);
    // Over the limit with its error saying so, the error alone says it (see showFieldError).
    // A hidden counter is emptied too: the field's description reads it even when hidden.
    const quiet = state === null || ('over' in state && sayLength.has(field));
    counter.hidden = quiet;
    counter.classList.toggle('over', state !== null && 'over' in state);
    counter.textContent = quiet
      ? ''
      : 'over' in state
        ? t('count.over', { count: state.over, max })
        : t('count.left', { count: state.left, max });
  }

  byId(form, 'retry')?.addEventListener('click', () => form.requestSubmit());

  byId(success, 'again')?.addEventListener('click', () => {
    form.reset();
    showErrors({});
    for (const field of counters.keys()) updateCounter(field);
    // `reset()` fires no `change`: what follows the service and the contact method (the chosen
    // card, the phone's required mark) catches up here.
    for (const field of ['serviceId', 'preferredContactMethod'] as const) {
      control(field)?.dispatchEvent(new Event('change', { bubbles: true }));
    }
    success.hidden = true;
    form.hidden = false;
    control('name')?.focus();
  });

  return { showFieldError };
}
