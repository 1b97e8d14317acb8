// The public page: order form, live service list, behavior tracker.

import { createClient } from './api/client.ts';
import {
  SERVICES,
  SERVICES_CHANGED,
  SUBMIT_APPLICATION,
  type ServiceItem,
} from './api/documents.ts';
import { renderServices } from './form/services.ts';
import { setupOrderForm } from './form/form.ts';
import { applyLang, detectLang, translator } from './i18n/index.ts';
import { startFeed } from './live/feed.ts';
import { socketUrl, subscribe } from './live/ws.ts';
import { startTracker } from './tracker/tracker.ts';
import { createTransport } from './tracker/transport.ts';
import './styles.css';

const lang = detectLang(navigator.languages.length ? navigator.languages : [navigator.language]);
// The HTML already carries the Russian text (filled at build time).
const t = lang === 'ru' ? translator('ru') : applyLang(document, lang);

const execute = createClient((input, init) => fetch(input, init));

const tracker = startTracker({
  window,
  send: createTransport({
    execute,
    beacon:
      typeof navigator.sendBeacon === 'function' ? navigator.sendBeacon.bind(navigator) : undefined,
    keepaliveFetch: typeof Request !== 'undefined' && 'keepalive' in Request.prototype,
  }),
});
const privacy = document.getElementById('privacy');
if (privacy && !tracker.enabled) privacy.textContent = t('privacy.off');

const form = document.getElementById('order') as HTMLFormElement;
const select = form.elements.namedItem('serviceId') as HTMLSelectElement;
const servicesNote = document.getElementById('s-serviceId');

const orderForm = setupOrderForm({
  form,
  success: document.getElementById('success') as HTMLElement,
  t,
  submit: (input) => execute(SUBMIT_APPLICATION, { input }),
  visitId: () => tracker.visitId,
  onServiceGone: () => feed.refresh(),
});

const showServices = (services: ServiceItem[]) => {
  if (renderServices(select, services) === 'removed') {
    orderForm.showFieldError('serviceId', { key: 'error.serviceGone' });
  }
  if (servicesNote) servicesNote.textContent = services.length ? '' : t('services.empty');
};

const feed = startFeed<ServiceItem[]>({
  fetch: async () => {
    const result = await execute(SERVICES, {});
    return result.ok ? result.data.services : null;
  },
  subscribe: (handlers) =>
    subscribe<{ servicesChanged: ServiceItem[] }>(
      socketUrl(location, '/graphql'),
      SERVICES_CHANGED,
      { ...handlers, next: (data) => handlers.next(data.servicesChanged) },
      { socket: (url, protocol) => new WebSocket(url, protocol) },
    ),
  onData: showServices,
  onError: () => {
    if (servicesNote && select.options.length <= 1) servicesNote.textContent = t('services.failed');
  },
});
