// A chat with the customer in the messenger they chose to be contacted by, from their phone.
// WhatsApp's wa.me and Telegram's t.me/+ both take the international number, digits only; a
// Russian number is often written the domestic way, 8 and ten digits: that is +7.

export interface MessengerLink {
  /** The contact method's code, as `choice.<code>` names it. */
  method: 'contact_whatsapp' | 'contact_telegram';
  href: string;
}

/** The phone as an international number, digits only (no "+"); null when it has too few. */
export function internationalNumber(phone: string): string | null {
  const plus = phone.trim().startsWith('+');
  let digits = phone.replace(/\D/g, '');
  if (!plus && digits.length === 11 && digits.startsWith('8')) digits = `7${digits.slice(1)}`;
  return digits.length >= 5 ? digits : null;
}

/** A link to write to the customer in their chosen messenger, when they chose one and gave a phone. */
export function messengerLink(
  method: string | null | undefined,
  phone: string | null | undefined,
): MessengerLink | null {
  const number = phone ? internationalNumber(phone) : null;
  if (!number) return null;
  if (method === 'contact_whatsapp') return { method, href: `https://wa.me/${number}` };
  if (method === 'contact_telegram') return { method, href: `https://t.me/+${number}` };
  return null;
}
