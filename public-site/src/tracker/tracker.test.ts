import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import pageHtml from '../../index.html?raw';
import type { MetricsBatchInput } from '../api/documents.ts';
import { isUuid, VISITOR_KEY } from './ids.ts';
import { startTracker, type SendOutcome, type Tracker, type TrackerOptions } from './tracker.ts';

// The page state the tracker reads; the tests flip it.
const page = { visible: true, focused: true };

interface Sent {
  batch: MetricsBatchInput;
  keepalive: boolean;
}

let current: Tracker | null = null;

function track(options: Partial<TrackerOptions> = {}) {
  const sent: Sent[] = [];
  let respond: (
    batch: MetricsBatchInput,
    keepalive: boolean,
  ) => SendOutcome | Promise<SendOutcome> = () => 'ok';
  const tracker = startTracker({
    window,
    random: () => 0.5, // no jitter: backoff is exactly 1 s, 2 s, 4 s…
    send: (batch, keepalive) => {
      sent.push({ batch: structuredClone(batch), keepalive });
      return Promise.resolve(respond(batch, keepalive));
    },
    ...options,
  });
  current = tracker;
  return {
    tracker,
    sent,
    respond(fn: typeof respond) {
      respond = fn;
    },
    seqs: () => sent.map((s) => s.batch.seq),
  };
}

const tick = (ms = 1000) => vi.advanceTimersByTimeAsync(ms);

const move = (clientX: number, clientY: number, pointerType = 'mouse') =>
  window.dispatchEvent(new PointerEvent('pointermove', { clientX, clientY, pointerType }));

const key = () => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));

function setState(visible: boolean, focused: boolean) {
  page.visible = visible;
  page.focused = focused;
}

const total = (sent: Sent[], pick: (b: MetricsBatchInput) => number) =>
  sent.reduce((sum, s) => sum + pick(s.batch), 0);

const clicksOf = (sent: Sent[], element: string) =>
  total(sent, (b) =>
    b.clicks.filter((c) => c.element === element).reduce((n, c) => n + c.count, 0),
  );

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-24T10:00:00Z') });
  setState(true, true);
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => (page.visible ? 'visible' : 'hidden'),
  });
  document.hasFocus = () => page.focused;
  localStorage.clear();
  document.body.innerHTML = `
    <main><div><p>text</p><p id="para">para</p></div></main>
    <form id="order">
      <label for="f-name">Name</label><input id="f-name" name="name">
      <input id="f-email" name="email">
      <select name="budget"><option value="a">a</option></select>
      <input name="website" data-notrack>
      <button id="submit" type="submit"><span>Send</span></button>
      <button data-track="cta">Call</button>
      <div class="row"><a href="#x">one</a><a href="#y">two</a></div>
    </form>`;
});

afterEach(() => {
  current?.stop();
  current = null;
  vi.useRealTimers();
  Reflect.deleteProperty(navigator, 'doNotTrack');
  Reflect.deleteProperty(navigator, 'globalPrivacyControl');
});

describe('ids', () => {
  test('the visitor id is kept in localStorage, the visit id is new per page load', () => {
    const first = track();
    const visitor = first.tracker.visitorId;
    expect(isUuid(visitor)).toBe(true);
    expect(localStorage.getItem(VISITOR_KEY)).toBe(visitor);
    first.tracker.stop();
    const second = track();
    expect(second.tracker.visitorId).toBe(visitor);
    expect(second.tracker.visitId).not.toBe(first.tracker.visitId);
    expect(isUuid(second.tracker.visitId)).toBe(true);
  });

  test('a broken localStorage still gives a visitor id', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
    } as unknown as Storage;
    const { tracker } = track({ storage: broken });
    expect(isUuid(tracker.visitorId)).toBe(true);
  });

  test('a browser that blocks storage (reading localStorage throws) still tracks', async () => {
    const own = Object.getOwnPropertyDescriptor(window, 'localStorage');
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
    try {
      expect(() => window.localStorage).toThrow();
      const t = track();
      expect(isUuid(t.tracker.visitorId)).toBe(true);
      key();
      await tick();
      expect(t.sent).toHaveLength(1);
      expect(t.sent[0]?.batch.visitorId).toBe(t.tracker.visitorId);
    } finally {
      if (own) Object.defineProperty(window, 'localStorage', own);
      else Reflect.deleteProperty(window, 'localStorage');
    }
    expect(() => window.localStorage).not.toThrow();
  });
});

