/** Who moved a lead. */
export type ActorKind =
  /** An admin of this desk (`actorName` is their e-mail). */
  | 'ADMIN'
  /** The server itself (the spam guard). */
  | 'SYSTEM'
  /** A Telegram user, from a notification's button (`actorName` is their name there). */
  | 'TELEGRAM';

/**
 * Why the last attempt failed: TIMEOUT (no answer in time), UNREACHABLE (no connection),
 * REFUSED (the service refused the message: the channel's settings need a look),
 * SERVICE_ERROR (the service's own trouble, usually passing), ORDER_GONE (the order was
 * deleted), INTERNAL (this server's own trouble).
 */
export type DeliveryFailure =
  | 'INTERNAL'
  | 'ORDER_GONE'
  | 'REFUSED'
  | 'SERVICE_ERROR'
  | 'TIMEOUT'
  | 'UNREACHABLE';

/** What an element label names. */
export type ElementKind =
  /** A click target, by the tracker's key (`topClicks.element`, a visit's clicks). */
  | 'ELEMENT'
  /** A form field, by its name (`formFields.field`). */
  | 'FIELD';

/** What the list is sorted by; every sort ends newest first (then by id). */
export type LeadSortField =
  /** When the order arrived. */
  | 'DATE'
  /** "Surname name patronymic", letter by letter regardless of case, ё as е. */
  | 'NAME'
  /**
   * The work queue (the default): open orders (NEW, IN_PROGRESS) first, then the rest;
   * each part hottest first.
   */
  | 'QUEUE'
  /** Temperature: score. */
  | 'SCORE'
  /** Pipeline order: NEW, IN_PROGRESS, WON, LOST; then score. */
  | 'STATUS';

/** Where a lead is in the pipeline. */
export type LeadStatus =
  | 'IN_PROGRESS'
  | 'LOST'
  | 'NEW'
  /** Not an order: out of the list (unless asked for), the CSV and the statistics. */
  | 'SPAM'
  | 'WON';

/** Where `moveService` moves a service on the page. */
export type MoveDirection =
  /** A place later. */
  | 'DOWN'
  /** A place earlier. */
  | 'UP';

/** A way of reaching the owner. */
export type NotificationChannelKind =
  | 'EMAIL'
  | 'TELEGRAM'
  | 'WEBHOOK';

/** What a message is about. */
export type NotificationKind =
  | 'NEW_ORDER'
  | 'STALE_REMINDER'
  | 'TEST';

/**
 * PENDING: waiting or being sent (retried with backoff); SENT; FAILED: given up after the
 * last attempt (retry it with `retryNotification`); CANCELLED: a reminder no longer needed.
 */
export type NotificationStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'PENDING'
  | 'SENT';

/** Lead temperature: 🔴 URGENT (score > 80), 🟡 MEDIUM (50–80), 🟢 LOW (< 50). */
export type Priority =
  | 'LOW'
  | 'MEDIUM'
  | 'URGENT';

/** Why a factor of the score earned its points. */
export type ScoreReasonKind =
  /** A number was read (`amount`: roubles or people); the points name its band. */
  | 'AMOUNT'
  /** A deadline read as `days` days: ≤ 7 now, under 90 soon, else later. */
  | 'DEADLINE'
  /** Nothing was typed: the lowest band. */
  | 'NOT_GIVEN'
  /** Typed, but no number or duration could be read (`text`): the lowest band. */
  | 'UNREADABLE'
  /** An urgent word or phrase (`text`: "срочно", "asap") in the deadline or comments. */
  | 'URGENT_WORD';

/**
 * DESC is each sort's natural reading (open first, hottest, newest, pipeline order; names
 * Z–A); ASC reverses it.
 */
export type SortDirection =
  | 'ASC'
  | 'DESC';

/**
 * Why an input was refused: `extensions.reason` of a `BAD_USER_INPUT` error, with its
 * parameters beside it (`max`, `min`). Clients translate these; `message` is English.
 */
export type ValidationReason =
  /**
   * Somebody changed the thing since the client read it (another admin moved the lead): read
   * it again, then decide.
   */
  | 'CHANGED'
  /** Control characters (other than line breaks and tabs). */
  | 'CONTROL_CHARACTERS'
  /** Something with this value exists already. */
  | 'DUPLICATE'
  /** Not an e-mail address. */
  | 'INVALID_EMAIL'
  /** Not in the expected format (a date-time, a path). */
  | 'INVALID_FORMAT'
  /** Not an id (UUID), or not a cursor this server issued. */
  | 'INVALID_ID'
  /** Not a phone number (digits, spaces and + ( ) - only). */
  | 'INVALID_PHONE'
  /** Invisible or text-direction characters where they could disguise a value. */
  | 'INVISIBLE_CHARACTERS'
  /** The invitation's code is past its expiry. */
  | 'INVITATION_EXPIRED'
  /** No invitation has this code (mistyped or withdrawn). */
  | 'INVITATION_INVALID'
  /** The invitation's code has been redeemed already. */
  | 'INVITATION_USED'
  /** The value belongs to somebody else. */
  | 'NOT_YOURS'
  /** A number outside `min`–`max`. */
  | 'OUT_OF_RANGE'
  /** A range whose end is before its start. */
  | 'RANGE_REVERSED'
  /** A value is missing or blank. */
  | 'REQUIRED'
  /** First-run registration needs the setup code from the server's log. */
  | 'SETUP_CODE_REQUIRED'
  /** The setup code is not the one in the server's log. */
  | 'SETUP_CODE_WRONG'
  /** Longer than `max` characters. */
  | 'TOO_LONG'
  /** More than `max` items. */
  | 'TOO_MANY'
  /** Shorter than `min` characters. */
  | 'TOO_SHORT'
  /** The referenced thing is gone (a service deleted, or taken off the order form). */
  | 'UNAVAILABLE'
  /** Not one of the known values (a priority, a status, a page). */
  | 'UNKNOWN_VALUE'
  /**
   * A password too easy to guess (a common word, name, pattern or the e-mail): zxcvbn
   * rates it `score` of 4, the policy needs `min`.
   */
  | 'WEAK_PASSWORD'
  /** The current password given to confirm a change is not the admin's. */
  | 'WRONG_PASSWORD';

/** Screen width class: MOBILE < 768 px ≤ TABLET < 1200 px ≤ DESKTOP. */
export type ViewportClass =
  | 'DESKTOP'
  | 'MOBILE'
  | 'TABLET';
