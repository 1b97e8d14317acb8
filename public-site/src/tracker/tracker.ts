// The behavior tracker (DESIGN.md, "Behavior tracking protocol"; issue 4's `submitMetrics`).
//
// * Engaged time counts only while the tab is visible and focused and the visitor did something
//   in the last `idleMs` (30 s); it resumes with the next input.
// * Clicks per element, cursor samples (at most one per `sampleMs`, only when the pointer moved;
//   x as a fraction of the viewport width, y in document pixels), touch taps, and per form field:
//   focus count, focused time and the last field touched. Never what anyone typed.
// * Every `intervalMs`, when something is waiting, one batch with the next `seq` goes out. A batch
//   the server refused without applying it (rate limited) goes back into the buffer and is sent
//   again, merged with what came since, under the same `seq`, after a growing pause. A batch that
//   got no answer may still have been applied: it is sent again exactly as it was, same seq, so
//   the server applies it once either way (merging newer data into it would lose that data if the
//   first attempt had been applied). A batch the server refuses as invalid is dropped.
// * On `pagehide` or `visibilitychange → hidden` what is waiting is flushed at once with
//   `fetch(…, {keepalive: true})` (or `sendBeacon`), even while a batch is still out: the flush
//   then takes the next seq, and the earlier batch, should it fail, is merged into a later one.
// * Do Not Track or Global Privacy Control: nothing is stored, listened to or sent.

import type { MetricsBatchInput } from '../api/documents.ts';
import { browserStorage, randomUuid, visitorId as loadVisitorId } from './ids.ts';
import { CAPS, clip } from '../limits.ts';
import { Pending, type Delta } from './pending.ts';
import { trackingAllowed } from './privacy.ts';
import { elementKey } from './selector.ts';

/**
 * `ok`: acknowledged; `retry`: the server answered without applying it, so it may be merged with
 * newer data; `unknown`: no answer, it may have been applied, so it is resent unchanged; `drop`:
 * refused as invalid, never resend.
 */
export type SendOutcome = 'ok' | 'retry' | 'unknown' | 'drop';

export type Send = (batch: MetricsBatchInput, keepalive: boolean) => Promise<SendOutcome>;