describe('deltas and seq', () => {
  test('each second sends only what is new, with seq 1, 2, 3…', async () => {
    const t = track();
    key();
    await tick();
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0]?.batch).toMatchObject({
      seq: 1,
      page: '/',
      engagedSeconds: 1,
      clicks: [],
      points: [],
      fields: [],
      viewportWidth: window.innerWidth,
      viewportHeight: window.innerHeight,
      visitId: t.tracker.visitId,
      visitorId: t.tracker.visitorId,
    });
    document.getElementById('submit')?.click();
    document.getElementById('submit')?.click();
    await tick();
    expect(t.sent[1]?.batch).toMatchObject({
      seq: 2,
      engagedSeconds: 1,
      clicks: [{ element: 'submit', count: 2 }],
    });
    await tick();
    expect(t.sent[2]?.batch.clicks).toEqual([]);
    expect(t.seqs()).toEqual([1, 2, 3]);
  });

  test('nothing changed, nothing sent', async () => {
    const t = track();
    setState(false, false);
    window.dispatchEvent(new Event('blur'));
    await tick(10_000);
    expect(t.sent).toEqual([]);
  });

  test('engaged seconds add up exactly over many batches', async () => {
    const t = track();
    for (let i = 0; i < 20; i += 1) {
      key();
      await tick(500);
    }
    await tick(40_000);
    // Keys from 0 s to 9.5 s, then 30 s until idle: 39.5 s, sent in whole seconds (the half
    // second waits for the next one).
    expect(total(t.sent, (b) => b.engagedSeconds)).toBe(39);
    expect(t.seqs()).toEqual(t.sent.map((_, i) => i + 1));
  });
});

