import { describe, expect, it } from 'vitest';
import { pageMode } from './preview.ts';

describe('page mode from the address', () => {
  it('is a normal page by default', () => {
    expect(pageMode('')).toEqual({ preview: false, lang: null });
  });

  it('reads the admin preview and its language', () => {
    expect(pageMode('?preview&lang=en')).toEqual({ preview: true, lang: 'en' });
    expect(pageMode('?preview=1')).toEqual({ preview: true, lang: null });
    expect(pageMode('?lang=ru')).toEqual({ preview: false, lang: 'ru' });
  });

  it('ignores a language the page does not have', () => {
    expect(pageMode('?lang=de').lang).toBeNull();
    expect(pageMode('?lang=EN').lang).toBeNull();
  });
});
