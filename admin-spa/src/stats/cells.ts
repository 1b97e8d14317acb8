// The heatmap's cells arrive packed (`packedCells`: x, y, count of each cell, three integers per
// cell) because tens of thousands of GraphQL objects are slow to resolve; the components work
// with one object per cell.

export interface HeatCell {
  x: number;
  y: number;
  count: number;
}

/** Unpacks `[x0, y0, count0, x1, y1, count1, …]` into cells, in the same order. A trailing
 * incomplete triple (never sent by the server) is dropped. */
export function unpackCells(packed: readonly number[]): HeatCell[] {
  const n = Math.floor(packed.length / 3);
  const cells = new Array<HeatCell>(n);
  for (let i = 0; i < n; i++) {
    const j = i * 3;
    cells[i] = { x: packed[j] ?? 0, y: packed[j + 1] ?? 0, count: packed[j + 2] ?? 0 };
  }
  return cells;
}
