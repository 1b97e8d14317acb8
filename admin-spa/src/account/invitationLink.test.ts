import { describe, expect, it } from 'vitest';
import { invitationCode, invitationLink } from './invitationLink';

describe('invitation links', () => {
  it('carry the code in the fragment and read it back', () => {
    const link = invitationLink('AbC-123_x', 'https://desk.example');
    expect(link).toBe('https://desk.example/admin/invite#AbC-123_x');
    expect(invitationCode(new URL(link).hash)).toBe('AbC-123_x');
  });

  it('read nothing from an empty or broken fragment', () => {
    expect(invitationCode('')).toBeNull();
    expect(invitationCode('#')).toBeNull();
    expect(invitationCode('#%E0%A4%A')).toBeNull();
    expect(invitationCode('#code=abc')).toBe('abc');
  });
});
