import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useState,
  type SubmitEvent,
  type ReactNode,
} from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { PriorityBadge, StatusBadge, statusKey } from '../components/Badges';
import { ClicksTable } from '../components/ClicksTable';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { messengerLink } from './messengers';
import { useToasts } from '../components/Toasts';
import { useAuth } from '../auth/AuthProvider';
import { ErrorMessage, useDescribedText, useErrorText } from '../components/ErrorMessage';
import { Spinner } from '../components/Spinner';
import { graphql } from '../gql';
import type { LeadDetailQuery, LeadStatus, ReasonFragment } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import type { Key } from '../i18n/dictionaries';
import { firstError } from '../lib/errors';
import { formatAge, formatDateTime, formatDuration, secondsBetween } from '../lib/format';
import { LOST_REASON_MAX, inputMaxLength } from '../lib/limits';
import { useDraft } from '../lib/useDraft';
import { useNow } from '../lib/useNow';
import { BREAKDOWN_MAX, STATUSES } from './priority';
import { isReopening, personName } from './queue';
import { checkLostReason } from './lostReason';
import { budgetLabel, choiceLabel } from './choices';
import { serviceLabel } from './serviceLabel';
import { useOwnerLabels } from '../stats/labels';
import { makeNamer, previewSrc } from '../stats/pageElements';
import { useWatchedPreview } from '../stats/previewPage';
import { ActionButton } from '../components/ActionButton';

const isLeadStatus = (value: string): value is LeadStatus =>
  (STATUSES as readonly string[]).includes(value);

const LeadDetailQueryDoc = graphql(`
  query LeadDetail($id: ID!) {
    lead(id: $id) {
      id
      name
      surname
      patronymic
      email
      phone
      serviceName
      service {
        id
        name
      }
      businessInfo
      businessNiche
      companySize
      budget
      deadline
      convenientTime
      preferredContactMethod
      additionalComments
      score
      priority
      scoreBreakdown {
        budget
        companySize
        urgency
      }
      scoreReasons {
        budget {
          ...Reason
        }
        companySize {
          ...Reason
        }
        urgency {
          ...Reason
        }
      }
      requestNumber
      unread
      history {
        id
        fromStatus
        toStatus
        actorKind
        actorName
        at
        lostReason
      }
      notes {
        id
        authorEmail
        body
        createdAt
        editedAt
      }
      status
      lostReason
      firstResponseAt
      consentAt
      consentVersion
      consentText
      createdAt
      behavior {
        engagedSeconds
        visitNumber
        viewportClass
        firstSeenAt
        clicks {
          element
          count
        }
      }
    }
  }
`);

graphql(`
  fragment Reason on ScoreReason {
    points
    max
    kind
    text
    amount
    days
  }
`);

const MarkOpenedMutation = graphql(`
  mutation MarkLeadOpened($id: ID!) {
    markLeadOpened(id: $id) {
      id
      unread
    }
  }
`);

const AddNoteMutation = graphql(`
  mutation AddLeadNote($id: ID!, $body: String!) {
    addLeadNote(id: $id, body: $body) {
      authorEmail
      body
      createdAt
    }
  }
`);

const EditNoteMutation = graphql(`
  mutation EditLeadNote($id: ID!, $body: String!) {
    editLeadNote(id: $id, body: $body) {
      id
      body
      editedAt
    }
  }
`);

const DeleteNoteMutation = graphql(`
  mutation DeleteLeadNote($id: ID!) {
    deleteLeadNote(id: $id)
  }
`);

const MarkSpamMutation = graphql(`
  mutation MarkLeadSpam($id: ID!, $spam: Boolean!) {
    markLeadSpam(id: $id, spam: $spam) {
      id
      status
    }
  }
`);

const DeleteLeadMutation = graphql(`
  mutation DeleteLead($id: ID!) {
    deleteLead(id: $id)
  }
`);