describe('failures', () => {
  test('a failed batch is merged into the next one under the same seq', async () => {
    const t = track();
    t.respond(() => 'retry');
    document.getElementById('submit')?.click();
    await tick();
    expect(t.sent[0]?.batch).toMatchObject({ seq: 1, clicks: [{ element: 'submit', count: 1 }] });
    t.respond(() => 'ok');
    document.getElementById('submit')?.click();
    document.getElementById('para')?.click();
    await tick(); // backoff: 1 s after the failure
    expect(t.sent).toHaveLength(2);
    expect(t.sent[1]?.batch.seq).toBe(1);
    expect(t.sent[1]?.batch.clicks).toEqual([
      { element: 'submit', count: 2 },
      { element: 'para', count: 1 },
    ]);
    expect(t.sent[1]?.batch.engagedSeconds).toBe(2);
    document.getElementById('para')?.click();
    await tick();
    expect(t.sent[2]?.batch).toMatchObject({ seq: 2, clicks: [{ element: 'para', count: 1 }] });
  });

  test('a batch without an answer is sent again unchanged; newer data follows under the next seq', async () => {
    const t = track();
    t.respond(() => 'unknown');
    document.getElementById('submit')?.click();
    await tick();
    t.respond(() => 'ok');
    document.getElementById('para')?.click();
    await tick(); // backoff: 1 s after the failure
    expect(t.sent).toHaveLength(2);
    // It may have been applied: only the very same batch can be resent under its seq.
    expect(t.sent[1]?.batch).toEqual(t.sent[0]?.batch);
    await tick();
    expect(t.sent[2]?.batch).toMatchObject({
      seq: 2,
      clicks: [{ element: 'para', count: 1 }],
    });
  });

  test('a thrown or rejected send has no answer either', async () => {
    for (const fail of [
      () => Promise.reject(new Error('offline')),
      () => {
        throw new Error('offline');
      },
    ]) {
      const t = track();
      t.respond(fail);
      key();
      await tick();
      t.respond(() => 'ok');
      await tick(3000);
      expect(t.seqs().slice(0, 3)).toEqual([1, 1, 2]);
      expect(t.sent[1]?.batch).toEqual(t.sent[0]?.batch);
      current?.stop();
    }
  });

  test('lost answers, refusals and overtaking flushes: every click is applied exactly once', async () => {
    // A server like the real one: each seq of the visit applies once. Some answers get lost
    // after the batch was applied, some before; some batches are refused unapplied.
    const applied = new Map<number, MetricsBatchInput>();
    let clicks = 0;
    let state = 7;
    const roll = () => (state = (state * 48271) % 2147483647) % 10;
    const t = track({ retryMaxMs: 4000 });
    t.respond((batch) => {
      const r = roll();
      if (r === 0) return 'retry'; // refused before anything was applied
      if (r === 1) return 'unknown'; // lost on the way there
      if (!applied.has(batch.seq)) applied.set(batch.seq, structuredClone(batch));
      return r === 2 ? 'unknown' : 'ok'; // applied, but the answer may be lost on the way back
    });
    for (let i = 0; i < 300; i += 1) {
      document.getElementById(i % 3 ? 'submit' : 'para')?.click();
      clicks += 1;
      if (i % 37 === 0) window.dispatchEvent(new Event('pagehide'));
      await tick(250);
    }
    t.respond((batch) => {
      if (!applied.has(batch.seq)) applied.set(batch.seq, structuredClone(batch));
      return 'ok';
    });
    await tick(60_000);
    const appliedClicks = [...applied.values()].reduce(
      (n, b) => n + b.clicks.reduce((m, c) => m + c.count, 0),
      0,
    );
    expect(t.sent.length).toBeGreaterThan(applied.size); // failures did happen
    expect(appliedClicks).toBe(clicks);
  });

  test('retries back off: 1 s, 2 s, 4 s, 8 s… capped', async () => {
    const t = track({ retryMaxMs: 8000 });
    t.respond(() => 'retry');
    key();
    const times: number[] = [];
    const start = Date.now();
    for (let i = 0; i < 40; i += 1) {
      const before = t.sent.length;
      key();
      await tick();
      if (t.sent.length > before) times.push((Date.now() - start) / 1000);
    }
    // Each pause doubles from the failure that caused it, up to retryMaxMs.
    expect(times.slice(0, 7)).toEqual([1, 2, 4, 8, 16, 24, 32]);
    expect(new Set(t.seqs())).toEqual(new Set([1]));
  });

  test('a batch the server refuses as invalid is not resent', async () => {
    const t = track();
    t.respond(() => 'drop');
    document.getElementById('submit')?.click();
    await tick();
    t.respond(() => 'ok');
    await tick();
    expect(t.sent[1]?.batch.seq).toBe(2);
    expect(clicksOf(t.sent.slice(1), 'submit')).toBe(0);
  });

  test('one batch at a time: no new batch while one is out', async () => {
    let release: (o: SendOutcome) => void = () => undefined;
    const t = track();
    t.respond(() => new Promise<SendOutcome>((r) => (release = r)));
    key();
    await tick(3000);
    expect(t.sent).toHaveLength(1);
    release('ok');
    t.respond(() => 'ok');
    await tick();
    expect(t.seqs()).toEqual([1, 2]);
    expect(t.sent[1]?.batch.engagedSeconds).toBe(3);
  });
});

