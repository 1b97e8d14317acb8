// What the tracker has measured and the server has not acknowledged yet. `take` cuts the next
// batch within the server's caps (the rest waits for the following batch); `restore` puts a
// failed batch back so it is sent again. Points are the only thing ever dropped: when more than
// `maxPoints` wait, the oldest go first. Counts and seconds are never dropped.

export interface Point {
  x: number;
  y: number;
}

export interface FieldDelta {
  name: string;
  focusCount: number;
  focusedMs: number;
  lastTouched?: boolean;
}

export interface Delta {
  engagedSeconds: number;
  clicks: { element: string; count: number }[];
  points: Point[];
  fields: FieldDelta[];
}

import { CAPS } from '../limits.ts';

/** The server's caps per batch (from src/limits.ts). */
export { CAPS };

interface FieldCounts {
  focusCount: number;
  focusedMs: number;
}

export class Pending {
  engagedMs = 0;
  readonly clicks = new Map<string, number>();
  points: Point[] = [];
  readonly fields = new Map<string, FieldCounts>();
  lastField: string | null = null;
  lastFieldDirty = false;
  droppedPoints = 0;

  readonly maxPoints: number;

  constructor(maxPoints: number = CAPS.points) {
    this.maxPoints = maxPoints;
  }

  addClick(element: string, count = 1): void {
    this.clicks.set(element, (this.clicks.get(element) ?? 0) + count);
  }

  addPoints(points: readonly Point[], atFront = false): void {
    this.points = atFront ? [...points, ...this.points] : [...this.points, ...points];
    const excess = this.points.length - this.maxPoints;
    if (excess > 0) {
      this.points.splice(0, excess);
      this.droppedPoints += excess;
    }
  }

  private field(name: string): FieldCounts {
    let counts = this.fields.get(name);
    if (!counts) {
      counts = { focusCount: 0, focusedMs: 0 };
      this.fields.set(name, counts);
    }
    return counts;
  }

  addFocus(name: string, count = 1): void {
    this.field(name).focusCount += count;
  }

  addFocusedMs(name: string, ms: number): void {
    if (ms > 0) this.field(name).focusedMs += Math.round(ms);
  }

  touch(name: string): void {
    if (this.lastField !== name) {
      this.lastField = name;
      this.lastFieldDirty = true;
    }
  }

  isEmpty(): boolean {
    return (
      this.engagedMs < 1000 &&
      this.clicks.size === 0 &&
      this.points.length === 0 &&
      this.fields.size === 0 &&
      !this.lastFieldDirty
    );
  }

  /** Removes and returns the next batch's worth, within the caps. */
  take(): Delta {
    const engagedSeconds = Math.min(CAPS.engagedSeconds, Math.floor(this.engagedMs / 1000));
    this.engagedMs -= engagedSeconds * 1000;

    const clicks: Delta['clicks'] = [];
    for (const [element, total] of this.clicks) {
      if (clicks.length === CAPS.clickEntries) break;
      const count = Math.min(total, CAPS.clickCount);
      clicks.push({ element, count });
      if (total > count) this.clicks.set(element, total - count);
      else this.clicks.delete(element);
    }

    const points = this.points.splice(0, CAPS.points);

    const fields: FieldDelta[] = [];
    const last = this.lastFieldDirty ? this.lastField : null;
    const names = [...this.fields.keys()];
    const hasLast = last !== null && this.fields.has(last);
    const order = hasLast ? [last, ...names.filter((n) => n !== last)] : names;
    const room = CAPS.fields - (last !== null && !hasLast ? 1 : 0);
    for (const name of order) {
      const counts = this.fields.get(name);
      if (!counts || fields.length === room) break;
      const focusCount = Math.min(counts.focusCount, CAPS.focusCount);
      const focusedMs = Math.min(counts.focusedMs, CAPS.focusedMs);
      counts.focusCount -= focusCount;
      counts.focusedMs -= focusedMs;
      if (counts.focusCount === 0 && counts.focusedMs === 0) this.fields.delete(name);
      fields.push({ name, focusCount, focusedMs });
    }
    if (last !== null) {
      const entry = fields.find((f) => f.name === last);
      if (entry) entry.lastTouched = true;
      else fields.push({ name: last, focusCount: 0, focusedMs: 0, lastTouched: true });
      this.lastFieldDirty = false;
    }
    return { engagedSeconds, clicks, points, fields };
  }

  /** Puts a batch that was not delivered back, ahead of anything measured since. */
  restore(delta: Delta): void {
    this.engagedMs += delta.engagedSeconds * 1000;
    for (const { element, count } of delta.clicks) this.addClick(element, count);
    this.addPoints(delta.points, true);
    for (const field of delta.fields) {
      if (field.focusCount) this.addFocus(field.name, field.focusCount);
      this.addFocusedMs(field.name, field.focusedMs);
      // The last field touched is sent again unless a newer one replaced it meanwhile.
      if (field.lastTouched && this.lastField === field.name) this.lastFieldDirty = true;
    }
  }
}