export interface TrackerOptions {
  window: Window;
  send: Send;
  /** False: send nothing (the admin's preview of the page). Defaults to true. */
  enabled?: boolean;
  /** Defaults to `window.localStorage` (unusable storage is tolerated). */
  storage?: Storage | null;
  now?: () => number;
  uuid?: () => string;
  random?: () => number;
  intervalMs?: number;
  idleMs?: number;
  sampleMs?: number;
  maxPoints?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export interface Tracker {
  /** False under Do Not Track / Global Privacy Control. */
  readonly enabled: boolean;
  /** The visit this page load is; null when disabled (the order then carries none). */
  readonly visitId: string | null;
  readonly visitorId: string | null;
  /** Sends what is waiting now, with keepalive (what page hide does). */
  flush(): void;
  stop(): void;
}

const DISABLED: Tracker = {
  enabled: false,
  visitId: null,
  visitorId: null,
  flush() {},
  stop() {},
};

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Unanswered batches kept for resending; while this many wait, a page-hide flush cuts no new one. */
const MAX_UNANSWERED = 8;

const FIELD_TAGS = new Set(['INPUT', 'SELECT', 'TEXTAREA']);
const NOT_FIELDS = new Set(['hidden', 'submit', 'button', 'reset', 'image']);

/** The form field name a focus or input event is about, or null (honeypot and buttons too). */
function fieldName(target: EventTarget | null): string | null {
  const el = target as Partial<HTMLInputElement> | null;
  if (!el?.tagName || !FIELD_TAGS.has(el.tagName) || !el.name) return null;
  if (NOT_FIELDS.has(el.type ?? '') || el.hasAttribute?.('data-notrack')) return null;
  return clip(el.name, CAPS.name);
}

export function startTracker(options: TrackerOptions): Tracker {
  const win = options.window;
  const doc = win.document;
  if (options.enabled === false || !trackingAllowed(win.navigator, win)) return DISABLED;

  const now = options.now ?? (() => Date.now());
  const uuid = options.uuid ?? (() => randomUuid());
  const random = options.random ?? Math.random;
  const idleMs = options.idleMs ?? 30_000;
  const sampleMs = options.sampleMs ?? 100;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  // Storage blocked by the browser: the visitor id lives for this page load only.
  const storage = options.storage === undefined ? browserStorage(win) : options.storage;

  const visitor = loadVisitorId(storage, uuid);
  const visit = uuid();
  const page = clip(win.location.pathname || '/', CAPS.page);
  const pending = new Pending(options.maxPoints ?? CAPS.points);

  // --- engaged time --------------------------------------------------------------------------
  const isActive = () => doc.visibilityState === 'visible' && doc.hasFocus();
  let active = isActive();
  let lastSettle = now();
  let lastActivity = lastSettle;

  /** Credits engaged time up to `t`: only while active, and at most `idleMs` past the last input. */
  const settle = (t: number) => {
    if (active) {
      const end = Math.min(t, lastActivity + idleMs);
      if (end > lastSettle) pending.engagedMs += end - lastSettle;
    }
    lastSettle = t;
  };

  const activity = () => {
    const t = now();
    settle(t);
    lastActivity = t;
  };

  const stateChanged = () => {
    const t = now();
    settle(t);
    const was = active;
    active = isActive();
    if (active && !was) lastActivity = t; // coming back to the tab is an action
  };

  // --- cursor samples ------------------------------------------------------------------------
  let latest: { clientX: number; pageY: number } | null = null;
  let lastSample: { clientX: number; pageY: number } | null = null;
  let sampleTimer: ReturnType<typeof setTimeout> | undefined;

  const point = (clientX: number, pageY: number) => ({
    x: Math.round(clamp(clientX / Math.max(1, win.innerWidth), 0, 1) * 10_000) / 10_000,
    y: Math.round(clamp(pageY, 0, 100_000)),
  });

  const takeSample = () => {
    if (latest && (latest.clientX !== lastSample?.clientX || latest.pageY !== lastSample.pageY)) {
      pending.addPoints([point(latest.clientX, latest.pageY)]);
      lastSample = latest;
      sampleTimer = setTimeout(takeSample, sampleMs);
    } else {
      sampleTimer = undefined;
    }
  };

  const onPointerMove = (e: PointerEvent) => {
    activity();
    if (e.pointerType === 'touch') return;
    latest = { clientX: e.clientX, pageY: e.clientY + win.scrollY };
    if (sampleTimer === undefined) takeSample();
  };

  const onPointerDown = (e: PointerEvent) => {
    activity();
    if (e.pointerType === 'touch') pending.addPoints([point(e.clientX, e.clientY + win.scrollY)]);
  };

  // --- clicks and form fields ----------------------------------------------------------------
  const onClick = (e: MouseEvent) => {
    activity();
    const key = elementKey(e.target);
    if (key) pending.addClick(key);
  };

  let focused: { name: string; since: number } | null = null;
  let suspended: string | null = null;

  const creditFocus = (t: number) => {
    if (focused) {
      pending.addFocusedMs(focused.name, t - focused.since);
      focused.since = t;
    }
  };

  const onFocusIn = (e: FocusEvent) => {
    const name = fieldName(e.target);
    if (!name) return;
    const t = now();
    creditFocus(t);
    // The window lost focus and came back: the same field is still being filled in.
    if (suspended !== name) {
      pending.addFocus(name);
      pending.touch(name);
    }
    suspended = null;
    focused = { name, since: t };
  };

  const onFocusOut = (e: FocusEvent) => {
    if (!focused || fieldName(e.target) !== focused.name) return;
    creditFocus(now());
    suspended = doc.hasFocus() ? null : focused.name;
    focused = null;
  };

  const onInput = (e: Event) => {
    activity();
    const name = fieldName(e.target);
    if (name) pending.touch(name);
  };

  // --- sending -------------------------------------------------------------------------------
  let lastSentSeq = 0;
  let reuseSeq: number | null = null;
  /** Batches that got no answer, to be resent exactly as they were. */
  const unanswered: MetricsBatchInput[] = [];
  let inFlight = 0;
  let failures = 0;
  let retryAt = 0;

  const viewport = (v: number) => clamp(Math.round(v), 100, 10_000);

  /** `delta` is what a newly cut batch took from the buffer; null for a resend. */
  const settled = (batch: MetricsBatchInput, delta: Delta | null, outcome: SendOutcome) => {
    inFlight -= 1;
    if (outcome === 'ok' || outcome === 'drop') {
      failures = 0;
      retryAt = 0;
      return;
    }
    if (outcome === 'retry' && delta) {
      pending.restore(delta);
      // Same seq, unless a later one went out meanwhile (then the server has moved past it).
      if (batch.seq === lastSentSeq) reuseSeq = batch.seq;
    } else {
      // Once a batch may have been applied, every later attempt under its seq must be the same.
      unanswered.push(batch);
    }
    failures += 1;
    const base = Math.min(retryMaxMs, retryBaseMs * 2 ** (failures - 1));
    retryAt = now() + base * (0.75 + random() / 2);
  };

  const send = (batch: MetricsBatchInput, delta: Delta | null, keepalive: boolean) => {
    inFlight += 1;
    let sent: Promise<SendOutcome>;
    try {
      sent = options.send(batch, keepalive);
    } catch {
      sent = Promise.resolve('unknown');
    }
    void sent.then(
      (outcome) => settled(batch, delta, outcome),
      () => settled(batch, delta, 'unknown'),
    );
  };

  const sendNew = (keepalive: boolean) => {
    const delta = pending.take();
    const seq = reuseSeq ?? lastSentSeq + 1;
    reuseSeq = null;
    lastSentSeq = Math.max(lastSentSeq, seq);
    const batch: MetricsBatchInput = {
      visitorId: visitor,
      visitId: visit,
      seq,
      page,
      viewportWidth: viewport(win.innerWidth),
      viewportHeight: viewport(win.innerHeight),
      ...delta,
    };
    send(batch, delta, keepalive);
  };

  const tick = () => {
    const t = now();
    settle(t);
    creditFocus(t);
    if (inFlight > 0 || t < retryAt) return;
    const again = unanswered.shift();
    if (again) send(again, null, false);
    else if (!pending.isEmpty()) sendNew(false);
  };

  const flush = () => {
    const t = now();
    settle(t);
    creditFocus(t);
    const waiting = unanswered.splice(0);
    for (const batch of waiting) send(batch, null, true);
    if (waiting.length < MAX_UNANSWERED && !pending.isEmpty()) sendNew(true);
  };

  const onVisibility = () => {
    stateChanged();
    if (doc.visibilityState === 'hidden') flush();
  };

  const onPageHide = () => {
    stateChanged();
    flush();
  };

  // --- wiring --------------------------------------------------------------------------------
  const passive = { passive: true, capture: true };
  const listeners: [EventTarget, string, EventListener, AddEventListenerOptions][] = [
    [win, 'pointermove', onPointerMove as EventListener, passive],
    [win, 'pointerdown', onPointerDown as EventListener, passive],
    [win, 'keydown', activity, passive],
    [win, 'wheel', activity, passive],
    [win, 'scroll', activity, passive],
    [win, 'touchstart', activity, passive],
    [win, 'focus', stateChanged, {}],
    [win, 'blur', stateChanged, {}],
    [win, 'pagehide', onPageHide, {}],
    [doc, 'visibilitychange', onVisibility, {}],
    [doc, 'click', onClick as EventListener, passive],
    [doc, 'focusin', onFocusIn as EventListener, passive],
    [doc, 'focusout', onFocusOut as EventListener, passive],
    [doc, 'input', onInput, passive],
    [doc, 'change', onInput, passive],
  ];
  for (const [target, type, listener, opts] of listeners) {
    target.addEventListener(type, listener, opts);
  }
  const interval = setInterval(tick, options.intervalMs ?? 1000);

  return {
    enabled: true,
    visitId: visit,
    visitorId: visitor,
    flush,
    stop() {
      clearInterval(interval);
      clearTimeout(sampleTimer);
      for (const [target, type, listener, opts] of listeners) {
        target.removeEventListener(type, listener, opts);
      }
    },
  };
}
