import { beforeEach, describe, expect, test } from 'vitest';
import { renderCards, wireCards, type CardTexts } from './cards.ts';
import { renderServices } from './services.ts';

const A = { id: 'a', name: 'Audit', description: 'We look at everything', priceFrom: 15000 };
const B = { id: 'b', name: 'Branding', description: null, priceFrom: null };
const texts: CardTexts = { price: (n) => `from ${n}`, choose: 'Choose', chosen: 'Chosen' };

beforeEach(() => {
  document.body.innerHTML =
    '<ul id="cards"></ul><select id="s"><option value="">any</option></select>';
});

describe('service cards', () => {
  test('show name, description and price; choosing a card chooses the service and back', () => {
    const list = document.getElementById('cards') as HTMLElement;
    const select = document.getElementById('s') as HTMLSelectElement;
    wireCards(list, select, () => texts);
    renderServices(select, [A, B]);
    renderCards(list, select, [A, B], texts);
    const cards = [...list.querySelectorAll('li')];
    expect(cards.map((c) => c.querySelector('h3')?.textContent)).toEqual(['Audit', 'Branding']);
    expect(cards[0]?.querySelector('.price')?.textContent).toBe('from 15000');
    expect(cards[1]?.querySelector('.price')).toBeNull();
    const button = (i: number) => cards[i]?.querySelector('button') as HTMLButtonElement;
    expect(button(0).getAttribute('aria-pressed')).toBe('false');
    button(1).click();
    expect(select.value).toBe('b');
    expect(button(1).getAttribute('aria-pressed')).toBe('true');
    expect(button(1).textContent).toBe('Chosen');
    select.value = 'a';
    select.dispatchEvent(new Event('change'));
    expect(button(0).getAttribute('aria-pressed')).toBe('true');
    expect(button(1).getAttribute('aria-pressed')).toBe('false');
    button(0).click(); // choosing the chosen card again un-chooses it
    expect(select.value).toBe('');
  });
});
