// The page an unknown address gets (status 404), as the business's own: its name, logo and
// colour, and its contacts, so a visitor who followed a stale link can still reach it; in the
// visitor's language. No tracker: this is not a page of the site's statistics.

import { createClient } from './api/client.ts';
import { BUSINESS } from './api/documents.ts';
import { applyLang, translator } from './i18n/index.ts';
import { visitorLang } from './i18n/choice.ts';
import { pageMode } from './preview.ts';
import { applyBusiness } from './site/business.ts';
import { browserStorage } from './tracker/ids.ts';
import './styles.css';

const lang = visitorLang(
  pageMode(location.search).lang,
  browserStorage(window),
  navigator.languages.length ? navigator.languages : [navigator.language],
);
const t = lang === 'ru' ? translator('ru') : applyLang(document, lang);
// Without a script the page says it in both languages; with one, in the visitor's.
const english = document.getElementById('not-found-en');
if (english) english.hidden = true;
document.title = t('notFound.title');

const execute = createClient((input, init) => fetch(input, init));
void execute(BUSINESS, {}).then((result) => {
  // Unanswered, the page stays as built: it still says what happened and links home.
  if (result.ok) {
    applyBusiness(document, result.data.businessSettings, t, {
      plain: 'notFound.title',
      of: 'notFound.titleOf',
    });
  }
});
