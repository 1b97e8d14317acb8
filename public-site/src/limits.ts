// The server's limits, in one place: the order form's lengths and the tracker's caps per batch.
// Lengths are characters as the server counts them (Unicode code points after trimming), never
// UTF-16 units. test/limits.test.ts reads each number out of the server's Rust source.

/** server/src/leads/intake.rs and `Email::MAX_LEN` in server/src/values.rs. */
export const FORM_MAX = {
  name: 100, // NAME_MAX (name, surname, patronymic)
  email: 255, // Email::MAX_LEN
  phone: 20, // PHONE_MAX
  phoneDigits: 5, // PHONE_MIN_DIGITS (at least)
  businessNiche: 100, // NICHE_MAX
  companySize: 50, // COMPANY_SIZE_MAX
  shortText: 100, // SHORT_TEXT_MAX (budget, deadline, convenient time)
  contactMethod: 50, // CONTACT_METHOD_MAX
  longText: 5000, // LONG_TEXT_MAX (business info, comments)
} as const;

/** The tracker's caps per batch: server/src/metrics/batch.rs (issue 4). */
export const CAPS = {
  points: 200, // MAX_POINTS
  clickEntries: 50, // MAX_CLICK_ENTRIES
  clickCount: 1000, // MAX_CLICK_COUNT
  fields: 50, // MAX_FIELDS
  focusCount: 1000, // MAX_FOCUS_COUNT
  focusedMs: 3_600_000, // MAX_FOCUSED_MS
  engagedSeconds: 60, // MAX_ENGAGED_SECONDS
  name: 100, // MAX_NAME_LEN (a click target's or a field's name)
  page: 200, // MAX_PAGE_LEN
} as const;

/** Characters as the server counts them (Unicode scalar values), not UTF-16 units. */
// eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are the point
export const charCount = (text: string): number => [...text].length;

/** The first `max` characters (never half of a surrogate pair). */
// eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are the point
export const clip = (text: string, max: number): string => [...text].slice(0, max).join('');
