import { beforeEach, describe, expect, test } from 'vitest';
import html from '../../index.html?raw';
import type { BusinessSettings } from '../api/documents.ts';
import { translator } from '../i18n/index.ts';
import {
  LIGHT_PAGE,
  applyBusiness,
  contactLinks,
  contrast,
  formatPrice,
  inkOn,
  lighten,
  textOn,
  whatsappNumber,
} from './business.ts';

const t = translator('en');
const unset: BusinessSettings = {
  name: null,
  about: null,
  phone: null,
  email: null,
  telegram: null,
  whatsapp: null,
  address: null,
  privacyPolicyText: null,
  privacyPolicyUrl: null,
  consentText: null,
  primaryColor: null,
  currency: 'RUB',
  logoUrl: null,
};
const full: BusinessSettings = {
  ...unset,
  name: 'Pixel Studio',
  about: 'Sites for small business',
  phone: '+7 (812) 555-01-23',
  email: 'hello@pixel.example',
  telegram: 'pixel_studio',
  whatsapp: '+7 921 555-01-23',
  address: 'Nevsky 1',
  privacyPolicyText: 'We keep data.\n\nFor three years.',
  consentText: 'I agree',
  primaryColor: '#0f766e',
  logoUrl: '/media/logo?v=1',
};

beforeEach(() => {
  document.head.innerHTML = '<link rel="icon" href="data:," />';
  document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(html)?.[1] ?? '';
});

const el = (id: string) => document.getElementById(id) as HTMLElement;

describe('the business on the page', () => {
  test('contacts become links in a fixed order', () => {
    expect(contactLinks(full).map((c) => c.href)).toEqual([
      'tel:+78125550123',
      'mailto:hello@pixel.example',
      'https://t.me/pixel_studio',
      'https://wa.me/79215550123',
    ]);
    expect(contactLinks(unset)).toEqual([]);
  });

  test('a WhatsApp number written the Russian domestic way (8 …) links as +7', () => {
    expect(whatsappNumber('8 921 555-01-23')).toBe('79215550123');
    expect(whatsappNumber('8 (921) 555-01-23')).toBe('79215550123');
    expect(whatsappNumber('+7 921 555-01-23')).toBe('79215550123');
    // An international number that happens to start with 8 keeps it.
    expect(whatsappNumber('+86 10 1234 5678')).toBe('861012345678');
    expect(whatsappNumber('+84 912 345 678')).toBe('84912345678');
  });

  test('text on the brand colour is whichever of black and white reads better', () => {
    expect(textOn('#0f766e')).toBe('#ffffff');
    expect(textOn('#ffe066')).toBe('#000000');
    expect(lighten('#000000', 0.5)).toBe('#808080');
  });

  test('as text on the light page, a brand colour is darkened just enough to read', () => {
    // Yellow on white reads at 1.1:1; as ink it is a dark olive, 4.5:1 at least.
    const yellow = inkOn('#ffff00');
    expect(contrast('#ffff00', LIGHT_PAGE)).toBeLessThan(1.5);
    expect(contrast(yellow, LIGHT_PAGE)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(yellow, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(inkOn('#ffff00'), LIGHT_PAGE)).toBeLessThan(6); // no darker than needed
    // A colour that reads already is kept.
    expect(inkOn('#1f5fd1')).toBe('#1f5fd1');
    expect(inkOn('#0f766e')).toBe('#0f766e');
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
  });

  test('prices in the business currency and the page language', () => {
    expect(formatPrice(15000, 'RUB', 'ru').replace(/\s/g, ' ')).toBe('15 000 ₽');
    expect(formatPrice(15000, 'USD', 'en')).toBe('$15,000');
  });

  test('settings fill title, header, favicon, footer, policy and consent', () => {
    applyBusiness(document, full, t);
    expect(document.title).toBe('Pixel Studio — send a request');
    expect(el('brand-name').textContent).toBe('Pixel Studio');
    expect((el('brand-logo') as HTMLImageElement).hidden).toBe(false);
    expect(document.querySelector<HTMLLinkElement>('link[rel=icon]')?.getAttribute('href')).toBe(
      '/media/logo?v=1',
    );
    expect(el('about').textContent).toBe('Sites for small business');
    expect(el('foot-contacts').querySelectorAll('a')).toHaveLength(4);
    expect(el('foot-address').textContent).toBe('Nevsky 1');
    expect(el('policy').hidden).toBe(false);
    expect(el('policy-text').querySelectorAll('p')).toHaveLength(2);
    expect(el('policy-link').getAttribute('href')).toBe('#policy');
    expect(el('consent-text').textContent).toBe('I agree');
    expect(document.documentElement.style.getPropertyValue('--brand')).toBe('#0f766e');
    expect(document.documentElement.style.getPropertyValue('--brand-ink')).toBe('#0f766e');
    applyBusiness(document, { ...full, primaryColor: '#ffff00' }, t);
    expect(document.documentElement.style.getPropertyValue('--brand-ink')).toBe(inkOn('#ffff00'));
  });

  test('our own consent wording names the business as the operator; the owner’s is kept as is', () => {
    applyBusiness(document, { ...full, consentText: null }, t);
    expect(el('consent-text').textContent).toBe(
      'I agree to the processing of the personal data in this request by Pixel Studio so that they can contact me about it.',
    );
    const ru = translator('ru');
    applyBusiness(document, { ...full, name: 'Студия «Пиксель» {name}', consentText: null }, ru);
    expect(el('consent-text').textContent).toContain('(оператор — Студия «Пиксель» {name})');
    applyBusiness(document, full, t);
    expect(el('consent-text').textContent).toBe('I agree');
  });

  test('unset settings fall back to neutral words, never the product name', () => {
    applyBusiness(document, full, t);
    applyBusiness(document, { ...unset, privacyPolicyUrl: 'https://x.example/privacy' }, t);
    expect(document.title).toBe(t('meta.title'));
    expect(el('brand-name').textContent).toBe(t('page.brand'));
    expect(document.body.textContent).not.toContain('Order Desk');
    expect((el('brand-logo') as HTMLImageElement).hidden).toBe(true);
    expect(el('foot-contacts').hidden).toBe(true);
    expect(el('policy').hidden).toBe(true);
    expect(el('policy-link').getAttribute('href')).toBe('https://x.example/privacy');
    expect(el('consent-text').textContent).toBe(t('consent.default'));
    expect(document.documentElement.style.getPropertyValue('--brand')).toBe('');
    expect(document.documentElement.style.getPropertyValue('--brand-ink')).toBe('');
  });
});