const UpdateStatusMutation = graphql(`
  mutation UpdateLeadStatus(
    $id: ID!
    $status: LeadStatus!
    $lostReason: String
    $expectedStatus: LeadStatus
    $expectedLostReason: String
  ) {
    updateLeadStatus(
      id: $id
      status: $status
      lostReason: $lostReason
      expectedStatus: $expectedStatus
      expectedLostReason: $expectedLostReason
    ) {
      id
      status
      lostReason
      firstResponseAt
    }
  }
`);

type Lead = NonNullable<LeadDetailQuery['lead']>;

export function OrderPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const location = useLocation();
  const from = (location.state as { from?: unknown } | null)?.from;
  const back = typeof from === 'string' && from.startsWith('/orders') ? from : '/orders';
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: LeadDetailQueryDoc,
    variables: { id },
  });
  const lead = data?.lead;
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  // Back to this window after working elsewhere (another tab, the phone, a call): the card is
  // read again, so a move another admin made meanwhile shows before anyone decides on it.
  useEffect(() => {
    window.addEventListener('focus', refresh);
    return () => window.removeEventListener('focus', refresh);
  }, [refresh]);

  return (
    <section className="page" aria-labelledby="order-title">
      <p>
        {/* The list puts the focus back on this order's row (see OrdersPage). */}
        <Link to={back} state={{ returnedFrom: id }} className="back-link">
          ← {t('order.back')}
        </Link>
      </p>
      {fetching && !data ? <Spinner /> : null}
      <ErrorMessage error={error} />
      {data && !lead ? (
        <>
          <h1 id="order-title">{t('order.notFound')}</h1>
        </>
      ) : null}
      {/* Keyed: the status form's state belongs to one order. Going from one card to another
          (a toast's "Open", history) must not carry the previous order's choice over. */}
      {lead ? (
        <OrderCard key={lead.id} lead={lead} refresh={refresh} reading={fetching} back={back} />
      ) : null}
    </section>
  );
}

/** A card's order, and its reading from the server. */
interface CardProps {
  lead: Lead;
  /** Reads the order again from the server (after another admin's move refused this one). */
  refresh: () => void;
  /** The order is being read from the server again. */
  reading: boolean;
}

