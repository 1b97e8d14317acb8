// Hot spots: the heatmap's hottest cells, gathered by the element of the public page under them
// (the page loaded in the heatmap's frame at the viewport class's width), so the table says
// "«Отправить» button" instead of "32–33 % / 640–656 px". A cell over nothing stays a position.
import type { HeatCell } from './cells';
import { elementAt, ownLabel, trackerKey } from './pageElements';

/** How the element reads in a sentence. */
export type SpotRole = 'button' | 'field' | 'link' | 'area';

export interface HotSpot {
  /** The element under the spot, or null: then the spot is its first cell's position. */
  element: Element | null;
  role: SpotRole;
  /** The tracker's key for the element (owner's names are stored by it). */
  key: string | null;
  /** The form field's name, for a control (owner's names for fields are stored by it). */
  field: string | null;
  /** The page's own label of the element ('' when it has none). */
  label: string;
  /** The hottest cell of the spot. */
  cell: HeatCell;
  count: number;
}

export interface Grid {
  columns: number;
  rowHeight: number;
  /** The page's width in the frame, px. */
  width: number;
}

/** Cells looked up on the page at most (the hottest ones): enough to fill the table. */
const LOOKED_UP = 600;

export function roleOf(el: Element): SpotRole {
  const tag = el.tagName;
  const type = (el.getAttribute('type') ?? '').toLowerCase();
  if (
    tag === 'BUTTON' ||
    tag === 'SUMMARY' ||
    el.getAttribute('role') === 'button' ||
    (tag === 'INPUT' && ['submit', 'button', 'reset'].includes(type))
  ) {
    return 'button';
  }
  if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return 'field';
  if (tag === 'A' || el.getAttribute('role') === 'link') return 'link';
  return 'area';
}

/** The centre of a cell in the page's pixels. */
export function cellCentre(cell: HeatCell, grid: Grid): { x: number; y: number } {
  const columns = Math.max(1, grid.columns);
  return {
    x: ((cell.x + 0.5) / columns) * grid.width,
    y: (cell.y + 0.5) * grid.rowHeight,
  };
}

/** The `limit` hottest spots: cells over the same element add up; cells over nothing (or with
 * no page to look at) are spots of their own. */
export function hotSpots(
  doc: Document | null,
  cells: readonly HeatCell[],
  grid: Grid,
  limit: number,
): HotSpot[] {
  const hottest = [...cells].sort((a, b) => b.count - a.count).slice(0, LOOKED_UP);
  const byElement = new Map<Element, HotSpot>();
  const spots: HotSpot[] = [];
  for (const cell of hottest) {
    const { x, y } = cellCentre(cell, grid);
    const el = doc ? elementAt(doc, x, y) : null;
    const label = el ? ownLabel(el) : '';
    const key = el ? trackerKey(el) : null;
    const named = el && (label || key) ? el : null;
    if (named) {
      const known = byElement.get(named);
      if (known) {
        known.count += cell.count;
        continue;
      }
    }
    const spot: HotSpot = {
      element: named,
      role: named ? roleOf(named) : 'area',
      key: named ? key : null,
      field: named?.getAttribute('name') ?? null,
      label: named ? label : '',
      cell,
      count: cell.count,
    };
    if (named) byElement.set(named, spot);
    spots.push(spot);
  }
  return spots.sort((a, b) => b.count - a.count).slice(0, limit);
}
