import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { ru } from '../i18n/ru';
import { CHANNEL_KEY, KIND_KEY, STATUS_KEY, filterStatus, statusTone } from './labels';

describe('notification labels', () => {
  it('name every channel, kind and status in both languages', () => {
    for (const key of [
      ...Object.values(CHANNEL_KEY),
      ...Object.values(KIND_KEY),
      ...Object.values(STATUS_KEY),
    ]) {
      expect(ru[key]).toBeTruthy();
      expect(en[key]).toBeTruthy();
    }
  });

  it('paint given-up rows red and sent ones green', () => {
    expect(statusTone('FAILED')).toBe('urgent');
    expect(statusTone('PENDING')).toBe('medium');
    expect(statusTone('SENT')).toBe('low');
    expect(statusTone('CANCELLED')).toBe('muted');
  });

  it('turn the filter into the query variable', () => {
    expect(filterStatus('ALL')).toBeNull();
    expect(filterStatus('FAILED')).toBe('FAILED');
  });
});