/** `back`: the list the admin came from. */
function OrderCard({ lead, refresh, reading, back }: CardProps & { back: string }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const chat = messengerLink(lead.preferredContactMethod, lead.phone);
  const fullName = personName(lead);
  // Opening the card reads the order (kept on the server, for every admin).
  const [, markOpened] = useMutation(MarkOpenedMutation);
  const wasUnread = lead.unread;
  useEffect(() => {
    if (wasUnread) void markOpened({ id: lead.id });
  }, [wasUnread, lead.id, markOpened]);
  return (
    <article className="order" data-testid="order-card">
      <header className="order__head">
        <div>
          <h1 id="order-title">{fullName}</h1>
          <p className="muted">
            <span data-testid="request-number">
              {t('order.requestNumber', { number: lead.requestNumber })}
            </span>{' '}
            · {t('order.received', { when: formatDateTime(lead.createdAt, locale) })}
          </p>
        </div>
        <div className="order__temp">
          <PriorityBadge priority={lead.priority} />
          <span className="score" data-testid="order-score">
            <strong>{lead.score}</strong> / 100
          </span>
          <StatusBadge status={lead.status} />
        </div>
      </header>

      <div className="order__grid">
        <section className="card" aria-labelledby="why-hot">
          <h2 id="why-hot">{t('order.breakdown')}</h2>
          <Breakdown lead={lead} />
        </section>

        <section className="card" aria-labelledby="pipeline">
          <h2 id="pipeline">{t('order.pipeline')}</h2>
          <Pipeline lead={lead} refresh={refresh} reading={reading} />
        </section>

        <section className="card" aria-labelledby="contact">
          <h2 id="contact">{t('order.contact')}</h2>
          <dl className="facts">
            <Fact label={t('lead.email')}>
              <a href={`mailto:${lead.email}`}>{lead.email}</a>
            </Fact>
            <Fact label={t('lead.phone')}>
              {lead.phone ? (
                <a href={`tel:${lead.phone.replace(/[^\d+]/g, '')}`}>{lead.phone}</a>
              ) : null}
            </Fact>
            <Fact label={t('lead.preferredContactMethod')}>
              {choiceLabel(lead.preferredContactMethod, i18n)}
              {chat ? (
                <>
                  {' · '}
                  <a
                    href={chat.href}
                    target="_blank"
                    rel="noopener noreferrer"
                    data-testid="chat-link"
                  >
                    {t('order.writeIn', { messenger: t(`choice.${chat.method}`) })}
                  </a>
                </>
              ) : null}
            </Fact>
            <Fact label={t('lead.convenientTime')}>{lead.convenientTime}</Fact>
            <Fact label={t('order.consent')}>
              {lead.consentAt ? <Consent lead={lead} consentAt={lead.consentAt} /> : null}
            </Fact>
          </dl>
        </section>

        <section className="card" aria-labelledby="request">
          <h2 id="request">{t('order.request')}</h2>
          <dl className="facts">
            <Fact label={t('lead.service')}>
              {serviceLabel(lead, t('orders.noService'), t('orders.deletedService'))}
            </Fact>
            <Fact label={t('lead.budget')}>{budgetLabel(lead.budget, i18n)}</Fact>
            <Fact label={t('lead.deadline')}>{choiceLabel(lead.deadline, i18n)}</Fact>
            <Fact label={t('lead.companySize')}>{choiceLabel(lead.companySize, i18n)}</Fact>
            <Fact label={t('lead.businessNiche')}>{lead.businessNiche}</Fact>
            <Fact label={t('lead.businessInfo')}>{lead.businessInfo}</Fact>
            <Fact label={t('lead.additionalComments')}>{lead.additionalComments}</Fact>
          </dl>
        </section>

        <section className="card" aria-labelledby="behavior">
          <h2 id="behavior">{t('order.behavior')}</h2>
          <Behavior behavior={lead.behavior ?? null} />
        </section>

        <section className="card" aria-labelledby="history">
          <h2 id="history">{t('order.history')}</h2>
          <History lead={lead} />
        </section>

        <section className="card" aria-labelledby="notes">
          <h2 id="notes">{t('order.notes')}</h2>
          <Notes lead={lead} />
        </section>

        <section className="card" aria-labelledby="actions">
          <h2 id="actions">{t('order.actions')}</h2>
          <Actions lead={lead} back={back} />
        </section>
      </div>
    </article>
  );
}

/** When the visitor consented to the processing of their data, and to which wording: what
 * the owner shows when asked (152-FZ, GDPR). Orders from before the checkbox have none. */
