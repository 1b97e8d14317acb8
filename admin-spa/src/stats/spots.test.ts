// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { cellCentre, hotSpots, roleOf } from './spots';

const PAGE = `
  <form id="order">
    <div class="field"><label for="f-phone">Телефон</label><input id="f-phone" name="phone" /></div>
    <button id="submit" type="submit">Отправить</button>
    <a id="policy-link" href="#p">Политика</a>
  </form>
  <section id="about"><h2>О нас</h2><p>Делаем сайты.</p></section>
  <section id="main"><p>Делаем сайты, магазины и рекламу для малого бизнеса с 2014 года.</p></section>`;

beforeEach(() => {
  document.body.innerHTML = PAGE;
});

// jsdom has no layout: the page is a column of three bands, 100 px each.
const layout = () => {
  document.elementFromPoint = (_x: number, y: number) =>
    y < 100
      ? document.querySelector('#f-phone')
      : y < 200
        ? document.querySelector('#submit')
        : y < 300
          ? document.querySelector('#policy-link')
          : document.body;
};

const el = (selector: string): Element => {
  const found = document.querySelector(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
};

const grid = { columns: 10, rowHeight: 50, width: 1000 };

describe('hot spots', () => {
  it('adds up the cells over one element and names it by the page', () => {
    layout();
    const spots = hotSpots(
      document,
      [
        { x: 1, y: 0, count: 5 }, // phone
        { x: 2, y: 2, count: 4 }, // submit
        { x: 3, y: 3, count: 4 }, // submit
        { x: 4, y: 9, count: 6 }, // bare page
      ],
      grid,
      10,
    );
    expect(spots.map((s) => [s.key, s.role, s.label, s.count])).toEqual([
      ['submit', 'button', 'Отправить', 8],
      [null, 'area', '', 6],
      ['f-phone', 'field', 'Телефон', 5],
    ]);
    expect(spots[2]?.field).toBe('phone');
  });

  it('keeps positions when there is no page to look at, and stops at the limit', () => {
    const cells = [
      { x: 0, y: 0, count: 1 },
      { x: 1, y: 1, count: 3 },
      { x: 2, y: 2, count: 2 },
    ];
    const spots = hotSpots(null, cells, grid, 2);
    expect(spots.map((s) => [s.cell.x, s.element])).toEqual([
      [1, null],
      [2, null],
    ]);
  });

  it('names a block by its heading, and a block of plain text by its position', () => {
    document.elementFromPoint = (_x: number, y: number) =>
      y < 100 ? document.querySelector('#about p') : document.querySelector('#main p');
    const spots = hotSpots(
      document,
      [
        { x: 0, y: 0, count: 3 },
        { x: 0, y: 4, count: 2 },
      ],
      grid,
      10,
    );
    expect(spots.map((s) => [s.role, s.label, s.element?.id ?? null])).toEqual([
      ['area', 'О нас', 'about'],
      ['area', '', null],
    ]);
  });

  it('reads a role and a cell centre', () => {
    expect(roleOf(el('#submit'))).toBe('button');
    expect(roleOf(el('#f-phone'))).toBe('field');
    expect(roleOf(el('#policy-link'))).toBe('link');
    expect(roleOf(el('form'))).toBe('area');
    expect(cellCentre({ x: 3, y: 2, count: 1 }, grid)).toEqual({ x: 350, y: 125 });
  });
});
