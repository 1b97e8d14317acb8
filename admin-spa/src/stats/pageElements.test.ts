// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import {
  elementAt,
  findElement,
  findField,
  makeNamer,
  ownLabel,
  spotAt,
  trackerKey,
} from './pageElements';

// A piece of the public page as the visitor sees it (text filled in).
const PAGE = `
  <main>
    <form id="order">
      <fieldset id="contact">
        <legend>Контакты</legend>
        <div class="field" id="wrap-name">
          <label for="f-name"><span>Имя</span><b aria-hidden="true">*</b></label>
          <input id="f-name" name="name" />
          <p class="hint">Как к вам обращаться</p>
        </div>
        <div class="field">
          <label for="f-email">Эл. почта</label>
          <input id="f-email" name="email" />
        </div>
      </fieldset>
      <button id="submit" type="submit">Отправить заявку</button>
      <a data-track="privacy" href="#p">О данных</a>
      <button aria-label="Закрыть">×</button>
      <section><div><span>Просто текст</span></div></section>
    </form>
  </main>`;

beforeEach(() => {
  document.body.innerHTML = PAGE;
});

const $ = (selector: string) => {
  const el = document.querySelector(selector);
  if (!el) throw new Error(selector);
  return el;
};

describe('elements of the public page', () => {
  it('finds what a click key or field name names', () => {
    expect(findElement(document, 'submit')?.id).toBe('submit');
    expect(findElement(document, 'privacy')?.tagName).toBe('A');
    expect(findElement(document, 'label[for=f-name]')?.tagName).toBe('LABEL');
    expect(findElement(document, 'gone-button')).toBeNull();
    expect(findElement(document, '#%$ not a selector')).toBeNull();
    expect(findField(document, 'email')?.id).toBe('f-email');
    expect(findField(document, 'nope')).toBeNull();
  });

  it("names an element by its own visible label, not by the tracker's key", () => {
    expect(ownLabel($('#f-name'))).toBe('Имя');
    expect(ownLabel($('#f-email'))).toBe('Эл. почта');
    expect(ownLabel($('#submit'))).toBe('Отправить заявку');
    expect(ownLabel($('[aria-label]'))).toBe('Закрыть');
    expect(ownLabel($('#contact'))).toBe('Контакты');
    expect(ownLabel($('label[for=f-name]'))).toBe('Имя');
  });

  it("gives the tracker's key of an element", () => {
    expect(trackerKey($('#submit'))).toBe('submit');
    expect(trackerKey($('[data-track]'))).toBe('privacy');
    expect(trackerKey($('section'))).toBeNull();
  });

  it("puts the owner's name first, then the page's, then the fallback", () => {
    const namer = makeNamer(document, [
      { kind: 'ELEMENT', element: 'submit', label: 'Главная кнопка' },
      { kind: 'FIELD', element: 'name', label: 'Имя клиента' },
    ]);
    expect(namer.name('ELEMENT', 'submit', 'submit')).toBe('Главная кнопка');
    expect(namer.name('FIELD', 'name', 'name')).toBe('Имя клиента');
    expect(namer.name('FIELD', 'email', 'email')).toBe('Эл. почта');
    expect(namer.name('ELEMENT', 'f-email', 'f-email')).toBe('Эл. почта');
    expect(namer.name('ELEMENT', 'gone', 'gone')).toBe('gone');
    // Before the page has loaded only the owner's names are known.
    expect(makeNamer(null, []).name('ELEMENT', 'submit', 'submit')).toBe('submit');
  });
});

describe('what a hot spot is on', () => {
  // jsdom has no layout: the element "under" a point is given.
  const under = (selector: string | null) => {
    document.elementFromPoint = () => (selector ? document.querySelector(selector) : null);
  };

  it('is the clickable thing under it, a label counting as its control', () => {
    under('#submit');
    expect(spotAt(document, 1, 1)).toEqual({ key: 'submit', label: 'Отправить заявку' });
    under('label[for=f-name] span');
    expect(elementAt(document, 1, 1)?.id).toBe('f-name');
  });

  it("is a field's control when the point is elsewhere in its box", () => {
    under('#wrap-name .hint');
    expect(spotAt(document, 1, 1)).toEqual({ key: 'f-name', label: 'Имя' });
  });

  it('is the fieldset between fields, and nothing on the bare page', () => {
    under('#contact legend');
    expect(spotAt(document, 1, 1)?.label).toBe('Контакты');
    under(null);
    expect(spotAt(document, 1, 1)).toBeNull();
    under('body');
    expect(spotAt(document, 1, 1)).toBeNull();
  });
});