describe('bounded buffer', () => {
  test('while sends fail the oldest points go first; counts are never dropped', async () => {
    const t = track({ maxPoints: 5 });
    t.respond(() => 'retry');
    for (let i = 0; i < 20; i += 1) {
      move(i * 10, 100);
      await tick(100);
    }
    for (let i = 0; i < 1500; i += 1) document.getElementById('submit')?.click();
    t.respond(() => 'ok');
    await tick(40_000);
    // The batch that finally went through carries the newest 5 points.
    const lastPoints = t.sent.filter((s) => s.batch.points.length).at(-1)?.batch.points ?? [];
    expect(lastPoints.map((p) => Math.round(p.x * window.innerWidth))).toEqual([
      150, 160, 170, 180, 190,
    ]);
    // Acknowledged batches are those followed by a higher seq (or the last one).
    const acked = t.sent.filter((s, i) => (t.sent[i + 1]?.batch.seq ?? Infinity) > s.batch.seq);
    expect(clicksOf(acked, 'submit')).toBe(1500);
    expect(acked.every((s) => s.batch.clicks.every((c) => c.count <= 1000))).toBe(true);
  });

  test('caps per batch: at most 60 engaged seconds, the rest follows', async () => {
    const t = track({ retryMaxMs: 120_000 });
    t.respond(() => 'retry');
    for (let i = 0; i < 100; i += 1) {
      key();
      await tick();
    }
    t.respond(() => 'ok');
    await tick(130_000);
    const acked = t.sent.filter((s, i) => (t.sent[i + 1]?.batch.seq ?? Infinity) > s.batch.seq);
    expect(acked.every((s) => s.batch.engagedSeconds <= 60)).toBe(true);
    // Keys from 0 s to 99 s, then 30 s until idle.
    expect(total(acked, (b) => b.engagedSeconds)).toBe(129);
  });
});

describe('engaged time pauses', () => {
  test('stops 30 s after the last input and resumes with the next', async () => {
    const t = track();
    key();
    await tick(60_000);
    expect(total(t.sent, (b) => b.engagedSeconds)).toBe(30);
    const quiet = t.sent.length;
    await tick(10_000);
    expect(t.sent).toHaveLength(quiet);
    move(10, 10);
    await tick(5000);
    expect(total(t.sent, (b) => b.engagedSeconds)).toBe(35);
  });

  test('nothing counts while the tab is hidden or the window has no focus', async () => {
    const t = track();
    key();
    await tick(5000);
    setState(false, false);
    document.dispatchEvent(new Event('visibilitychange'));
    await tick(10_000);
    setState(true, false);
    document.dispatchEvent(new Event('visibilitychange'));
    await tick(10_000);
    expect(total(t.sent, (b) => b.engagedSeconds)).toBe(5);
    setState(true, true);
    window.dispatchEvent(new Event('focus'));
    await tick(5000);
    expect(total(t.sent, (b) => b.engagedSeconds)).toBe(10);
  });
});

describe('Do Not Track and Global Privacy Control', () => {
  for (const [signal, value] of [
    ['doNotTrack', '1'],
    ['globalPrivacyControl', true],
  ] as const) {
    test(`${signal}: nothing is stored, listened to or sent`, async () => {
      Object.defineProperty(navigator, signal, { configurable: true, value });
      const t = track();
      expect(t.tracker).toMatchObject({ enabled: false, visitId: null, visitorId: null });
      key();
      move(10, 10);
      document.getElementById('submit')?.click();
      await tick(5000);
      document.dispatchEvent(new Event('visibilitychange'));
      window.dispatchEvent(new Event('pagehide'));
      t.tracker.flush();
      await tick(5000);
      expect(t.sent).toEqual([]);
      expect(localStorage.length).toBe(0);
    });
  }

  test("the admin's preview of the page (enabled: false) sends and stores nothing", async () => {
    const t = track({ enabled: false });
    expect(t.tracker).toMatchObject({ enabled: false, visitId: null, visitorId: null });
    key();
    move(10, 10);
    document.getElementById('submit')?.click();
    await tick(5000);
    window.dispatchEvent(new Event('pagehide'));
    await tick(5000);
    expect(t.sent).toEqual([]);
    expect(localStorage.length).toBe(0);
  });

  test('doNotTrack "0" or unspecified does not disable', () => {
    Object.defineProperty(navigator, 'doNotTrack', { configurable: true, value: '0' });
    expect(track().tracker.enabled).toBe(true);
  });
});

