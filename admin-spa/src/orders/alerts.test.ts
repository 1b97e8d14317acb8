import { describe, expect, it } from 'vitest';
import { parsePrefs } from './alerts';

describe('alert preferences', () => {
  it('are off unless this browser turned them on', () => {
    expect(parsePrefs(null)).toEqual({ sound: false, desktop: false });
    expect(parsePrefs('{"sound":true}')).toEqual({ sound: true, desktop: false });
    expect(parsePrefs('{"sound":true,"desktop":true}')).toEqual({ sound: true, desktop: true });
  });

  it('survive what another version or a hand wrote there', () => {
    expect(parsePrefs('not json')).toEqual({ sound: false, desktop: false });
    expect(parsePrefs('null')).toEqual({ sound: false, desktop: false });
    expect(parsePrefs('{"sound":"yes","desktop":1}')).toEqual({ sound: false, desktop: false });
  });
});
