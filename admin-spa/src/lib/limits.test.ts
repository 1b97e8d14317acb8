// The admin panel's limits against the server's own constants, read from its Rust source.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EMAIL_MAX,
  SEARCH_MAX,
  LOST_REASON_MAX,
  PASSWORD_MAX,
  PASSWORD_MIN,
  SERVICE_DESCRIPTION_MAX,
  SERVICE_NAME_MAX,
  charCount,
  inputMaxLength,
} from './limits';

const server = (path: string) =>
  readFileSync(join(import.meta.dirname, '../../../server/src', path), 'utf8');

/** `NAME: usize = 1_000;` → 1000 (the first definition of that name in the file). */
function rustConst(source: string, name: string): number {
  const match = new RegExp(`\\bconst\\s+${name}\\s*:\\s*\\w+\\s*=\\s*([\\d_]+)\\s*;`).exec(source);
  if (!match?.[1]) throw new Error(`no const ${name}`);
  return Number(match[1].replace(/_/g, ''));
}

/** A constant inside `impl Type { … }`. */
function implConst(source: string, type: string, name: string): number {
  const start = source.search(new RegExp(`\\bimpl\\s+${type}\\s*\\{`));
  if (start < 0) throw new Error(`no impl ${type}`);
  return rustConst(source.slice(start), name);
}

describe('limits agree with the server', () => {
  it('services', () => {
    const services = server('services.rs');
    expect(SERVICE_NAME_MAX).toBe(implConst(services, 'ServiceDraft', 'NAME_MAX'));
    expect(SERVICE_DESCRIPTION_MAX).toBe(implConst(services, 'ServiceDraft', 'DESCRIPTION_MAX'));
  });

  it('the orders list search', () => {
    expect(SEARCH_MAX).toBe(rustConst(server('leads/list.rs'), 'SEARCH_MAX'));
  });

  it('the lost reason', () => {
    expect(LOST_REASON_MAX).toBe(rustConst(server('leads/status.rs'), 'LOST_REASON_MAX'));
  });

  it('passwords and emails', () => {
    const values = server('values.rs');
    expect(PASSWORD_MIN).toBe(implConst(values, 'Password', 'MIN_LEN'));
    expect(PASSWORD_MAX).toBe(implConst(values, 'Password', 'MAX_LEN'));
    expect(EMAIL_MAX).toBe(implConst(values, 'Email', 'MAX_LEN'));
  });
});

describe('lengths', () => {
  it('count characters, not UTF-16 units', () => {
    expect(charCount('abc')).toBe(3);
    expect(charCount('Ёлка')).toBe(4);
    expect('😀'.length).toBe(2);
    expect(charCount('😀'.repeat(10))).toBe(10);
  });

  it('an input takes any text within the limit, however it is encoded', () => {
    const emoji = '😀'.repeat(SERVICE_NAME_MAX);
    expect(charCount(emoji)).toBe(SERVICE_NAME_MAX);
    expect(emoji.length).toBeLessThanOrEqual(inputMaxLength(SERVICE_NAME_MAX));
  });
});
