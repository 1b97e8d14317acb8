// The public page: the business's own page (its settings, live), service cards, the order form,
// the behavior tracker.

import { createClient } from './api/client.ts';
import {
  PAGE,
  SERVICES_CHANGED,
  SETTINGS_CHANGED,
  SUBMIT_APPLICATION,
  type BusinessSettings,
  type ServiceItem,
} from './api/documents.ts';
import { renderCards, wireCards, type CardTexts } from './form/cards.ts';
import { renderServices } from './form/services.ts';
import { setupOrderForm } from './form/form.ts';
import { applyLang, translator } from './i18n/index.ts';
import { visitorLang, wireLangSwitch } from './i18n/choice.ts';
import { startFeed } from './live/feed.ts';
import { pageMode } from './preview.ts';
import { socketUrl, subscribe } from './live/ws.ts';
import { applyBusiness, formatPrice } from './site/business.ts';
import { startTracker } from './tracker/tracker.ts';
import { createTransport } from './tracker/transport.ts';
import { browserStorage } from './tracker/ids.ts';
import './styles.css';

const mode = pageMode(location.search);
const storage = browserStorage(window);
// The admin's preview always names its language and never remembers it.
const lang = visitorLang(
  mode.lang,
  mode.preview ? null : storage,
  navigator.languages.length ? navigator.languages : [navigator.language],
);
// The HTML already carries the Russian text (filled at build time).
const t = lang === 'ru' ? translator('ru') : applyLang(document, lang);
const langSwitch = document.getElementById('lang-switch');
if (langSwitch instanceof HTMLAnchorElement) {
  wireLangSwitch(langSwitch, lang, location.search, storage);
}

const execute = createClient((input, init) => fetch(input, init));

const tracker = startTracker({
  window,
  enabled: !mode.preview,
  send: createTransport({
    execute,
    beacon:
      typeof navigator.sendBeacon === 'function' ? navigator.sendBeacon.bind(navigator) : undefined,
    keepaliveFetch: typeof Request !== 'undefined' && 'keepalive' in Request.prototype,
  }),
});
const privacy = document.getElementById('privacy');
if (privacy && !tracker.enabled && !mode.preview) privacy.textContent = t('privacy.off');

const form = document.getElementById('order') as HTMLFormElement;
const select = form.elements.namedItem('serviceId') as HTMLSelectElement;
const servicesNote = document.getElementById('s-serviceId');
const cards = document.getElementById('service-cards') as HTMLElement;
const cardsSection = document.getElementById('services');

const orderForm = setupOrderForm({
  form,
  success: document.getElementById('success') as HTMLElement,
  t,
  submit: (input) => execute(SUBMIT_APPLICATION, { input }),
  visitId: () => tracker.visitId,
  onServiceGone: () => feed.refresh(),
});

interface Page {
  services: ServiceItem[] | null;
  settings: BusinessSettings | null;
}
let page: Page = { services: null, settings: null };

const cardTexts = (): CardTexts => ({
  price: (amount) =>
    t('price.from', { price: formatPrice(amount, page.settings?.currency ?? 'RUB', lang) }),
  choose: t('services.choose'),
  chosen: t('services.chosen'),
});
wireCards(cards, select, cardTexts);

const show = (next: Page) => {
  page = next;
  if (next.settings) applyBusiness(document, next.settings, t);
  const services = next.services;
  if (!services) return;
  if (renderServices(select, services) === 'removed') {
    orderForm.showFieldError('serviceId', { key: 'error.serviceGone' });
  }
  renderCards(cards, select, services, cardTexts());
  if (cardsSection) cardsSection.hidden = services.length === 0;
  if (servicesNote) servicesNote.textContent = services.length ? '' : t('services.empty');
};

type Live = { servicesChanged?: ServiceItem[]; businessSettingsChanged?: BusinessSettings };

const feed = startFeed<Page>({
  fetch: async () => {
    const result = await execute(PAGE, {});
    return result.ok
      ? { services: result.data.services, settings: result.data.businessSettings }
      : null;
  },
  subscribe: (handlers) =>
    subscribe<Live>(
      socketUrl(location, '/graphql'),
      [SERVICES_CHANGED, SETTINGS_CHANGED],
      {
        ...handlers,
        next: (data) =>
          handlers.next({
            services: data.servicesChanged ?? page.services,
            settings: data.businessSettingsChanged ?? page.settings,
          }),
      },
      { socket: (url, protocol) => new WebSocket(url, protocol) },
    ),
  onData: show,
  onError: () => {
    if (servicesNote && select.options.length <= 1) servicesNote.textContent = t('services.failed');
  },
});
