// @vitest-environment node
// Every `ValidationReason` of ../schema.graphql has words on this page, in both languages.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { BY_REASON, reasonError, type ValidationReason } from '../src/form/reasons.ts';
import { FIELDS } from '../src/form/validate.ts';
import { translator } from '../src/i18n/index.ts';
import { en } from '../src/i18n/en.ts';
import { ru } from '../src/i18n/ru.ts';

/** The values of `enum ValidationReason { … }` in the committed schema. */
function schemaReasons(): string[] {
  const sdl = readFileSync(fileURLToPath(new URL('../../schema.graphql', import.meta.url)), 'utf8');
  const body = /\benum\s+ValidationReason\s*\{([\s\S]*?)\}/.exec(sdl)?.[1];
  if (body === undefined) throw new Error('schema.graphql has no enum ValidationReason');
  const values = body.replace(/"""[\s\S]*?"""/g, '').replace(/#.*$/gm, '');
  return [...values.matchAll(/\b[A-Z][A-Z0-9_]*\b/g)].map((m) => m[0]);
}

describe('server refusals in words', () => {
  test('the page knows exactly the schema’s reasons', () => {
    const reasons = schemaReasons();
    expect(reasons).toContain('TOO_LONG');
    expect(Object.keys(BY_REASON).sort()).toEqual([...reasons].sort());
  });

  test.each([
    ['ru', ru],
    ['en', en],
  ] as const)('every reason reads in %s, on every field, numbers filled in', (lang, dict) => {
    const t = translator(lang);
    for (const reason of schemaReasons()) {
      for (const field of FIELDS) {
        const error = reasonError(field, reason as ValidationReason, { max: 7, min: 3 });
        expect(error.key, `${reason} on ${field}`).toBeDefined();
        if (error.key === undefined) continue;
        expect(dict[error.key].trim(), `${lang} ${error.key}`).not.toBe('');
        const words = t(error.key, error.params);
        expect(words, `${lang} ${reason} on ${field}`).not.toMatch(/[{}]/);
      }
    }
  });
});