function Consent({ lead, consentAt }: { lead: Lead; consentAt: string }) {
  const { t, locale } = useI18n();
  return (
    <span data-testid="consent">
      {t('order.consentGiven', { when: formatDateTime(consentAt, locale) })}
      <details className="consent__wording">
        <summary>
          {lead.consentVersion
            ? t('order.consentVersion', { version: lead.consentVersion })
            : t('order.consentBuiltIn')}
        </summary>
        <p>{lead.consentText ?? t('order.consentBuiltInText')}</p>
      </details>
    </span>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  const { t } = useI18n();
  const empty = children === null || children === undefined || children === '';
  return (
    <div className="facts__row">
      <dt>{label}</dt>
      <dd className={empty ? 'muted' : undefined}>{empty ? t('common.notGiven') : children}</dd>
    </div>
  );
}

const FACTORS: {
  key: keyof typeof BREAKDOWN_MAX;
  label: Key;
  /** What the visitor gave for it, when it is one field: its choice is named as the form did. */
  field?: 'budget' | 'companySize';
}[] = [
  { key: 'budget', label: 'order.factor.budget', field: 'budget' },
  { key: 'companySize', label: 'order.factor.companySize', field: 'companySize' },
  { key: 'urgency', label: 'order.factor.urgency' },
];

/** Three bars: points per factor against its maximum — why this lead is as hot as it is. */
function Breakdown({ lead }: { lead: Lead }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  return (
    <div className="breakdown" data-testid="breakdown">
      {FACTORS.map(({ key, label, field }) => {
        // A band the visitor picked ("до 500 тыс. ₽") reads better than the number it stands
        // for (499 999); typed text keeps the amount understood from it.
        const raw = field ? lead[field]?.trim() : undefined;
        const choice = raw ? i18n.tMaybe(`choice.${raw}`, '') || null : null;
        const points = lead.scoreBreakdown[key];
        const max = BREAKDOWN_MAX[key];
        return (
          <div className="breakdown__row" key={key} data-factor={key}>
            <div className="breakdown__label">
              <span>{t(label)}</span>
              <span className="breakdown__points">{t('order.points', { count: points, max })}</span>
            </div>
            <p className="breakdown__why muted" data-testid={`reason-${key}`}>
              {reasonText(lead.scoreReasons[key], t, locale, choice)}
            </p>
            <div
              className="bar"
              role="meter"
              aria-label={t(label)}
              aria-valuemin={0}
              aria-valuemax={max}
              aria-valuenow={points}
              aria-valuetext={t('order.points', { count: points, max })}
            >
              <div
                className={`bar__fill bar__fill--${lead.priority.toLowerCase()}`}
                style={{ width: `${String(Math.round((points / max) * 100))}%` }}
              />
            </div>
          </div>
        );
      })}
      <p className="breakdown__total">
        {t('order.total', { score: lead.score })} · <PriorityBadge priority={lead.priority} />
      </p>
    </div>
  );
}

/** The status form. */
function Pipeline({ lead, refresh, reading }: CardProps) {
  const { t, locale } = useI18n();
  const errorText = useErrorText();
  const say = useDescribedText();
  const id = useId();
  const now = useNow(30_000);
  // Unsaved choices survive a session that ends mid-typing (see useDraft); without them the form
  // holds what is saved, as the card shows it (after a save, a reload, a change made elsewhere).
  const [status, setStatus, clearStatus] = useDraft<LeadStatus>(
    `lead:${lead.id}:status`,
    lead.status,
    isLeadStatus,
  );
  const [reason, setReason, clearReason] = useDraft(
    `lead:${lead.id}:lostReason`,
    lead.lostReason ?? '',
  );
  const [saved, setSaved] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [result, update] = useMutation(UpdateStatusMutation);
  const serverError = firstError(result.error);
  const reasonError =
    localError ?? (serverError?.field === 'lostReason' ? errorText(serverError) : null);
  // The lead was moved, or its reason rewritten, by somebody else since this card was read: say
  // what it is now (the card is read again) and let the admin decide anew; the choice and the
  // text they made stay in the form.
  const movedMeanwhile = serverError?.reason === 'CHANGED';
  const reasonChanged = movedMeanwhile && serverError.field === 'expectedLostReason';
  const otherError =
    serverError && serverError.field !== 'lostReason' && !movedMeanwhile ? result.error : undefined;
  const responded = secondsBetween(lead.createdAt, lead.firstResponseAt);
  const waiting = secondsBetween(lead.createdAt, now.toISOString()) ?? 0;
  const unchanged =
    status === lead.status && (status !== 'LOST' || reason === (lead.lostReason ?? ''));

  const [confirmReopen, setConfirmReopen] = useState(false);

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    setSaved(false);
    setLocalError(null);
    const refused = status === 'LOST' ? checkLostReason(reason) : null;
    if (refused) {
      setLocalError(say(refused));
      return;
    }
    // Won → New (or any closed → open) is allowed, but never by a slip: ask first.
    if (isReopening(lead.status, status)) {
      setConfirmReopen(true);
      return;
    }
    await save();
  };

  const save = async () => {
    const res = await update({
      id: lead.id,
      status,
      lostReason: status === 'LOST' ? reason.trim() : null,
      // What this card shows: the server refuses the move if the lead is elsewhere by now, or
      // its reason was rewritten meanwhile.
      expectedStatus: lead.status,
      expectedLostReason: lead.lostReason ?? '',
    });
    if (res.data) {
      clearStatus();
      clearReason();
      setSaved(true);
    } else if (firstError(res.error)?.reason === 'CHANGED') {
      refresh();
    }
  };

  return (
    <div className="pipeline">
      <ConfirmDialog
        open={confirmReopen}
        title={t('order.reopenTitle')}
        confirmLabel={t('order.reopen')}
        onCancel={() => setConfirmReopen(false)}
        onConfirm={async () => {
          setConfirmReopen(false);
          await save();
        }}
      >
        {t('order.reopenBody', { from: t(statusKey(lead.status)), to: t(statusKey(status)) })}
      </ConfirmDialog>
      <dl className="facts">
        <div className="facts__row">
          <dt>{t('order.firstResponse')}</dt>
          <dd data-testid="first-response">
            {responded !== null
              ? t('order.respondedIn', { duration: formatDuration(responded, locale) })
              : t('order.waiting', { duration: formatDuration(waiting, locale) })}
          </dd>
        </div>
        {lead.status === 'LOST' && lead.lostReason ? (
          <div className="facts__row">
            <dt>{t('order.lostReason')}</dt>
            <dd>{lead.lostReason}</dd>
          </div>
        ) : null}
        <div className="facts__row">
          <dt>{t('order.age')}</dt>
          <dd>{formatAge(lead.createdAt, locale, now)}</dd>
        </div>
      </dl>
      <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <fieldset className="radio-group">
          <legend>{t('order.changeStatus')}</legend>
          {STATUSES.map((s) => (
            <label key={s} className="radio">
              <input
                type="radio"
                name="status"
                value={s}
                checked={status === s}
                onChange={() => {
                  setStatus(s);
                  setSaved(false);
                }}
              />
              <span>{t(statusKey(s))}</span>
            </label>
          ))}
        </fieldset>
        {status === 'LOST' ? (
          <label className="field">
            <span className="field__label">{t('order.lostReasonPrompt')}</span>
            <textarea
              name="lostReason"
              rows={3}
              maxLength={inputMaxLength(LOST_REASON_MAX)}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={reasonError ? `${id}-reason-err` : undefined}
            />
            {reasonError ? (
              <span className="field__error" id={`${id}-reason-err`}>
                {reasonError}
              </span>
            ) : null}
          </label>
        ) : null}
        <ErrorMessage error={otherError} />
        {movedMeanwhile ? (
          <p className="alert alert--error" role="alert" data-testid="moved-meanwhile">
            {/* Until the order is read again, what this card has is the stale one. */}
            {reasonChanged
              ? reading
                ? t('order.reasonChangedMeanwhileReading')
                : // The typed reason is kept in its box only while LOST is chosen.
                  t(
                    status === 'LOST'
                      ? 'order.reasonChangedMeanwhile'
                      : 'order.reasonChangedMeanwhileMove',
                    { reason: lead.lostReason ?? '' },
                  )
              : reading
                ? t('order.movedMeanwhileReading')
                : t('order.movedMeanwhile', { status: t(statusKey(lead.status)) })}
          </p>
        ) : null}
        <div className="form__actions">
          <ActionButton
            type="submit"
            className="button button--primary"
            inactive={result.fetching || unchanged}
          >
            {t('order.saveStatus')}
          </ActionButton>
          <span role="status" className="muted">
            {saved ? t('order.saved') : ''}
          </span>
        </div>
      </form>
    </div>
  );
}

