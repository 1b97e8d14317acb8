// The server's input limits, in one place. Lengths are in characters as the server counts them
// (Unicode code points after trimming), never UTF-16 units: an emoji is one character.
// limits.test.ts reads the numbers out of the server's Rust source and fails when they differ.

/** `ServiceDraft::NAME_MAX` (server/src/services.rs). */
export const SERVICE_NAME_MAX = 255;
/** `ServiceDraft::DESCRIPTION_MAX` (server/src/services.rs). */
export const SERVICE_DESCRIPTION_MAX = 5000;
/** `LOST_REASON_MAX` (server/src/leads/status.rs). */
export const LOST_REASON_MAX = 1000;
/** `Password::MIN_LEN` / `Password::MAX_LEN` (server/src/values.rs). */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;
/** `Email::MAX_LEN` (server/src/values.rs). */
export const EMAIL_MAX = 255;
/** `SEARCH_MAX` (server/src/leads/list.rs): the orders list's search, as typed. */
export const SEARCH_MAX = 200;

/** Characters as the server counts them (Unicode scalar values), not UTF-16 units. */
// eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are the point
export const charCount = (text: string): number => [...text].length;

/** A `maxLength` for an input whose limit is `max` characters. Browsers count UTF-16 units,
 * so twice the limit lets any text within it in (and a little past it, for the message). */
export const inputMaxLength = (max: number): number => max * 2;
