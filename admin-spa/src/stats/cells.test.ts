import { describe, expect, it } from 'vitest';
import { unpackCells } from './cells';

describe('unpackCells', () => {
  it('turns each triple into a cell, in order', () => {
    expect(unpackCells([10, 0, 1, 50, 6, 2])).toEqual([
      { x: 10, y: 0, count: 1 },
      { x: 50, y: 6, count: 2 },
    ]);
  });

  it('gives no cells for an empty map', () => {
    expect(unpackCells([])).toEqual([]);
  });

  it('drops an incomplete trailing triple', () => {
    expect(unpackCells([1, 2, 3, 4, 5])).toEqual([{ x: 1, y: 2, count: 3 }]);
  });

  it('handles a large map', () => {
    const packed: number[] = [];
    for (let x = 0; x < 100; x++) for (let y = 0; y < 250; y++) packed.push(x, y, x + y + 1);
    const cells = unpackCells(packed);
    expect(cells).toHaveLength(25_000);
    expect(cells[0]).toEqual({ x: 0, y: 0, count: 1 });
    expect(cells[24_999]).toEqual({ x: 99, y: 249, count: 349 });
  });
});
