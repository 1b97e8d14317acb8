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

/** The longest text of a block (no heading of its own) that still reads as its name. */
const AREA_TEXT_MAX = 40;

/** The page's name for the spot's element: a control's own label; for a block, its accessible
 * name, else its first heading or legend, else its text if short, else nothing (a paragraph is
 * no name: the spot is then told by its position). */
export function spotLabel(el: Element, role: SpotRole): string {
  if (role !== 'area') return ownLabel(el);
  if (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby')) {
    const named = ownLabel(el);
    if (named) return named;
  }
  const heading = el.matches('h1,h2,h3,h4,h5,h6,legend')
    ? el
    : el.querySelector('legend,h1,h2,h3,h4,h5,h6');
  if (heading) {
    const text = ownLabel(heading);
    if (text) return text;
  }
  const text = ownLabel(el);
  return text.length <= AREA_TEXT_MAX ? text : '';
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
    const role = el ? roleOf(el) : 'area';
    const label = el ? spotLabel(el, role) : '';
    const key = el ? trackerKey(el) : null;
    // A control is named by its key at least; a block only by a name of its own.
    const named = el && (label || (key && role !== 'area')) ? el : null;
    if (named) {
      const known = byElement.get(named);
      if (known) {
        known.count += cell.count;
        continue;
      }
    }
    const spot: HotSpot = {
      element: named,
      role,
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
