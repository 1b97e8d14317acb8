import { use, useEffect, useEffectEvent, useId, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { LiveConnectionContext } from '../app/reconnects';
import { useAuth } from '../auth/AuthProvider';
import { PriorityBadge, StatusBadge, statusKey } from '../components/Badges';
import { ActionButton } from '../components/ActionButton';
import { ErrorMessage } from '../components/ErrorMessage';
import { Spinner } from '../components/Spinner';
import { useToasts } from '../components/Toasts';
import { graphql } from '../gql';
import type { LeadRowFragment, LeadSortField, ServiceOptionsQuery } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { formatAge } from '../lib/format';
import { SEARCH_MAX, inputMaxLength } from '../lib/limits';
import { useNow } from '../lib/useNow';
import { AlertsControl } from './AlertsControl';
import { budgetLabel, choiceLabel } from './choices';
import { downloadLeadsCsv, exportQuery, type ExportFormat } from './exportCsv';
import {
  filterFromParams,
  filterToParams,
  isFiltered,
  toExportQuery,
  toLeadFilter,
  type OrdersFilter,
} from './filters';
import { useLiveLeads } from './LiveLeads';
import { recallPage, rememberPage } from './pageMemory';
import { FILTER_STATUSES, PRIORITIES } from './priority';
import { personName } from './queue';
import { serviceLabel } from './serviceLabel';
import {
  QUEUE_SORT,
  ariaSort,
  isQueue,
  nextSort,
  sortFromParams,
  sortToParams,
  type OrdersSort,
} from './sort';
import { countText, pagerTotal } from './total';

export const PAGE_SIZE = 25;

const LeadsQuery = graphql(`
  query Leads(
    $first: Int!
    $after: String
    $filter: LeadFilter
    $sort: LeadSortField
    $direction: SortDirection
  ) {
    leads(first: $first, after: $after, filter: $filter, sort: $sort, direction: $direction) {
      totalCount
      totalCountIsExact
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...LeadRow
        }
      }
    }
  }
`);

/** The services, for the filter bar (hidden ones too: their orders stay) and for the empty
 * list's hint. */
const ServiceOptionsQuery = graphql(`
  query ServiceOptions {
    services(includeHidden: true) {
      id
      name
      hidden
    }
  }
`);

/** How the list's address changes: a pick, or a burst of typing in the search or the dates. */
type Edit = 'pick' | 'search' | 'dates';

export function OrdersPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const filter = filterFromParams(params);
  const sort = sortFromParams(params);
  // A cursor belongs to one filter and one sort: either change starts again at page 1.
  const listKey = sortToParams(sort, filterToParams(filter)).toString();

  // Each filter, sort or reset the admin picks is a step in the browser's history, so Back
  // undoes it. Text typed in a burst (the search as the debounce applies it, a date typed
  // digit by digit) is one step however often the list followed it, and a burst typed away
  // again leaves no step at all.
  const navigate = useNavigate();
  const burst = useRef<{ kind: Edit; from: string; at: string } | null>(null);
  const go = (next: URLSearchParams, how: Edit = 'pick') => {
    const here = params.toString();
    const address = next.toString();
    if (address === here) return;
    const open = burst.current;
    // Still on the entry this kind of burst wrote (not gone Back or elsewhere since).
    if (how !== 'pick' && open?.kind === how && open.at === here) {
      if (address === open.from) {
        burst.current = null;
        void navigate(-1);
      } else {
        open.at = address;
        setParams(next, { replace: true });
      }
      return;
    }
    burst.current = how === 'pick' ? null : { kind: how, from: here, at: address };
    setParams(next);
  };
  const update = (patch: Partial<OrdersFilter>, how?: Edit) => {
    go(sortToParams(sort, filterToParams({ ...filter, ...patch })), how);
  };
  const setSort = (next: OrdersSort) => go(sortToParams(next, filterToParams(filter)));
  // Asked once for the page: the filter bar lists them, and an empty list says where orders
  // come from, so the list (remounted per filter and sort) asks nothing more.
  const [{ data: serviceOptions }] = useQuery({ query: ServiceOptionsQuery });
  const services = serviceOptions?.services;

  return (
    <section className="page" aria-labelledby="orders-title">
      <div className="page__head">
        <h1 id="orders-title">{t('orders.title')}</h1>
        <div className="page__actions">
          <AlertsControl />
          <ExportButton filter={filter} />
        </div>
      </div>
      <LiveStatus />
      <FilterBar
        filter={filter}
        services={services}
        onChange={update}
        onReset={() => go(sortToParams(sort, new URLSearchParams()))}
      />
      <OrdersTable
        key={listKey}
        filter={filter}
        sort={sort}
        onSort={setSort}
        listKey={listKey}
        services={services}
      />
    </section>
  );
}

