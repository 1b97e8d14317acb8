// The business behind the page (its settings, live): title, header, logo and favicon, "about",
// colour, contacts and address in the footer, the privacy policy (a link, or a section of its
// own), and the consent wording. Unset values fall back to neutral dictionary text.

import type { BusinessSettings } from '../api/documents.ts';
import type { MessageKey, Translate } from '../i18n/index.ts';

export interface Contact {
  kind: 'phone' | 'email' | 'telegram' | 'whatsapp';
  href: string;
  text: string;
}

const digits = (phone: string) => phone.replace(/[^\d+]/g, '');

/**
 * The number as wa.me takes it: the international number, digits only. A Russian number is
 * often written the domestic way, 8 and ten digits ("8 921 555-01-23"): that is +7.
 */
export function whatsappNumber(phone: string): string {
  const number = digits(phone);
  if (!number.startsWith('+') && number.length === 11 && number.startsWith('8')) {
    return `7${number.slice(1)}`;
  }
  return number.replace('+', '');
}

/** The ways to reach the business, as links, in a fixed order. */
export function contactLinks(s: BusinessSettings): Contact[] {
  const out: Contact[] = [];
  if (s.phone) out.push({ kind: 'phone', href: `tel:${digits(s.phone)}`, text: s.phone });
  if (s.email) out.push({ kind: 'email', href: `mailto:${s.email}`, text: s.email });
  if (s.telegram)
    out.push({ kind: 'telegram', href: `https://t.me/${s.telegram}`, text: `@${s.telegram}` });
  if (s.whatsapp)
    out.push({
      kind: 'whatsapp',
      href: `https://wa.me/${whatsappNumber(s.whatsapp)}`,
      text: s.whatsapp,
    });
  return out;
}

const channel = (hex: string, at: number) => parseInt(hex.slice(at, at + 2), 16) / 255;

/** WCAG relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const linear = (at: number) => {
    const c = channel(hex, at);
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(1) + 0.7152 * linear(3) + 0.0722 * linear(5);
}

/** Black or white, whichever reads better on `hex`. */
export function textOn(hex: string): string {
  const l = luminance(hex);
  // Contrast with white (1.05 / (l + 0.05)) against contrast with black ((l + 0.05) / 0.05).
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#000000';
}

/** `hex` mixed with `toward` (0–255 per channel: white or black) by `amount` (0–1). */
function mix(hex: string, toward: 0 | 255, amount: number): string {
  return (
    '#' +
    [1, 3, 5]
      .map((at) => {
        const c = channel(hex, at) * 255;
        return Math.round(c + (toward - c) * amount)
          .toString(16)
          .padStart(2, '0');
      })
      .join('')
  );
}

/** `hex` mixed with white by `amount` (0–1): the colour made readable on a dark page. */
export function lighten(hex: string, amount: number): string {
  return mix(hex, 255, amount);
}

/** WCAG contrast ratio of two colours (1–21). */
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** The page's light background (`--bg`), the darker of the two a link may sit on. */
export const LIGHT_PAGE = '#f4f5f7';

/**
 * `hex` as ink for text and outlines on the light page: kept when it reads at 4.5:1 (WCAG AA
 * for text), else darkened just enough. A yellow brand fills buttons well (with black text)
 * but as link text on white it is unreadable (1.1:1).
 */
export function inkOn(hex: string, background: string = LIGHT_PAGE): string {
  for (let amount = 0; amount <= 1; amount += 0.05) {
    const ink = mix(hex, 0, amount);
    if (contrast(ink, background) >= 4.5) return ink;
  }
  return '#000000';
}