describe('flush on page hide', () => {
  test('visibilitychange → hidden sends at once with keepalive', async () => {
    const t = track();
    document.getElementById('submit')?.click();
    await tick(400);
    setState(false, false);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0]).toMatchObject({
      keepalive: true,
      batch: { seq: 1, clicks: [{ element: 'submit', count: 1 }] },
    });
  });

  test('pagehide flushes too, and an empty buffer sends nothing', async () => {
    const t = track();
    key();
    await tick(1000);
    expect(t.sent).toHaveLength(1);
    window.dispatchEvent(new Event('pagehide'));
    expect(t.sent).toHaveLength(1);
    document.getElementById('para')?.click();
    window.dispatchEvent(new Event('pagehide'));
    expect(t.sent.at(-1)).toMatchObject({ keepalive: true, batch: { seq: 2 } });
  });

  test('a flush while a batch is out takes the next seq; if the earlier one then fails, its data goes out under a later seq', async () => {
    const t = track();
    let fail: (o: SendOutcome) => void = () => undefined;
    t.respond(() => new Promise<SendOutcome>((r) => (fail = r)));
    document.getElementById('submit')?.click();
    await tick();
    expect(t.seqs()).toEqual([1]);
    t.respond(() => 'ok');
    document.getElementById('para')?.click();
    window.dispatchEvent(new Event('pagehide'));
    expect(t.sent[1]).toMatchObject({ keepalive: true, batch: { seq: 2 } });
    fail('retry');
    await tick(2000);
    expect(t.sent[2]?.batch.seq).toBe(3);
    expect(clicksOf(t.sent, 'submit')).toBe(2); // sent twice, applied once (seq 1 failed)
    expect(clicksOf(t.sent.slice(1), 'submit')).toBe(1);
  });

  test('a flush during backoff does not wait for it', async () => {
    const t = track();
    t.respond(() => 'retry');
    document.getElementById('submit')?.click();
    await tick();
    t.respond(() => 'ok');
    window.dispatchEvent(new Event('pagehide'));
    expect(t.sent[1]).toMatchObject({
      keepalive: true,
      batch: { seq: 1, clicks: [{ element: 'submit', count: 1 }] },
    });
  });
});

describe('cursor samples', () => {
  test('at most 10 per second, only when the pointer moved, the final position kept', async () => {
    const t = track();
    for (let i = 0; i < 100; i += 1) {
      move(i, 100); // a move every 10 ms for one second
      await tick(10);
    }
    await tick(100); // the trailing sample
    for (let i = 0; i < 50; i += 1) {
      move(99, 100); // the same position again: nothing new
      await tick(10);
    }
    await tick(1000);
    const points = t.sent.flatMap((s) => s.batch.points);
    expect(points.length).toBeLessThanOrEqual(11);
    expect(points.length).toBeGreaterThanOrEqual(10);
    expect(points.at(-1)?.x).toBeCloseTo(99 / window.innerWidth, 4);
  });

  test('x is a fraction of the viewport width, y is in document pixels', async () => {
    const t = track();
    window.scrollY = 500;
    move(window.innerWidth / 2, 40);
    move(window.innerWidth * 3, -5);
    await tick(100);
    await tick(1000);
    window.scrollY = 0;
    const points = t.sent.flatMap((s) => s.batch.points);
    expect(points[0]).toEqual({ x: 0.5, y: 540 });
    expect(points[1]).toEqual({ x: 1, y: 495 });
  });

  test('touch taps are points; touch moves (scrolling) are not', async () => {
    const t = track();
    move(10, 10, 'touch');
    window.dispatchEvent(
      new PointerEvent('pointerdown', { clientX: 0, clientY: 20, pointerType: 'touch' }),
    );
    await tick(1000);
    expect(t.sent.flatMap((s) => s.batch.points)).toEqual([{ x: 0, y: 20 }]);
  });
});

