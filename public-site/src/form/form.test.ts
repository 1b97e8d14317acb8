import { beforeEach, describe, expect, test, vi } from 'vitest';
import html from '../../index.html?raw';
import type { Result } from '../api/client.ts';
import type { ApplicationInput } from '../api/documents.ts';
import { translator } from '../i18n/index.ts';
import { setupOrderForm, toInput } from './form.ts';
import { renderServices } from './services.ts';
import { FIELDS, type FormValues } from './validate.ts';

type Reply = Result<{ submitApplication: { id: string } }>;
const t = translator('en');
const SERVICE = '0190c3d2-7b7e-4c3a-9a55-1f2e3d4c5b6a';

function mount(reply: (input: ApplicationInput) => Promise<Reply>) {
  document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(html)?.[1] ?? '';
  const form = document.getElementById('order') as HTMLFormElement;
  const submit = vi.fn(reply);
  const onServiceGone = vi.fn();
  setupOrderForm({
    form,
    success: document.getElementById('success') as HTMLElement,
    t,
    submit,
    visitId: () => 'visit-1',
    onServiceGone,
  });
  const field = (name: string) =>
    form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
  const fill = (values: Record<string, string>) => {
    for (const [name, value] of Object.entries(values)) field(name).value = value;
  };
  // The consent box is ticked unless a test says otherwise.
  (form.elements.namedItem('consent') as HTMLInputElement).checked = true;
  const send = () => form.requestSubmit();
  const error = (name: string) => document.getElementById(`e-${name}`)?.textContent ?? '';
  const status = () => document.getElementById('form-status') as HTMLElement;
  const button = () => document.getElementById('submit') as HTMLButtonElement;
  return { form, submit, onServiceGone, field, fill, send, error, status, button };
}

