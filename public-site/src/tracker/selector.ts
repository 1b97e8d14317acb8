// What a click is counted against: the element's id, else its data-track, else a short selector
// that stays the same across page loads. Never anything the visitor typed.

import { CAPS, clip } from '../limits.ts';

const INTERACTIVE =
  'a,button,input,select,textarea,label,summary,[role=button],[role=link],[data-track]';

function step(el: Element): string {
  const tag = el.tagName.toLowerCase();
  const parent = el.parentElement;
  if (!parent) return tag;
  const same = [...parent.children].filter((c) => c.tagName === el.tagName);
  return same.length > 1 ? `${tag}:nth-of-type(${same.indexOf(el) + 1})` : tag;
}

function shortSelector(el: Element): string {
  const forId = el.tagName === 'LABEL' ? el.getAttribute('for') : null;
  if (forId) return `label[for=${forId}]`;
  const parts: string[] = [];
  let current: Element | null = el;
  while (current && parts.length < 3) {
    if (current.id) {
      parts.unshift(`#${current.id}`);
      break;
    }
    const tag = current.tagName.toLowerCase();
    if (tag === 'body' || tag === 'html') {
      if (!parts.length) parts.unshift(tag);
      break;
    }
    parts.unshift(step(current));
    current = current.parentElement;
  }
  return parts.join('>');
}

// Duck-typed rather than `instanceof Element`, which fails across frames and test windows.
const isElement = (target: EventTarget | null): target is Element =>
  typeof (target as Partial<Element> | null)?.closest === 'function';

export function elementKey(target: EventTarget | null): string | null {
  if (!isElement(target)) return null;
  const el = target.closest(INTERACTIVE) ?? target;
  const tracked = el.getAttribute('data-track');
  const key = el.id || tracked || shortSelector(el);
  return clip(key, CAPS.name);
}