/** While the live connection is down, new orders do not arrive: say so until it is back (the
 * list then fetches again, see LiveLeads). */
function LiveStatus() {
  const { t } = useI18n();
  const { down } = use(LiveConnectionContext);
  // The live region is always there and only its content changes: screen readers announce a
  // change inside a region they know, not a region that appears already filled.
  return (
    <div role="status" data-testid="live-status">
      {down ? (
        <p className="alert alert--warning" data-testid="live-down">
          {t('live.down')}
        </p>
      ) : null}
    </div>
  );
}

function ExportButton({ filter }: { filter: OrdersFilter }) {
  const { t, locale } = useI18n();
  const { session, signOut } = useAuth();
  const { push } = useToasts();
  const [busy, setBusy] = useState(false);
  const onClick = async (format: ExportFormat) => {
    if (!session) return;
    setBusy(true);
    const query = exportQuery(toExportQuery(filter), format, locale);
    const result = await downloadLeadsCsv(session.token, query);
    setBusy(false);
    if (result === 'unauthenticated') signOut('expired');
    else if (result === 'error') push({ title: t('orders.exportFailed'), tone: 'urgent' });
  };
  return (
    <>
      <ActionButton
        className="button"
        onClick={() => void onClick('people')}
        inactive={busy}
        data-testid="export-csv"
        title={t('orders.exportPeopleHint')}
      >
        <span aria-hidden="true">⬇</span> {busy ? t('orders.exporting') : t('orders.export')}
      </ActionButton>
      <ActionButton
        className="button button--ghost"
        onClick={() => void onClick('machine')}
        inactive={busy}
        data-testid="export-csv-machine"
        title={t('orders.exportMachineHint')}
      >
        {t('orders.exportMachine')}
      </ActionButton>
    </>
  );
}

type ServiceOption = ServiceOptionsQuery['services'][number];