const ok = (): Promise<Reply> =>
  Promise.resolve({ ok: true, data: { submitApplication: { id: 'abcdef12-0000' } } });

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('order form', () => {
  test('every control is named after its ApplicationInput field, plus the honeypot', () => {
    const f = mount(ok);
    for (const name of [...FIELDS, 'website']) expect(f.field(name), name).toBeTruthy();
    const options = (name: string) =>
      [...(f.field(name) as HTMLSelectElement).options].map((o) => o.value);
    // Codes: the server shows each reader its own language (server/src/leads/choices.rs).
    expect(options('budget')).toEqual([
      '',
      'budget_under_500k',
      'budget_500k_1m',
      'budget_1m_5m',
      'budget_5m_plus',
    ]);
    expect(options('companySize')).toEqual([
      '',
      'size_under_50',
      'size_50_100',
      'size_100_500',
      'size_500_plus',
    ]);
    expect(options('deadline')).toEqual([
      '',
      'deadline_1_week',
      'deadline_1_month',
      'deadline_2_3_months',
      'deadline_3_months_plus',
    ]);
    expect(options('preferredContactMethod')).toEqual([
      '',
      'contact_phone',
      'contact_email',
      'contact_telegram',
      'contact_whatsapp',
    ]);
  });

  test('client-side errors appear next to their fields and are announced', () => {
    const f = mount(ok);
    f.fill({ email: 'not-an-email', phone: 'call me' });
    f.send();
    expect(f.submit).not.toHaveBeenCalled();
    expect(f.error('name')).toBe(t('error.required'));
    expect(f.error('surname')).toBe(t('error.required'));
    expect(f.error('email')).toBe(t('error.email'));
    expect(f.error('phone')).toBe(t('error.phone', { min: 5 }));
    expect(f.field('email').getAttribute('aria-invalid')).toBe('true');
    expect(f.field('email').getAttribute('aria-describedby')).toContain('e-email');
    expect(f.status().hidden).toBe(false);
    expect(f.status().getAttribute('role')).toBe('alert');
    expect(f.status().textContent).toBe(t('error.summary', { count: 4 }));
    expect(document.activeElement).toBe(f.field('name'));
    // Fixing a field clears its error as the visitor types.
    f.field('email').value = 'ivan@example.com';
    f.field('email').dispatchEvent(new Event('input', { bubbles: true }));
    expect(f.error('email')).toBe('');
    expect(f.field('email').hasAttribute('aria-invalid')).toBe(false);
  });

  test('leaving a field does not show an error yet (no layout shift under the pointer)', () => {
    const f = mount(ok);
    f.field('email').value = 'nope';
    f.field('email').dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
    f.field('email').dispatchEvent(new Event('change', { bubbles: true }));
    expect(f.error('email')).toBe('');
    expect(f.status().hidden).toBe(true);
  });

  test('sends the order with the visit id; the button is disabled while sending; success state', async () => {
    let answer: (r: Reply) => void = () => undefined;
    const f = mount(() => new Promise<Reply>((r) => (answer = r)));
    f.fill({
      name: ' Иван ',
      surname: 'Петров',
      email: 'ivan@example.com',
      budget: 'budget_5m_plus',
    });
    f.send();
    f.send(); // a double click sends one order
    expect(f.submit).toHaveBeenCalledTimes(1);
    expect(f.submit.mock.calls[0]?.[0]).toEqual({
      name: 'Иван',
      surname: 'Петров',
      email: 'ivan@example.com',
      budget: 'budget_5m_plus',
      visitId: 'visit-1',
      consent: true,
    });
    expect(f.button().disabled).toBe(true);
    expect(f.button().textContent).toBe(t('action.sending'));
    expect(f.form.getAttribute('aria-busy')).toBe('true');
    answer({
      ok: true,
      data: { submitApplication: { id: '01a20dee-0000-7000-8000-00003456abcd' } },
    });
    await vi.waitFor(() => expect(f.form.hidden).toBe(true));
    const success = document.getElementById('success') as HTMLElement;
    expect(success.hidden).toBe(false);
    expect(document.activeElement?.id).toBe('success-heading');
    expect(document.getElementById('success-number')?.textContent).toBe(
      t('success.number', { id: '3456abcd' }),
    );
    expect(f.button().disabled).toBe(false);
    (document.getElementById('again') as HTMLButtonElement).click();
    expect(f.form.hidden).toBe(false);
    expect(f.field('name').value).toBe('');
  });

  test('a server error naming a field is shown next to it (a service deleted meanwhile)', async () => {
    const f = mount(() =>
      Promise.resolve({
        ok: false,
        errors: [
          {
            message: 'This service is not offered now',
            extensions: { code: 'BAD_USER_INPUT', field: 'serviceId', reason: 'UNAVAILABLE' },
          },
        ],
      }),
    );
    renderServices(f.field('serviceId') as HTMLSelectElement, [{ id: SERVICE, name: 'Аудит' }]);
    f.fill({ name: 'Иван', surname: 'Петров', email: 'ivan@example.com', serviceId: SERVICE });
    f.send();
    await vi.waitFor(() => expect(f.error('serviceId')).toBe(t('error.serviceGone')));
    expect(f.field('serviceId').getAttribute('aria-invalid')).toBe('true');
    expect(f.onServiceGone).toHaveBeenCalledOnce();
    expect(f.form.hidden).toBe(false);
    expect(f.button().disabled).toBe(false);
  });

  test('the server’s reason decides the words, with its numbers; never its English message', async () => {
    const refuse = (field: string, extensions: Record<string, unknown>) => () =>
      Promise.resolve<Reply>({
        ok: false,
        errors: [
          {
            message: 'English words the visitor never sees',
            extensions: { code: 'BAD_USER_INPUT', field, ...extensions },
          },
        ],
      });
    const valid = { name: 'Иван', surname: 'Петров', email: 'ivan@example.com' };

    // A check the page does not make itself: invisible characters in a name.
    const f = mount(refuse('name', { reason: 'INVISIBLE_CHARACTERS' }));
    f.fill({ ...valid, name: 'Ив\u200bан' });
    f.send();
    await vi.waitFor(() => expect(f.error('name')).toBe(t('error.invisibleChars')));
    expect(f.field('name').getAttribute('aria-invalid')).toBe('true');
    expect(f.status().textContent).toBe(t('error.summary', { count: 1 }));

    // The bound comes from the server, not from this page's copy of it.
    const g = mount(refuse('budget', { reason: 'TOO_LONG', max: 42 }));
    g.fill(valid);
    g.send();
    await vi.waitFor(() => expect(g.error('budget')).toBe('At most 42 characters.'));
  });

  test('a refusal without a reason shows the server’s own words', async () => {
    const f = mount(() =>
      Promise.resolve({
        ok: false,
        errors: [
          {
            message: 'Email is somehow wrong',
            extensions: { code: 'BAD_USER_INPUT', field: 'email' },
          },
        ],
      }),
    );
    f.fill({ name: 'Иван', surname: 'Петров', email: 'ivan@example.com' });
    f.send();
    await vi.waitFor(() => expect(f.error('email')).toBe('Email is somehow wrong'));
  });

  test('a refusal or a lost connection shows beside the button, takes the focus, offers a retry and keeps the input', async () => {
    let replies: Reply[] = [
      { ok: false, errors: [{ message: 'x', extensions: { code: 'RATE_LIMITED' } }] },
      { ok: false, network: true, errors: [] },
    ];
    const f = mount(() => {
      const [next, ...rest] = replies;
      replies = rest;
      return Promise.resolve(
        next ?? { ok: true, data: { submitApplication: { id: 'x-12345678' } } },
      );
    });
    const box = () => document.getElementById('submit-status') as HTMLElement;
    const text = () => document.getElementById('submit-status-text')?.textContent;
    f.fill({
      name: 'Иван',
      surname: 'Петров',
      email: 'ivan@example.com',
      additionalComments: 'Срочно',
    });
    f.send();
    await vi.waitFor(() => expect(text()).toBe(t('error.rateLimited')));
    expect(box().hidden).toBe(false);
    expect(document.activeElement).toBe(box());
    // Beside the button: the same row, not the summary far above.
    expect(box().parentElement).toBe(f.button().parentElement);
    expect(f.status().hidden).toBe(true);
    expect(f.field('additionalComments').value).toBe('Срочно');
    (document.getElementById('retry') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(text()).toBe(t('error.network')));
    expect(f.submit).toHaveBeenCalledTimes(2);
    expect(f.field('name').value).toBe('Иван');
    (document.getElementById('retry') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(f.form.hidden).toBe(true));
    expect(f.submit).toHaveBeenCalledTimes(3);
  });

  test('consent is required: the box is named, focused, and nothing is sent', async () => {
    const f = mount(ok);
    const consent = f.field('consent') as HTMLInputElement;
    consent.checked = false;
    f.fill({ name: 'Иван', surname: 'Петров', email: 'ivan@example.com' });
    f.send();
    expect(f.submit).not.toHaveBeenCalled();
    expect(f.error('consent')).toBe(t('error.consent'));
    expect(document.activeElement).toBe(consent);
    consent.checked = true;
    consent.dispatchEvent(new Event('change', { bubbles: true }));
    expect(f.error('consent')).toBe('');
    f.send();
    expect(f.submit.mock.calls[0]?.[0]).toMatchObject({ consent: true });
    await vi.waitFor(() => expect(f.form.hidden).toBe(true));
  });

  test('the server refusing consent is shown at the box', async () => {
    const f = mount(() =>
      Promise.resolve({
        ok: false,
        errors: [
          {
            message: 'x',
            extensions: { code: 'BAD_USER_INPUT', field: 'consent', reason: 'REQUIRED' },
          },
        ],
      }),
    );
    f.fill({ name: 'Иван', surname: 'Петров', email: 'ivan@example.com' });
    f.send();
    await vi.waitFor(() => expect(f.error('consent')).toBe(t('error.consent')));
  });

  test('a counter appears near a field’s limit while typing, and turns red past it', () => {
    const f = mount(ok);
    const comments = f.field('additionalComments');
    const counter = () => document.getElementById('n-additionalComments') as HTMLElement;
    expect(comments.getAttribute('aria-describedby')).toContain('n-additionalComments');
    comments.value = 'x'.repeat(100);
    comments.dispatchEvent(new Event('input', { bubbles: true }));
    expect(counter().hidden).toBe(true);
    comments.value = 'x'.repeat(4990);
    comments.dispatchEvent(new Event('input', { bubbles: true }));
    expect(counter().hidden).toBe(false);
    expect(counter().textContent).toBe(t('count.left', { count: 10, max: 5000 }));
    comments.value = 'x'.repeat(5002);
    comments.dispatchEvent(new Event('input', { bubbles: true }));
    expect(counter().textContent).toBe(t('count.over', { count: 2, max: 5000 }));
    expect(counter().classList.contains('over')).toBe(true);
  });

  test('sent over its limit, a field carries one message saying by how much', () => {
    const f = mount(ok);
    const comments = f.field('additionalComments');
    const counter = () => document.getElementById('n-additionalComments') as HTMLElement;
    comments.value = 'x'.repeat(5001);
    comments.dispatchEvent(new Event('input', { bubbles: true }));
    f.send();
    expect(f.error('additionalComments')).toBe(t('count.over', { count: 1, max: 5000 }));
    expect(counter().hidden).toBe(true);
    // Still over while being fixed: the error follows; fixed: the error goes, the counter is back.
    comments.value = 'x'.repeat(5003);
    comments.dispatchEvent(new Event('input', { bubbles: true }));
    expect(f.error('additionalComments')).toBe(t('count.over', { count: 3, max: 5000 }));
    expect(counter().hidden).toBe(true);
    comments.value = 'x'.repeat(4999);
    comments.dispatchEvent(new Event('input', { bubbles: true }));
    expect(f.error('additionalComments')).toBe('');
    expect(counter().hidden).toBe(false);
    expect(counter().textContent).toBe(t('count.left', { count: 1, max: 5000 }));
  });

  test('every message a field is described by is said once', () => {
    const f = mount(ok);
    // The words a field's description reads: every element it names, hidden ones too.
    const described = (name: string) =>
      (f.field(name).getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent.trim() ?? '')
        .filter((text) => text !== '');
    f.fill({ name: 'я'.repeat(105), phone: '+7 (912) 555-01-68 доб. 3' });
    for (const name of ['name', 'phone'])
      f.field(name).dispatchEvent(new Event('input', { bubbles: true }));
    f.send();
    expect(described('name')).toEqual([t('count.over', { count: 5, max: 100 })]);
    // Letters in the phone are named (deleting five characters would not do); the counter
    // still says by how much it is long. (The hint is filled by the build, not here.)
    expect(described('phone')).toEqual([
      t('error.phone', { min: 5 }),
      t('count.over', { count: 5, max: 20 }),
    ]);
    // Cut to the limit, the name's counter has nothing to add while the error is gone.
    f.field('name').value = 'я'.repeat(99);
    f.field('name').dispatchEvent(new Event('input', { bubbles: true }));
    expect(described('name')).toEqual([t('count.left', { count: 1, max: 100 })]);
  });

  test('a contact method by phone, WhatsApp or Telegram needs the phone, before sending', () => {
    const f = mount(ok);
    f.fill({
      name: 'Иван',
      surname: 'Петров',
      email: 'ivan@example.com',
      preferredContactMethod: 'contact_whatsapp',
    });
    // Chosen: the phone is marked required as the other required fields are.
    f.field('preferredContactMethod').dispatchEvent(new Event('change', { bubbles: true }));
    const mark = document.getElementById('phone-required') as HTMLElement;
    expect(f.field('phone').getAttribute('aria-required')).toBe('true');
    expect(mark.hidden).toBe(false);
    f.send();
    expect(f.submit).not.toHaveBeenCalled();
    expect(f.error('phone')).toBe(t('error.phoneNeeded'));
    expect(f.field('phone').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(f.field('phone'));
    expect(f.status().textContent).toBe(t('error.summary', { count: 1 }));
    // Choosing e-mail instead takes the requirement away at once.
    f.field('preferredContactMethod').value = 'contact_email';
    f.field('preferredContactMethod').dispatchEvent(new Event('change', { bubbles: true }));
    expect(f.error('phone')).toBe('');
    expect(f.field('phone').getAttribute('aria-required')).toBe('false');
    expect(mark.hidden).toBe(true);
    expect(f.status().hidden).toBe(true);
    f.send();
    expect(f.submit).toHaveBeenCalledTimes(1);
  });

  test('the server’s REQUIRED on the phone reads as the same message', async () => {
    const f = mount(() =>
      Promise.resolve({
        ok: false,
        errors: [
          {
            message: 'Phone is required to be contacted by WhatsApp',
            extensions: { code: 'BAD_USER_INPUT', field: 'phone', reason: 'REQUIRED' },
          },
        ],
      }),
    );
    f.fill({ name: 'Иван', surname: 'Петров', email: 'ivan@example.com' });
    f.send();
    await vi.waitFor(() => expect(f.error('phone')).toBe(t('error.phoneNeeded')));
    expect(document.activeElement).toBe(f.field('phone'));
  });

  test('toInput leaves out empty optional fields and the visit id when tracking is off', () => {
    const values = Object.fromEntries(FIELDS.map((f) => [f, '  '])) as FormValues;
    values.name = 'A';
    values.surname = 'B';
    values.email = 'a@b.co';
    expect(toInput(values, '', null)).toEqual({ name: 'A', surname: 'B', email: 'a@b.co' });
    expect(toInput(values, 'http://spam', 'v')).toMatchObject({
      website: 'http://spam',
      visitId: 'v',
    });
  });
});

describe('service select', () => {
  test('keeps the choice while it exists, reports when it was removed', () => {
    document.body.innerHTML = '<select><option value="">any</option></select>';
    const select = document.querySelector('select') as HTMLSelectElement;
    const a = { id: SERVICE, name: 'A' };
    const b = { id: SERVICE.replace('a', 'b'), name: 'B' };
    expect(renderServices(select, [a, b])).toBe('kept');
    select.value = b.id;
    expect(renderServices(select, [{ ...b, name: 'B renamed' }, a])).toBe('kept');
    expect(select.value).toBe(b.id);
    expect(select.selectedOptions[0]?.textContent).toBe('B renamed');
    expect(renderServices(select, [a])).toBe('removed');
    expect(select.value).toBe('');
    expect([...select.options].map((o) => o.textContent)).toEqual(['any', 'A']);
  });
});