/** "от 15 000 ₽" / "from RUB 15,000": a price in the business's currency and the page's language. */
export function formatPrice(amount: number, currency: string, lang: string): string {
  try {
    return new Intl.NumberFormat(lang, {
      style: 'currency',
      currency,
      maximumFractionDigits: 0,
    }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

const byId = (doc: Document, id: string) => doc.getElementById(id);

function setText(el: HTMLElement | null, text: string | null) {
  if (!el) return;
  el.textContent = text ?? '';
  el.hidden = !text;
}

/** A page's title: on its own, and with the business's name (`{name}`). */
export interface Titles {
  plain: MessageKey;
  of: MessageKey;
}

const ORDER_PAGE: Titles = { plain: 'meta.title', of: 'meta.titleOf' };

/** Applies the settings to the page (again after every change). */
export function applyBusiness(
  doc: Document,
  s: BusinessSettings,
  t: Translate,
  titles: Titles = ORDER_PAGE,
): void {
  const name = s.name ?? t('page.brand');
  doc.title = s.name ? t(titles.of, { name: s.name }) : t(titles.plain);

  const brand = byId(doc, 'brand-name');
  if (brand) brand.textContent = name;
  const logo = byId(doc, 'brand-logo') as HTMLImageElement | null;
  if (logo) {
    logo.hidden = !s.logoUrl;
    if (s.logoUrl) logo.src = s.logoUrl;
    else logo.removeAttribute('src');
  }
  const icon = doc.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (icon) icon.href = s.logoUrl ?? 'data:,';

  setText(byId(doc, 'about'), s.about);

  const root = doc.documentElement.style;
  if (s.primaryColor) {
    const dark = lighten(s.primaryColor, 0.45);
    root.setProperty('--brand', s.primaryColor);
    root.setProperty('--brand-text', textOn(s.primaryColor));
    root.setProperty('--brand-ink', inkOn(s.primaryColor));
    root.setProperty('--brand-dark', dark);
    root.setProperty('--brand-dark-text', textOn(dark));
  } else {
    for (const v of ['--brand', '--brand-text', '--brand-ink', '--brand-dark', '--brand-dark-text'])
      root.removeProperty(v);
  }

  // Footer: name, contacts, address, policy.
  setText(byId(doc, 'foot-name'), name);
  const list = byId(doc, 'foot-contacts');
  if (list) {
    list.replaceChildren(
      ...contactLinks(s).map((c) => {
        const item = doc.createElement('li');
        const label = doc.createElement('span');
        label.className = 'muted';
        label.textContent = `${t(`contact.${c.kind}`)}: `;
        const link = doc.createElement('a');
        link.href = c.href;
        link.textContent = c.text;
        if (c.href.startsWith('https:')) link.rel = 'noopener';
        item.append(label, link);
        return item;
      }),
    );
    list.hidden = list.childElementCount === 0;
  }
  setText(byId(doc, 'foot-address'), s.address);

  // The policy: its address, or the text in a section of the page, or nothing yet.
  const href = s.privacyPolicyUrl ?? (s.privacyPolicyText ? '#policy' : null);
  for (const id of ['policy-link', 'foot-policy']) {
    const link = byId(doc, id) as HTMLAnchorElement | null;
    if (!link) continue;
    link.hidden = !href;
    if (href) link.href = href;
    if (s.privacyPolicyUrl) {
      link.target = '_blank';
      link.rel = 'noopener';
    } else {
      link.removeAttribute('target');
    }
  }
  const section = byId(doc, 'policy');
  if (section) section.hidden = !!s.privacyPolicyUrl || !s.privacyPolicyText;
  const policyText = byId(doc, 'policy-text');
  if (policyText) {
    policyText.replaceChildren(
      ...(s.privacyPolicyText ?? '')
        .split(/\n\s*\n/)
        .filter((p) => p.trim())
        .map((p) => {
          const para = doc.createElement('p');
          para.textContent = p.trim();
          return para;
        }),
    );
  }

  const consent = byId(doc, 'consent-text');
  // The owner's own wording as it is; else ours, naming the business as the data's operator.
  if (consent) {
    consent.textContent =
      s.consentText ?? (s.name ? t('consent.defaultOf', { name: s.name }) : t('consent.default'));
  }
}
