// Readable names for what the tracker counts, read from the public page itself (loaded in the
// heatmap's frame, same origin, in the admin's language): a click key (`f-email`, `privacy`,
// `label[for=f-name]`) or a form field's name (`email`) finds its element, and the element's
// own label is its default name. The owner's names (stored on the server) come first. So the
// page is the one place a new element is named: nothing to add here or on the server.

/** What the tracker counts a click against (see public-site/src/tracker/selector.ts). */
export const INTERACTIVE =
  'a,button,input,select,textarea,label,summary,[role=button],[role=link],[data-track]';
const CONTROLS = 'input:not([type=hidden]),select,textarea';
const MAX_LABEL = 80;

export type LabelKind = 'ELEMENT' | 'FIELD';

export interface OwnerLabel {
  kind: LabelKind;
  element: string;
  label: string;
}

const clean = (text: string | null | undefined): string =>
  (text ?? '')
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/\s*\*\s*$/, '')
    .trim();

const clip = (text: string): string =>
  text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1).trimEnd()}…` : text;

/** The public page as the admin's preview shows it: no tracker, the admin's language. */
export const previewSrc = (lang: string): string => `/?preview&lang=${encodeURIComponent(lang)}`;

/** The element a click key names: by id, by data-track, else the key is the tracker's short
 * CSS selector. Null when the page has no such element (any more). */
export function findElement(doc: Document, key: string): Element | null {
  const byId = doc.getElementById(key);
  if (byId) return byId;
  for (const el of doc.querySelectorAll('[data-track]')) {
    if (el.getAttribute('data-track') === key) return el;
  }
  try {
    return doc.querySelector(key);
  } catch {
    return null; // not a selector: a key the page no longer has
  }
}

/** The form control a field name names. */
export function findField(doc: Document, name: string): Element | null {
  for (const el of doc.querySelectorAll(CONTROLS)) {
    if (el.getAttribute('name') === name) return el;
  }
  return null;
}

/** The element's own visible name: its aria-label, its <label>, a fieldset's legend, its text,
 * else its placeholder or title. Empty when it has none. */
export function ownLabel(el: Element): string {
  const doc = el.ownerDocument;
  const aria = clean(el.getAttribute('aria-label'));
  if (aria) return clip(aria);
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) {
    const text = clean(
      labelledBy
        .split(/\s+/)
        .map((id) => doc.getElementById(id)?.textContent ?? '')
        .join(' '),
    );
    if (text) return clip(text);
  }
  if (el.matches(CONTROLS)) {
    const id = el.getAttribute('id');
    const label = id
      ? [...doc.querySelectorAll('label')].find((l) => l.getAttribute('for') === id)
      : el.closest('label');
    const text = clean(label?.textContent);
    if (text) return clip(text);
  }
  if (el.tagName === 'FIELDSET') {
    const legend = clean(el.querySelector('legend')?.textContent);
    if (legend) return clip(legend);
  }
  const text = clean(el.textContent);
  if (text) return clip(text);
  return clip(
    clean(el.getAttribute('placeholder') ?? el.getAttribute('title') ?? el.getAttribute('alt')),
  );
}

/** The key the tracker would count a click on `el` against, or null for an element it never
 * counts under a stable name. */
export function trackerKey(el: Element): string | null {
  if (el.id) return el.id;
  const tracked = el.getAttribute('data-track');
  if (tracked) return tracked;
  const forId = el.tagName === 'LABEL' ? el.getAttribute('for') : null;
  return forId ? `label[for=${forId}]` : null;
}

export interface Spot {
  /** The tracker's key of the element, when it has one (for the owner's name). */
  key: string | null;
  /** The page's own name for it. */
  label: string;
}

/** What a point of the page (document px) is on: the clickable thing under it, else the one form
 * field whose box holds it, else the fieldset, else the nearest element with an id. */
export function elementAt(doc: Document, x: number, y: number): Element | null {
  const hit = doc.elementFromPoint(x, y);
  if (!hit || hit === doc.documentElement || hit === doc.body) return null;
  const interactive = hit.closest(INTERACTIVE);
  if (interactive) {
    // A label names its control: count it as the control.
    const forId = interactive.tagName === 'LABEL' ? interactive.getAttribute('for') : null;
    return (forId && doc.getElementById(forId)) || interactive;
  }
  for (let el: Element | null = hit; el && el !== doc.body; el = el.parentElement) {
    const controls = el.querySelectorAll(CONTROLS);
    if (controls.length === 1) return controls[0] ?? null;
    if (controls.length > 1) break;
  }
  return hit.closest('fieldset') ?? hit.closest('[id]');
}

/** Names a point of the page, or null where there is nothing named under it. */
export function spotAt(doc: Document, x: number, y: number): Spot | null {
  const el = elementAt(doc, x, y);
  if (!el) return null;
  const label = ownLabel(el);
  const key = trackerKey(el);
  if (!label && !key) return null;
  return { key, label: label || (key ?? '') };
}

/** Looks names up: the owner's name first, then the page's own label, then `fallback`. */
export function makeNamer(doc: Document | null, labels: readonly OwnerLabel[]) {
  const owner = new Map(labels.map((l) => [`${l.kind}:${l.element}`, l.label]));
  return {
    owner: (kind: LabelKind, key: string) => owner.get(`${kind}:${key}`) ?? null,
    page(kind: LabelKind, key: string): string | null {
      if (!doc) return null;
      const el = kind === 'FIELD' ? findField(doc, key) : findElement(doc, key);
      return el ? ownLabel(el) || null : null;
    },
    name(kind: LabelKind, key: string, fallback: string): string {
      return this.owner(kind, key) ?? this.page(kind, key) ?? fallback;
    },
  };
}

export type Namer = ReturnType<typeof makeNamer>;
