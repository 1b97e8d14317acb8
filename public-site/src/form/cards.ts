// The services as cards: name, description and "from" price. Choosing a card chooses the service
// in the form's select (the select stays: it is the form's field, and works without the cards);
// changing the select marks its card. Cards are buttons (aria-pressed): Tab and Enter/Space work.

import type { ServiceItem } from '../api/documents.ts';

export interface CardTexts {
  /** The card's price line for an amount, e.g. "от 15 000 ₽". */
  price(amount: number): string;
  choose: string;
  chosen: string;
}

/** Renders `services` into `list` and keeps them in step with `select`. */
export function renderCards(
  list: HTMLElement,
  select: HTMLSelectElement,
  services: readonly ServiceItem[],
  texts: CardTexts,
): void {
  const doc = list.ownerDocument;
  list.replaceChildren(
    ...services.map((service) => {
      const item = doc.createElement('li');
      item.className = 'svc';
      item.dataset.serviceId = service.id;
      const title = doc.createElement('h3');
      title.textContent = service.name;
      item.append(title);
      if (service.description) {
        const text = doc.createElement('p');
        text.textContent = service.description;
        item.append(text);
      }
      if (service.priceFrom !== null) {
        const price = doc.createElement('p');
        price.className = 'price';
        price.textContent = texts.price(service.priceFrom);
        item.append(price);
      }
      const button = doc.createElement('button');
      button.type = 'button';
      button.id = `svc-${service.id}`;
      button.dataset.choose = service.id;
      item.append(button);
      return item;
    }),
  );
  markChosen(list, select.value, texts);
}

/** Marks the card of `chosen` (and only it) as pressed. */
export function markChosen(list: HTMLElement, chosen: string, texts: CardTexts): void {
  for (const button of list.querySelectorAll<HTMLButtonElement>('button[data-choose]')) {
    const on = button.dataset.choose === chosen;
    button.setAttribute('aria-pressed', String(on));
    button.textContent = on ? texts.chosen : texts.choose;
    const name = button.parentElement?.querySelector('h3')?.textContent ?? '';
    button.setAttribute('aria-label', `${on ? texts.chosen : texts.choose}: ${name}`);
    button.closest('.svc')?.classList.toggle('chosen', on);
  }
}

/** Wires the cards to the select once: a click chooses (or un-chooses) the card's service. */
export function wireCards(
  list: HTMLElement,
  select: HTMLSelectElement,
  texts: () => CardTexts,
): void {
  list.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>(
      'button[data-choose]',
    );
    if (!button) return;
    const id = button.dataset.choose ?? '';
    select.value = select.value === id ? '' : id;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  select.addEventListener('change', () => markChosen(list, select.value, texts()));
}
