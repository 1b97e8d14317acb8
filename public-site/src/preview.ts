// The admin's heatmap shows this page in a frame, at `/?preview&lang=en`: in the admin's
// language, and without the tracker — the owner looking at their page is not a visit. `lang`
// alone also works for a visitor's link to the page in a given language.

import type { Lang } from './i18n/index.ts';

export interface PageMode {
  /** Shown inside the admin: nothing is tracked. */
  preview: boolean;
  /** The language asked for in the address, if it is one the page has. */
  lang: Lang | null;
}

export function pageMode(search: string): PageMode {
  const params = new URLSearchParams(search);
  const lang = params.get('lang');
  return {
    preview: params.has('preview'),
    lang: lang === 'ru' || lang === 'en' ? lang : null,
  };
}