describe('clicks', () => {
  test('by id, else data-track, else a short stable selector; never a value', async () => {
    const t = track();
    const name = document.getElementById('f-name') as HTMLInputElement;
    name.value = 'секрет';
    name.click();
    document.querySelector<HTMLElement>('#submit span')?.click();
    document.querySelector<HTMLElement>('[data-track=cta]')?.click();
    document.querySelector<HTMLElement>('label')?.click();
    document.querySelectorAll<HTMLElement>('.row a')[1]?.click();
    document.querySelector<HTMLElement>('main p')?.click();
    await tick();
    expect(t.sent[0]?.batch.clicks.map((c) => c.element)).toEqual([
      'f-name',
      'submit',
      'cta',
      'label[for=f-name]',
      '#order>div>a:nth-of-type(2)',
      'main>div>p:nth-of-type(1)',
    ]);
    expect(JSON.stringify(t.sent)).not.toContain('секрет');
  });
});

describe('form analytics', () => {
  test('focus count, focused time and the last field touched; the honeypot is ignored', async () => {
    const t = track();
    const name = document.getElementById('f-name') as HTMLInputElement;
    const email = document.getElementById('f-email') as HTMLInputElement;
    name.focus();
    await tick(2500);
    email.focus();
    await tick(500);
    email.blur();
    name.focus();
    name.blur();
    (document.querySelector('[name=website]') as HTMLInputElement).focus();
    await tick(1000);
    const fields = new Map<string, { focusCount: number; focusedMs: number }>();
    for (const s of t.sent) {
      for (const f of s.batch.fields) {
        const sum = fields.get(f.name) ?? { focusCount: 0, focusedMs: 0 };
        fields.set(f.name, {
          focusCount: sum.focusCount + f.focusCount,
          focusedMs: sum.focusedMs + f.focusedMs,
        });
      }
    }
    expect(fields.get('name')).toEqual({ focusCount: 2, focusedMs: 2500 });
    expect(fields.get('email')).toEqual({ focusCount: 1, focusedMs: 500 });
    expect(fields.has('website')).toBe(false);
    const lastTouched = t.sent.flatMap((s) => s.batch.fields.filter((f) => f.lastTouched));
    expect(lastTouched.map((f) => f.name)).toEqual(['name', 'email', 'name']);
  });

  test('on the real page the honeypot is not a form field either', async () => {
    document.body.innerHTML = pageHtml;
    const t = track();
    (document.querySelector('[name=website]') as HTMLInputElement).focus();
    await tick(1000);
    (document.querySelector('[name=email]') as HTMLInputElement).focus();
    await tick(1000);
    const names = t.sent.flatMap((s) => s.batch.fields.map((f) => f.name));
    expect(names).toContain('email');
    expect(names).not.toContain('website');
  });

  test('leaving the window and coming back to the same field is not a new focus', async () => {
    const t = track();
    const name = document.getElementById('f-name') as HTMLInputElement;
    name.focus();
    await tick(1000);
    setState(true, false);
    name.blur();
    await tick(5000);
    setState(true, true);
    name.focus();
    await tick(1000);
    const sum = t.sent
      .flatMap((s) => s.batch.fields)
      .reduce((n, f) => ({ count: n.count + f.focusCount, ms: n.ms + f.focusedMs }), {
        count: 0,
        ms: 0,
      });
    expect(sum).toEqual({ count: 1, ms: 2000 });
  });
});