const VIEWPORT_KEY = {
  MOBILE: 'viewport.MOBILE',
  TABLET: 'viewport.TABLET',
  DESKTOP: 'viewport.DESKTOP',
} as const;

/** What the visitor did on the public page before ordering: engaged time, visit number, clicks. */
function Behavior({ behavior }: { behavior: Lead['behavior'] | null }) {
  const { t, locale } = useI18n();
  if (!behavior) return <p className="muted">{t('order.noVisit')}</p>;
  const clicks = behavior.clicks;
  const totalClicks = clicks.reduce((sum, c) => sum + c.count, 0);
  return (
    <div data-testid="behavior">
      <dl className="facts">
        <div className="facts__row">
          <dt>{t('behavior.engaged')}</dt>
          <dd data-testid="engaged">{formatDuration(behavior.engagedSeconds, locale)}</dd>
        </div>
        <div className="facts__row">
          <dt>{t('behavior.visitNumber')}</dt>
          <dd data-testid="visit-number">
            {behavior.visitNumber > 1
              ? t('behavior.returning', { count: behavior.visitNumber })
              : t('behavior.firstVisit')}
          </dd>
        </div>
        <div className="facts__row">
          <dt>{t('behavior.device')}</dt>
          <dd>{t(VIEWPORT_KEY[behavior.viewportClass])}</dd>
        </div>
        <div className="facts__row">
          <dt>{t('behavior.firstSeen')}</dt>
          <dd>{formatDateTime(behavior.firstSeenAt, locale)}</dd>
        </div>
        <div className="facts__row">
          <dt>{t('behavior.clicks')}</dt>
          <dd>{t('behavior.clickCount', { count: totalClicks })}</dd>
        </div>
      </dl>
      {clicks.length > 0 ? <VisitClicks clicks={clicks} /> : null}
    </div>
  );
}

