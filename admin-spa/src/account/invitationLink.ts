/** The link an invitee opens: the code after `#`, so it never reaches a server log or a
 * Referer header. */
export function invitationLink(code: string, origin: string = window.location.origin): string {
  return `${origin}/admin/invite#${encodeURIComponent(code)}`;
}

/** The code in an invitation link's fragment (`#code` or `#code=…`), or null. */
export function invitationCode(hash: string): string | null {
  const raw = hash.replace(/^#/, '').replace(/^code=/, '');
  if (!raw) return null;
  try {
    return decodeURIComponent(raw).trim() || null;
  } catch {
    return null;
  }
}
