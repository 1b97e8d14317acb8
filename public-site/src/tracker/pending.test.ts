import { describe, expect, test } from 'vitest';
import { CAPS, Pending } from './pending.ts';

describe('pending buffer', () => {
  test('take cuts a batch within the server caps and keeps the rest', () => {
    const p = new Pending(1000);
    p.engagedMs = 150_500;
    for (let i = 0; i < 60; i += 1) p.addClick(`el-${i}`);
    p.addClick('el-0', 2500);
    p.addPoints(Array.from({ length: 450 }, (_, i) => ({ x: 0, y: i })));
    for (let i = 0; i < 55; i += 1) p.addFocus(`f-${i}`);
    p.addFocusedMs('f-0', 5_000_000);
    p.touch('f-54');

    const first = p.take();
    expect(first.engagedSeconds).toBe(60);
    expect(first.clicks).toHaveLength(CAPS.clickEntries);
    expect(first.clicks[0]).toEqual({ element: 'el-0', count: 1000 });
    expect(first.points).toHaveLength(200);
    expect(first.points[0]?.y).toBe(0);
    expect(first.fields).toHaveLength(CAPS.fields);
    // The last field touched always fits, first.
    expect(first.fields[0]).toEqual({
      name: 'f-54',
      focusCount: 1,
      focusedMs: 0,
      lastTouched: true,
    });
    expect(first.fields.find((f) => f.name === 'f-0')?.focusedMs).toBe(CAPS.focusedMs);

    const rest = [p.take(), p.take(), p.take()];
    expect(rest.map((d) => d.engagedSeconds)).toEqual([60, 30, 0]);
    const all = [first, ...rest];
    const clicks = all.flatMap((d) => d.clicks).filter((c) => c.element === 'el-0');
    expect(clicks.reduce((n, c) => n + c.count, 0)).toBe(2501);
    expect(all.flatMap((d) => d.clicks)).toHaveLength(60 + 2); // el-0 needs three entries: 1000 + 1000 + 501
    expect(all.flatMap((d) => d.points)).toHaveLength(450);
    expect(
      all
        .flatMap((d) => d.fields)
        .filter((f) => f.name === 'f-0')
        .map((f) => f.focusedMs),
    ).toEqual([CAPS.focusedMs, 5_000_000 - CAPS.focusedMs]);
    expect(all.flatMap((d) => d.fields).filter((f) => f.lastTouched)).toHaveLength(1);
    expect(p.isEmpty()).toBe(true);
    expect(p.engagedMs).toBe(500);
  });

  test('restore puts a failed batch back ahead of newer data', () => {
    const p = new Pending(4);
    p.addPoints([
      { x: 0, y: 1 },
      { x: 0, y: 2 },
    ]);
    p.addClick('a', 3);
    p.touch('email');
    p.engagedMs = 2000;
    const delta = p.take();
    p.addPoints([
      { x: 0, y: 3 },
      { x: 0, y: 4 },
      { x: 0, y: 5 },
    ]);
    p.addClick('a');
    p.restore(delta);
    // Bounded: the oldest point is the one dropped.
    expect(p.points.map((pt) => pt.y)).toEqual([2, 3, 4, 5]);
    expect(p.droppedPoints).toBe(1);
    expect(p.clicks.get('a')).toBe(4);
    expect(p.engagedMs).toBe(2000);
    expect(p.take().fields).toEqual([
      { name: 'email', focusCount: 0, focusedMs: 0, lastTouched: true },
    ]);
  });

  test('a newer last field wins over a restored one', () => {
    const p = new Pending();
    p.touch('name');
    const delta = p.take();
    p.touch('phone');
    p.restore(delta);
    const fields = p.take().fields;
    expect(fields.filter((f) => f.lastTouched).map((f) => f.name)).toEqual(['phone']);
  });

  test('less than a second of engagement alone is not worth a batch', () => {
    const p = new Pending();
    p.engagedMs = 999;
    expect(p.isEmpty()).toBe(true);
    p.engagedMs = 1000;
    expect(p.isEmpty()).toBe(false);
  });
});