/** The visit's clicks under the names the statistics give them: the owner's, else the label the
 * public page itself shows (read from the page, unseen, in the admin's language), else the
 * tracker's key. */
function VisitClicks({ clicks }: { clicks: NonNullable<Lead['behavior']>['clicks'] }) {
  const { t, locale } = useI18n();
  const owner = useOwnerLabels();
  const [page, watch] = useWatchedPreview();
  const namer = useMemo(() => makeNamer(page?.doc ?? null, owner.labels), [page, owner.labels]);
  return (
    <>
      <ClicksTable
        clicks={clicks}
        caption={t('behavior.clicksCaption')}
        testId="visit-clicks"
        renderName={(element) => (
          <span title={element} data-testid="element-name">
            {namer.name('ELEMENT', element, element)}
          </span>
        )}
      />
      {/* The page in its preview mode (no tracker: looking is not a visit), never shown. */}
      <iframe
        hidden
        src={previewSrc(locale)}
        title={t('stats.previewTitle')}
        tabIndex={-1}
        aria-hidden="true"
        data-testid="behavior-page"
        onLoad={(e) => watch(e.currentTarget)}
      />
    </>
  );
}

type Translate = ReturnType<typeof useI18n>['t'];

/** "not given → minimum 10 of 40", "«срочно» +30": why a factor earned its points. `choice`:
 * the label of the band the visitor picked, said instead of the amount it stands for. */
function reasonText(
  reason: ReasonFragment,
  t: Translate,
  locale: string,
  choice: string | null,
): string {
  const base = { points: reason.points, max: reason.max };
  if (reason.kind === 'AMOUNT' && choice) return t('reason.CHOICE', { ...base, text: choice });
  switch (reason.kind) {
    case 'NOT_GIVEN':
      return t('reason.NOT_GIVEN', base);
    case 'UNREADABLE':
      return t('reason.UNREADABLE', { ...base, text: reason.text ?? '' });
    case 'AMOUNT':
      return t('reason.AMOUNT', {
        ...base,
        amount: new Intl.NumberFormat(locale).format(reason.amount ?? 0),
      });
    case 'URGENT_WORD':
      return t('reason.URGENT_WORD', { ...base, text: reason.text ?? '' });
    case 'DEADLINE':
      return t('reason.DEADLINE', { ...base, days: reason.days ?? 0 });
  }
}