function FilterBar({
  filter,
  services,
  onChange,
  onReset,
}: {
  filter: OrdersFilter;
  /** The service choices, once known. */
  services: readonly ServiceOption[] | undefined;
  /** `search` and `dates`: text applied as it is typed (see `OrdersPage`). */
  onChange: (patch: Partial<OrdersFilter>, how?: Edit) => void;
  onReset: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [search, setSearch] = useState(filter.search);
  // The URL's search can change under us (the menu link, history): take it over, or the
  // debounce below would write the old text back.
  const [urlSearch, setUrlSearch] = useState(filter.search);
  if (filter.search !== urlSearch) {
    setUrlSearch(filter.search);
    setSearch(filter.search);
  }
  const applySearch = useEffectEvent((value: string) => onChange({ search: value }, 'search'));

  // Search as you type, without a request per keystroke.
  useEffect(() => {
    if (search === filter.search) return;
    const timer = window.setTimeout(() => applySearch(search), 350);
    return () => window.clearTimeout(timer);
  }, [search, filter.search]);

  return (
    <form
      className="filters"
      role="search"
      aria-label={t('filters.label')}
      onSubmit={(e) => {
        e.preventDefault();
        onChange({ search }, 'search');
      }}
    >
      <label className="field field--inline">
        <span className="field__label">{t('filters.search')}</span>
        <input
          type="search"
          name="q"
          maxLength={inputMaxLength(SEARCH_MAX)}
          value={search}
          placeholder={t('filters.searchPlaceholder')}
          onChange={(e) => setSearch(e.target.value)}
        />
      </label>
      <label className="field field--inline">
        <span className="field__label">{t('filters.priority')}</span>
        <select
          name="priority"
          value={filter.priority ?? ''}
          onChange={(e) =>
            onChange({ priority: PRIORITIES.find((p) => p === e.target.value) ?? null })
          }
        >
          <option value="">{t('filters.any')}</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {t(`priority.${p}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field field--inline">
        <span className="field__label">{t('filters.status')}</span>
        <select
          name="status"
          value={filter.status ?? ''}
          onChange={(e) =>
            onChange({ status: FILTER_STATUSES.find((s) => s === e.target.value) ?? null })
          }
        >
          <option value="">{t('filters.any')}</option>
          {FILTER_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(statusKey(s))}
            </option>
          ))}
        </select>
      </label>
      <label className="field field--inline">
        <span className="field__label">{t('filters.service')}</span>
        <select
          name="service"
          value={filter.serviceId ?? ''}
          onChange={(e) => onChange({ serviceId: e.target.value || null })}
        >
          <option value="">{t('filters.any')}</option>
          {services?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.hidden ? t('filters.serviceHidden', { name: s.name }) : s.name}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="field field--inline field--range">
        <legend className="field__label">{t('filters.created')}</legend>
        <div className="field__dates">
          <label htmlFor={`${id}-from`} className="visually-hidden">
            {t('filters.from')}
          </label>
          <input
            id={`${id}-from`}
            type="date"
            name="from"
            value={filter.from ?? ''}
            max={filter.to ?? undefined}
            onChange={(e) => onChange({ from: e.target.value || null }, 'dates')}
          />
          <span aria-hidden="true">–</span>
          <label htmlFor={`${id}-to`} className="visually-hidden">
            {t('filters.to')}
          </label>
          <input
            id={`${id}-to`}
            type="date"
            name="to"
            value={filter.to ?? ''}
            min={filter.from ?? undefined}
            onChange={(e) => onChange({ to: e.target.value || null }, 'dates')}
          />
        </div>
      </fieldset>
      {/* Always in place, only invisible while there is nothing to reset: setting a filter
          must not reflow the bar under the pointer. */}
      <button
        type="button"
        className={`button button--ghost filters__reset${isFiltered(filter) ? '' : ' is-idle'}`}
        aria-hidden={!isFiltered(filter)}
        tabIndex={isFiltered(filter) ? undefined : -1}
        onClick={() => {
          setSearch('');
          onReset();
        }}
      >
        {t('filters.reset')}
      </button>
    </form>
  );
}

function OrdersTable({
  filter,
  sort,
  onSort,
  listKey,
  services,
}: {
  filter: OrdersFilter;
  sort: OrdersSort;
  onSort: (sort: OrdersSort) => void;
  listKey: string;
  /** The business's services, once known: an empty list's hint depends on them. */
  services: readonly ServiceOption[] | undefined;
}) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const navigate = useNavigate();
  const location = useLocation();
  const now = useNow();
  const live = useLiveLeads();
  // Keyset pagination: the cursors of the pages we came through (null = first page), kept
  // for this tab so coming back from an order card returns to the same page.
  const [cursors, setCursors] = useState(() => recallPage(listKey));
  useEffect(() => rememberPage(listKey, cursors), [listKey, cursors]);
  const after = cursors[cursors.length - 1] ?? null;
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: LeadsQuery,
    variables: {
      first: PAGE_SIZE,
      after,
      filter: toLeadFilter(filter),
      sort: sort.field,
      direction: sort.direction,
    },
  });

  // Back to this window after working elsewhere: the page as it is now (other admins' moves
  // are not pushed live; new orders are, below).
  useEffect(() => {
    const refresh = () => reexecute({ requestPolicy: 'network-only' });
    window.addEventListener('focus', refresh);
    return () => window.removeEventListener('focus', refresh);
  }, [reexecute]);

  // A new order arrived: fetch this page again (same filter, same cursor).
  const seenVersion = useRef(live.version);
  useEffect(() => {
    if (live.version === seenVersion.current) return;
    seenVersion.current = live.version;
    reexecute({ requestPolicy: 'network-only' });
  }, [live.version, reexecute]);

  const connection = data?.leads;
  const rows: LeadRowFragment[] = connection?.edges.map((e) => e.node) ?? [];

  // Back from an order's card by its link: the keyboard goes on from that order's row, not from
  // the page's start. Decided once, on the first rows shown (a row that turns up later, after a
  // refetch or a page turn, takes nothing), and only while the focus is where the layout put it.
  const returnedFrom = (location.state as { returnedFrom?: unknown } | null)?.returnedFrom;
  const returned = useRef<unknown>(null);
  const loaded = connection !== undefined;
  useEffect(() => {
    if (typeof returnedFrom !== 'string' || !loaded || returned.current === location.key) return;
    returned.current = location.key;
    const link = document.querySelector<HTMLElement>(
      `tr[data-lead-id="${CSS.escape(returnedFrom)}"] a.row-link`,
    );
    if (!link) return;
    // After the layout's own focus on the screen (its effect runs after this one).
    const frame = requestAnimationFrame(() => {
      const at = document.activeElement;
      if (!at || at === document.body || at.id === 'main') link.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [returnedFrom, location.key, loaded]);
  const page = cursors.length;
  const start = (page - 1) * PAGE_SIZE;
  const fresh = new Set(live.arrived);
  const backTo = { from: `${location.pathname}${location.search}` };

  return (
    <div className="panel">
      <div className="panel__bar">
        <span aria-live="polite" className="panel__status">
          {connection ? <span data-testid="orders-count">{countText(t, connection)}</span> : null}
          {fetching ? <Spinner /> : null}
        </span>
        <SortPicker sort={sort} onSort={onSort} />
      </div>
      <ErrorMessage error={error} />
      {connection && rows.length === 0 ? (
        <p className="empty" data-testid="orders-empty">
          {isFiltered(filter) ? (
            t('orders.emptyFiltered')
          ) : (
            <>
              {t('orders.empty')}{' '}
              {/* Without services on offer the form has nothing to offer: adding them (or
                  showing a hidden one) comes first. With services, customers only need the
                  page's link. Neither hint until the services are known. */}
              {services === undefined ? null : services.length === 0 ? (
                <>
                  {t('orders.emptyHint')} <Link to="/services">{t('orders.emptyServices')}</Link>
                  {' · '}
                </>
              ) : services.every((s) => s.hidden) ? (
                <>
                  {t('orders.emptyHintHidden')}{' '}
                  <Link to="/services">{t('orders.emptyShowServices')}</Link>
                  {' · '}
                </>
              ) : (
                <>{t('orders.emptyHintPublicPage')} </>
              )}
              <a href="/" target="_blank" rel="noopener">
                {t('orders.emptyPublicPage')}
              </a>
            </>
          )}
        </p>
      ) : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="table table--orders" data-testid="orders-table">
            <caption className="visually-hidden">
              {t('orders.caption')}: {sortLabel(t, sort)}
            </caption>
            <thead>
              <tr>
                <th scope="col" className="num hide-tablet">
                  #
                </th>
                <th scope="col">{t('orders.col.priority')}</th>
                <SortableHeading field="SCORE" sort={sort} onSort={onSort} className="num">
                  {t('orders.col.score')}
                </SortableHeading>
                <SortableHeading field="NAME" sort={sort} onSort={onSort}>
                  {t('orders.col.name')}
                </SortableHeading>
                <th scope="col">{t('orders.col.service')}</th>
                <th scope="col">{t('orders.col.budget')}</th>
                <th scope="col" className="hide-tablet">
                  {t('orders.col.deadline')}
                </th>
                <SortableHeading field="STATUS" sort={sort} onSort={onSort}>
                  {t('orders.col.status')}
                </SortableHeading>
                <SortableHeading field="DATE" sort={sort} onSort={onSort}>
                  {t('orders.col.age')}
                </SortableHeading>
              </tr>
            </thead>
            <tbody>
              {rows.map((lead, index) => (
                <tr
                  key={lead.id}
                  data-lead-id={lead.id}
                  className={
                    [fresh.has(lead.id) ? 'row--new' : '', lead.unread ? 'row--unread' : '']
                      .filter(Boolean)
                      .join(' ') || undefined
                  }
                  onClick={(e) => {
                    if ((e.target as HTMLElement).closest('a')) return;
                    void navigate(`/orders/${lead.id}`, { state: backTo });
                  }}
                >
                  <td className="num muted hide-tablet" data-col="index">
                    {start + index + 1}
                  </td>
                  <td data-col="priority">
                    <PriorityBadge priority={lead.priority} />
                  </td>
                  <td className="num" data-col="score">
                    <strong>{lead.score}</strong>
                  </td>
                  <td data-col="name">
                    {lead.unread ? (
                      <span className="unread-dot" data-testid="unread" title={t('orders.unread')}>
                        <span className="visually-hidden">{t('orders.unread')}</span>
                      </span>
                    ) : null}
                    <Link to={`/orders/${lead.id}`} state={backTo} className="row-link">
                      {personName(lead)}
                    </Link>
                    {fresh.has(lead.id) ? <span className="chip">{t('live.new')}</span> : null}
                  </td>
                  <td data-col="service">
                    {serviceLabel(lead, t('orders.noService'), t('orders.deletedService'))}
                  </td>
                  <td data-col="budget">{budgetLabel(lead.budget, i18n)}</td>
                  <td className="hide-tablet" data-col="deadline">
                    {choiceLabel(lead.deadline, i18n) ?? '—'}
                  </td>
                  <td data-col="status">
                    <StatusBadge status={lead.status} />
                  </td>
                  <td data-col="age">
                    <time
                      dateTime={lead.createdAt}
                      title={new Date(lead.createdAt).toLocaleString(locale)}
                    >
                      {formatAge(lead.createdAt, locale, now)}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {connection && (page > 1 || connection.pageInfo.hasNextPage) ? (
        <nav className="pager" aria-label={t('orders.pagination')}>
          <button
            type="button"
            className="button"
            disabled={page === 1}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            ← {t('orders.prev')}
          </button>
          <span data-testid="page-info">
            {t('orders.pageInfo', {
              page,
              from: start + 1,
              to: start + rows.length,
              total: pagerTotal(connection, start + rows.length, locale),
            })}
          </span>
          <button
            type="button"
            className="button"
            disabled={!connection.pageInfo.hasNextPage}
            onClick={() => {
              const next = connection.pageInfo.endCursor;
              if (next) setCursors((c) => [...c, next]);
            }}
          >
            {t('orders.next')} →
          </button>
        </nav>
      ) : null}
    </div>
  );
}

type Translate = ReturnType<typeof useI18n>['t'];

const SORT_FIELDS: readonly LeadSortField[] = ['QUEUE', 'SCORE', 'DATE', 'NAME', 'STATUS'];

function sortLabel(t: Translate, sort: OrdersSort): string {
  const column = t(`orders.sort.${sort.field}`);
  if (isQueue(sort)) return column;
  return `${column}, ${t(sort.direction === 'ASC' ? 'orders.sortAsc' : 'orders.sortDesc')}`;
}

/** A column heading that sorts the list: its natural order first, then the reverse. */
function SortableHeading({
  field,
  sort,
  onSort,
  className,
  children,
}: {
  field: LeadSortField;
  sort: OrdersSort;
  onSort: (sort: OrdersSort) => void;
  className?: string;
  children: ReactNode;
}) {
  const state = ariaSort(sort, field);
  return (
    <th scope="col" className={className} aria-sort={state}>
      <button
        type="button"
        className="th-sort"
        data-sort={field}
        onClick={() => onSort(nextSort(sort, field))}
      >
        {children}
        <span aria-hidden="true" className="th-sort__mark">
          {state === 'ascending' ? '▲' : state === 'descending' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
}

/** The sort as words, a way back to the queue, and (on a phone, where the headings are
 * hidden) a picker. */
function SortPicker({ sort, onSort }: { sort: OrdersSort; onSort: (sort: OrdersSort) => void }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <span className="sort-picker">
      {isQueue(sort) ? null : (
        <>
          <span data-testid="sorted-by" className="hide-phone">
            {t('orders.sortedBy', { column: sortLabel(t, sort) })}
          </span>
          <button
            type="button"
            className="button button--ghost button--small"
            data-testid="queue-order"
            onClick={() => onSort(QUEUE_SORT)}
          >
            {t('orders.queueOrder')}
          </button>
        </>
      )}
      <label htmlFor={id} className="show-phone">
        {t('orders.sortBy')}
      </label>
      <select
        id={id}
        className="show-phone"
        data-testid="sort-select"
        value={sort.field}
        onChange={(e) => {
          const field = SORT_FIELDS.find((f) => f === e.target.value) ?? 'QUEUE';
          onSort(field === 'QUEUE' ? QUEUE_SORT : nextSort(QUEUE_SORT, field));
        }}
      >
        {SORT_FIELDS.map((field) => (
          <option key={field} value={field}>
            {t(`orders.sort.${field}`)}
          </option>
        ))}
      </select>
      {/* The headings' second click, where there are no headings: the other direction. */}
      {isQueue(sort) ? null : (
        <button
          type="button"
          className="button button--ghost button--small show-phone"
          data-testid="sort-direction"
          aria-label={t('orders.sortDirection', {
            direction: t(sort.direction === 'ASC' ? 'orders.sortAsc' : 'orders.sortDesc'),
          })}
          onClick={() => onSort(nextSort(sort, sort.field))}
        >
          {sort.direction === 'ASC' ? '▲' : '▼'}{' '}
          {t(sort.direction === 'ASC' ? 'orders.sortAsc' : 'orders.sortDesc')}
        </button>
      )}
    </span>
  );
}