function History({ lead }: { lead: Lead }) {
  const { t, locale } = useI18n();
  if (lead.history.length === 0) return <p className="muted">{t('order.historyEmpty')}</p>;
  return (
    <ol className="timeline" data-testid="history">
      {lead.history.map((entry) => (
        <li key={entry.id} className="timeline__item">
          {entry.fromStatus === entry.toStatus ? (
            // Not a move: a lost order's reason rewritten.
            <span>
              <StatusBadge status={entry.toStatus} /> {t('order.reasonRewritten')}
            </span>
          ) : (
            <span>
              {entry.fromStatus ? <StatusBadge status={entry.fromStatus} /> : null}
              {entry.fromStatus ? ' → ' : null}
              <StatusBadge status={entry.toStatus} />
            </span>
          )}{' '}
          <span className="muted">
            {entry.actorKind === 'ADMIN'
              ? entry.actorName
              : entry.actorKind === 'TELEGRAM'
                ? t('order.actor.TELEGRAM', { name: entry.actorName })
                : t('order.actor.SYSTEM')}{' '}
            · <time dateTime={entry.at}>{formatDateTime(entry.at, locale)}</time>
          </span>
          {entry.lostReason ? <span className="timeline__reason">«{entry.lostReason}»</span> : null}
        </li>
      ))}
    </ol>
  );
}

function Notes({ lead }: { lead: Lead }) {
  const { t } = useI18n();
  const { session } = useAuth();
  const id = useId();
  const errorText = useErrorText();
  // A note being typed survives a session that ends meanwhile, like the status (see useDraft).
  const [body, setBody] = useDraft<string>(`lead:${lead.id}:note`, '');
  const [result, add] = useMutation(AddNoteMutation);
  const error = firstError(result.error);
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    const res = await add({ id: lead.id, body }, { additionalTypenames: ['Lead', 'LeadNote'] });
    if (res.data) setBody('');
  };
  return (
    <div data-testid="notes">
      {lead.notes.length === 0 ? (
        <p className="muted">{t('order.notesEmpty')}</p>
      ) : (
        <ul className="notes">
          {lead.notes.map((note) => (
            <NoteItem
              key={note.id}
              note={note}
              mine={note.authorEmail.toLowerCase() === session?.email.toLowerCase()}
            />
          ))}
        </ul>
      )}
      <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <label className="field">
          <span className="field__label">{t('order.noteLabel')}</span>
          <textarea
            name="note"
            rows={2}
            maxLength={inputMaxLength(NOTE_MAX)}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-note-err` : undefined}
          />
          {error ? (
            <span className="field__error" id={`${id}-note-err`}>
              {errorText(error)}
            </span>
          ) : null}
        </label>
        <div className="form__actions">
          <ActionButton type="submit" className="button" inactive={result.fetching || !body.trim()}>
            {t('order.addNote')}
          </ActionButton>
        </div>
      </form>
    </div>
  );
}

const NOTE_MAX = 5000;

/** A note; its author may correct it in place or delete it (a note is signed: only theirs). */
function NoteItem({ note, mine }: { note: Lead['notes'][number]; mine: boolean }) {
  const { t, locale } = useI18n();
  const id = useId();
  const errorText = useErrorText();
  const [draft, setDraft] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [edited, edit] = useMutation(EditNoteMutation);
  const [deleted, remove] = useMutation(DeleteNoteMutation);
  const error = firstError(edited.error);
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    if (draft === null || !draft.trim()) return;
    const res = await edit({ id: note.id, body: draft }, { additionalTypenames: ['LeadNote'] });
    if (res.data) setDraft(null);
  };
  return (
    <li className="notes__item" data-testid="note">
      {draft === null ? (
        <p className="notes__body">{note.body}</p>
      ) : (
        <form className="form" onSubmit={(e) => void save(e)} noValidate>
          <label className="field">
            <span className="field__label">{t('order.noteEditLabel')}</span>
            <textarea
              name="note-edit"
              rows={2}
              maxLength={inputMaxLength(NOTE_MAX)}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-err` : undefined}
              autoFocus
            />
            {error ? (
              <span className="field__error" id={`${id}-err`}>
                {errorText(error)}
              </span>
            ) : null}
          </label>
          <div className="form__actions">
            <ActionButton
              type="submit"
              className="button button--primary"
              inactive={edited.fetching || !draft.trim()}
            >
              {t('order.noteSave')}
            </ActionButton>
            <button type="button" className="button" onClick={() => setDraft(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      <p className="muted">
        {note.authorEmail} ·{' '}
        <time dateTime={note.createdAt}>{formatDateTime(note.createdAt, locale)}</time>
        {note.editedAt ? (
          <>
            {' · '}
            <time dateTime={note.editedAt} title={formatDateTime(note.editedAt, locale)}>
              {t('order.noteEdited')}
            </time>
          </>
        ) : null}
        {mine && draft === null ? (
          <>
            {' · '}
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() => setDraft(note.body)}
            >
              {t('order.noteEdit')}
            </button>
            {' · '}
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() => setConfirmDelete(true)}
            >
              {t('order.noteDelete')}
            </button>
          </>
        ) : null}
      </p>
      <ErrorMessage error={deleted.error} />
      <ConfirmDialog
        open={confirmDelete}
        title={t('order.noteDeleteTitle')}
        confirmLabel={t('order.noteDelete')}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={async () => {
          await remove({ id: note.id }, { additionalTypenames: ['Lead', 'LeadNote'] });
          setConfirmDelete(false);
        }}
      >
        {t('order.noteDeleteBody')}
      </ConfirmDialog>
    </li>
  );
}

/** Spam and delete. `back`: the list the admin came from, where a deleted order's card goes. */
function Actions({ lead, back }: { lead: Lead; back: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { push } = useToasts();
  const [confirmDelete, setConfirmDelete] = useState(false);
  // Marking as spam blocks the contacts' later orders too: asked first. Unmarking is not.
  const [confirmSpam, setConfirmSpam] = useState(false);
  const [spamResult, markSpam] = useMutation(MarkSpamMutation);
  const [deleteResult, remove] = useMutation(DeleteLeadMutation);
  const spam = lead.status === 'SPAM';
  return (
    <div className="actions">
      <p className="muted">{t('order.spamHint')}</p>
      <ErrorMessage error={spamResult.error ?? deleteResult.error} />
      <div className="form__actions">
        <ActionButton
          className="button"
          data-testid="spam-toggle"
          inactive={spamResult.fetching}
          onClick={() =>
            spam
              ? void markSpam({ id: lead.id, spam: false }, { additionalTypenames: ['Lead'] })
              : setConfirmSpam(true)
          }
        >
          {spam ? t('order.unmarkSpam') : t('order.markSpam')}
        </ActionButton>
        <button
          type="button"
          className="button button--danger"
          data-testid="delete-order"
          onClick={() => setConfirmDelete(true)}
        >
          {t('order.delete')}
        </button>
      </div>
      <ConfirmDialog
        open={confirmDelete}
        title={t('order.deleteTitle')}
        confirmLabel={t('order.delete')}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={async () => {
          const res = await remove({ id: lead.id }, { additionalTypenames: ['Lead'] });
          setConfirmDelete(false);
          if (res.data) {
            push({ title: t('order.deleted'), tone: 'low' });
            void navigate(back);
          }
        }}
      >
        {t('order.deleteBody')}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirmSpam}
        title={t('order.spamTitle')}
        confirmLabel={t('order.markSpam')}
        onCancel={() => setConfirmSpam(false)}
        onConfirm={async () => {
          await markSpam({ id: lead.id, spam: true }, { additionalTypenames: ['Lead'] });
          setConfirmSpam(false);
        }}
      >
        {t('order.spamBody', {
          contacts: [lead.email, lead.phone].filter(Boolean).join(t('order.spamContactsJoin')),
        })}
      </ConfirmDialog>
    </div>
  );
}
