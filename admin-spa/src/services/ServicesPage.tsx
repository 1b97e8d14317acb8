import {
  use,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { useMutation, useQuery, useSubscription, type CombinedError } from 'urql';
import { LiveConnectionContext } from '../app/reconnects';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ActionButton } from '../components/ActionButton';
import { ErrorMessage, useDescribedText, useErrorText } from '../components/ErrorMessage';
import { Spinner } from '../components/Spinner';
import { useToasts } from '../components/Toasts';
import { graphql } from '../gql';
import type { MoveDirection, ServiceFieldsFragment } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { describeError, firstError, type Described } from '../lib/errors';
import { formatDateTime, formatMoney } from '../lib/format';
import { SERVICE_DESCRIPTION_MAX, SERVICE_NAME_MAX, inputMaxLength } from '../lib/limits';
import { checkServiceField, parsePrice, type ServiceField } from './validate';
import { useFocusBack } from '../lib/useFocusBack';

graphql(`
  fragment ServiceFields on Service {
    id
    name
    description
    priceFrom
    hidden
    createdAt
    updatedAt
  }
`);

/** Hidden ones too: the admin manages what the form does not show. */
const ServicesQuery = graphql(`
  query Services {
    services(includeHidden: true) {
      ...ServiceFields
    }
  }
`);

/** The business's currency, in which the public page shows the prices too. */
const ServicesCurrencyQuery = graphql(`
  query ServicesCurrency {
    businessSettings {
      currency
    }
  }
`);

const ServicesChangedSubscription = graphql(`
  subscription ServicesChanged {
    servicesChanged {
      ...ServiceFields
    }
  }
`);

const CreateServiceMutation = graphql(`
  mutation CreateService($input: ServiceInput!) {
    createService(input: $input) {
      ...ServiceFields
    }
  }
`);

const UpdateServiceMutation = graphql(`
  mutation UpdateService($id: ID!, $input: ServiceInput!) {
    updateService(id: $id, input: $input) {
      ...ServiceFields
    }
  }
`);

const SetServiceHiddenMutation = graphql(`
  mutation SetServiceHidden($id: ID!, $hidden: Boolean!) {
    setServiceHidden(id: $id, hidden: $hidden) {
      ...ServiceFields
    }
  }
`);

const MoveServiceMutation = graphql(`
  mutation MoveService($id: ID!, $direction: MoveDirection!) {
    moveService(id: $id, direction: $direction) {
      ...ServiceFields
    }
  }
`);

const DeleteServiceMutation = graphql(`
  mutation DeleteService($id: ID!) {
    deleteService(id: $id)
  }
`);

type Field = ServiceField;
type Service = ServiceFieldsFragment;

export function ServicesPage() {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: ServicesQuery });
  // Asked once for the page and handed to the rows: a row (a new one too) asks nothing itself.
  const [{ data: settings }] = useQuery({ query: ServicesCurrencyQuery });
  // RUB until known, as the server's default is.
  const currency = settings?.businessSettings.currency ?? 'RUB';
  // The server pushes the list on offer after every change (ours, another admin's, a hidden
  // service's too): the cue to ask again for the whole list, hidden ones included.
  const [{ data: live }] = useSubscription({ query: ServicesChangedSubscription });
  useEffect(() => {
    if (live) refetch({ requestPolicy: 'network-only' });
  }, [live, refetch]);
  // The live connection came back: a change pushed while it was down was missed, so ask again.
  const { reconnects } = use(LiveConnectionContext);
  const seenReconnects = useRef(reconnects);
  useEffect(() => {
    if (reconnects === seenReconnects.current) return;
    seenReconnects.current = reconnects;
    refetch({ requestPolicy: 'network-only' });
  }, [reconnects, refetch]);
  const [adding, setAdding] = useState(false);
  // The new row, saved or cancelled, leaves with the focus that was in it: the focus goes back
  // to the button that opened it (unless the admin has put it somewhere else meanwhile).
  const addButton = useRef<HTMLButtonElement>(null);
  const wasAdding = useRef(false);
  useEffect(() => {
    const lost = !document.activeElement || document.activeElement === document.body;
    if (wasAdding.current && !adding && lost) addButton.current?.focus();
    wasAdding.current = adding;
  }, [adding]);
  const [deleting, setDeleting] = useState<Service | null>(null);
  const [, remove] = useMutation(DeleteServiceMutation);
  const { push } = useToasts();
  const errorText = useErrorText();
  // The order a move answered with, shown until the list is fetched again (it follows at
  // once: the move is announced), so a row never jumps back for a moment.
  const [moved, setMoved] = useState<{ over: typeof data; order: readonly Service[] } | null>(null);
  const services = moved && moved.over === data ? moved.order : data?.services;
  // Where the last move put its service, for screen readers (the bar is a live region).
  const [movedNote, setMovedNote] = useState('');
  const onMoved = (id: string, order: readonly Service[]) => {
    setMoved({ over: data, order });
    const place = order.findIndex((s) => s.id === id);
    const name = order[place]?.name ?? '';
    setMovedNote(t('services.movedTo', { name, place: place + 1, count: order.length }));
  };

  return (
    <section className="page" aria-labelledby="services-title">
      <div className="page__head">
        <div>
          <h1 id="services-title">{t('services.title')}</h1>
          <p className="muted">{t('services.intro')}</p>
        </div>
        <button
          ref={addButton}
          type="button"
          className="button button--primary"
          onClick={() => setAdding(true)}
          disabled={adding}
          data-testid="add-service"
        >
          + {t('services.add')}
        </button>
      </div>
      <ErrorMessage error={error} />
      {fetching && !data ? <Spinner /> : null}
      <div className="panel">
        <div className="panel__bar" aria-live="polite">
          {services ? <ServiceCount services={services} /> : null}
          <span className="visually-hidden">{movedNote}</span>
        </div>
        <div className="table-wrap">
          <table className="table table--services" data-testid="services-table">
            <caption className="visually-hidden">{t('services.caption')}</caption>
            <thead>
              <tr>
                <th scope="col" className="col-name">
                  {t('services.col.name')}
                </th>
                <th scope="col">{t('services.col.description')}</th>
                <th scope="col" className="col-price">
                  {t('services.col.price')}
                </th>
                <th scope="col" className="hide-tablet">
                  {t('services.col.updated')}
                </th>
                <th scope="col" className="col-actions">
                  <span className="visually-hidden">{t('services.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {adding ? (
                <NewServiceRow
                  onDone={() => {
                    setAdding(false);
                    refetch({ requestPolicy: 'network-only' });
                  }}
                />
              ) : null}
              {services?.map((service, index) => (
                <ServiceRow
                  key={service.id}
                  service={service}
                  currency={currency}
                  index={index}
                  last={index === services.length - 1}
                  onMoved={(order) => onMoved(service.id, order)}
                  onDelete={() => setDeleting(service)}
                />
              ))}
              {services?.length === 0 && !adding ? (
                <tr>
                  <td colSpan={5} className="empty">
                    {t('services.empty')}{' '}
                    <a href="/" target="_blank" rel="noopener">
                      {t('services.publicPage')}
                    </a>
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title={t('services.deleteTitle')}
        confirmLabel={t('services.deleteConfirm')}
        onCancel={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          const target = deleting;
          const result = await remove({ id: target.id });
          setDeleting(null);
          if (result.error) {
            push({
              title: t('services.deleteFailed'),
              body: errorText(firstError(result.error)) ?? undefined,
              tone: 'urgent',
            });
          } else {
            push({ title: t('services.deleted', { name: target.name }) });
            refetch({ requestPolicy: 'network-only' });
          }
        }}
      >
        {deleting ? t('services.deleteBody', { name: deleting.name }) : ''}
      </ConfirmDialog>
    </section>
  );
}

/** How many services, and how many of them the form does not show. */
function ServiceCount({ services }: { services: readonly Service[] }) {
  const { t } = useI18n();
  const hidden = services.filter((s) => s.hidden).length;
  return (
    <span data-testid="services-count">
      {t('services.count', { count: services.length })}
      {hidden ? ` · ${t('services.hiddenCount', { count: hidden })}` : null}
    </span>
  );
}

function ServiceRow({
  service,
  currency,
  index,
  last,
  onMoved,
  onDelete,
}: {
  service: Service;
  /** The business's currency (the settings'), in which the price is shown. */
  currency: string;
  /** Its place in the list; first or last, it cannot move further that way. */
  index: number;
  last: boolean;
  onMoved: (order: readonly Service[]) => void;
  onDelete: () => void;
}) {
  const { t, locale } = useI18n();
  const [hiding, setHidden] = useMutation(SetServiceHiddenMutation);
  const [moving, move] = useMutation(MoveServiceMutation);
  const upArrow = useRef<HTMLButtonElement>(null);
  const downArrow = useRef<HTMLButtonElement>(null);
  // The arrow pressed last. When the row moves, the browser may take the focus off it (React
  // moves one of the two rows' elements, and a moved element loses the focus): it goes back,
  // so the next press moves the row again — unless the admin has put it somewhere meanwhile.
  const pressed = useRef<MoveDirection | null>(null);
  useLayoutEffect(() => {
    const direction = pressed.current;
    pressed.current = null;
    const lost = !document.activeElement || document.activeElement === document.body;
    if (direction && lost) (direction === 'UP' ? upArrow : downArrow).current?.focus();
  }, [index]);
  const moveTo = async (direction: MoveDirection) => {
    pressed.current = direction;
    const result = await move({ id: service.id, direction });
    if (result.data) onMoved(result.data.moveService);
    else
      push({
        title: t('services.moveFailed'),
        body: errorText(firstError(result.error)) ?? undefined,
        tone: 'urgent',
      });
  };
  const { push } = useToasts();
  const errorText = useErrorText();
  const toggle = async () => {
    const hidden = !service.hidden;
    const result = await setHidden({ id: service.id, hidden });
    if (result.error) {
      push({
        title: t(hidden ? 'services.hideFailed' : 'services.showFailed'),
        body: errorText(firstError(result.error)) ?? undefined,
        tone: 'urgent',
      });
    } else {
      push({ title: t(hidden ? 'services.hidden' : 'services.shown', { name: service.name }) });
    }
  };
  return (
    <tr data-service-id={service.id} className={service.hidden ? 'row--hidden' : undefined}>
      <td className="col-name">
        <EditableCell service={service} field="name" currency={currency} />
        {service.hidden ? (
          <span className="badge badge--muted" data-testid="service-hidden">
            {t('services.hiddenBadge')}
          </span>
        ) : null}
      </td>
      <td>
        <EditableCell service={service} field="description" currency={currency} />
      </td>
      <td className="col-price">
        <EditableCell service={service} field="priceFrom" currency={currency} />
      </td>
      <td className="hide-tablet muted">
        <time dateTime={service.updatedAt}>{formatDateTime(service.updatedAt, locale)}</time>
      </td>
      <td className="col-actions">
        <div className="row-actions">
          <ArrowButton
            ref={upArrow}
            symbol="↑"
            label={t('services.moveUp', { name: service.name })}
            inactive={index === 0 || moving.fetching}
            onClick={() => void moveTo('UP')}
          />
          <ArrowButton
            ref={downArrow}
            symbol="↓"
            label={t('services.moveDown', { name: service.name })}
            inactive={last || moving.fetching}
            onClick={() => void moveTo('DOWN')}
          />
          <ActionButton
            className="button button--small"
            onClick={() => void toggle()}
            inactive={hiding.fetching}
            aria-label={t(service.hidden ? 'services.showNamed' : 'services.hideNamed', {
              name: service.name,
            })}
          >
            {t(service.hidden ? 'services.show' : 'services.hide')}
          </ActionButton>
          <button
            type="button"
            className="button button--danger button--small"
            onClick={onDelete}
            aria-label={t('services.deleteNamed', { name: service.name })}
          >
            {t('services.delete')}
          </button>
        </div>
      </td>
    </tr>
  );
}

/** An arrow that moves a service; its label (also its tooltip) says which and where. */
function ArrowButton({
  ref,
  symbol,
  label,
  inactive,
  onClick,
}: {
  ref: RefObject<HTMLButtonElement | null>;
  symbol: string;
  label: string;
  inactive: boolean;
  onClick: () => void;
}) {
  return (
    <ActionButton
      ref={ref}
      className="button button--small button--icon"
      onClick={onClick}
      inactive={inactive}
      aria-label={label}
      title={label}
    >
      {symbol}
    </ActionButton>
  );
}

/** A cell that turns into an input on click / Enter; Enter (Ctrl+Enter in text areas) or
 * leaving saves, Escape cancels; the server's validation message stays on the cell. */
function EditableCell({
  service,
  field,
  currency,
}: {
  service: Service;
  field: Field;
  currency: string;
}) {
  const { t, locale } = useI18n();
  const say = useDescribedText();
  const id = useId();
  const current =
    field === 'name'
      ? service.name
      : field === 'description'
        ? (service.description ?? '')
        : (service.priceFrom?.toString() ?? '');
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(current);
  const [error, setError] = useState<Described | null>(null);
  const [state, update] = useMutation(UpdateServiceMutation);
  const button = useFocusBack<HTMLButtonElement>(editing);

  const cancel = () => {
    setValue(current);
    setError(null);
    setEditing(false);
  };

  const save = async () => {
    if (state.fetching) return;
    if (value === current) {
      cancel();
      return;
    }
    const local = checkServiceField(field, value);
    if (local) {
      setError(local);
      return;
    }
    const input = {
      name: field === 'name' ? value : service.name,
      description: field === 'description' ? value : (service.description ?? ''),
      // Editing one cell keeps the rest of the service as it is.
      priceFrom: field === 'priceFrom' ? parsePrice(value) : service.priceFrom,
    };
    const result = await update({ id: service.id, input });
    const refused = firstError(result.error);
    if (refused) {
      setError(describeError(refused));
      return;
    }
    setError(null);
    setEditing(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      cancel();
    } else if (
      event.key === 'Enter' &&
      (field !== 'description' || event.ctrlKey || event.metaKey)
    ) {
      event.preventDefault();
      void save();
    }
  };

  const label = t(
    field === 'name'
      ? 'services.col.name'
      : field === 'description'
        ? 'services.col.description'
        : 'services.col.price',
  );
  if (!editing) {
    // What the cell shows is what a screen reader says after "Edit: Price" ("от 3 200 ₽": the
    // column's "Price from" would say "from" twice).
    const named = field === 'priceFrom' ? t('services.field.price') : label;
    const shown = current
      ? field === 'priceFrom'
        ? t('services.priceFrom', { price: formatMoney(Number(current), locale, currency) })
        : current
      : t(field === 'priceFrom' ? 'services.noPrice' : 'services.noDescription');
    return (
      <button
        ref={button}
        type="button"
        className={`cell-edit${current ? '' : ' muted'}`}
        data-field={field}
        aria-label={`${t('services.edit', { field: named })}: ${shown}`}
        onClick={() => {
          setValue(current);
          setEditing(true);
        }}
      >
        {shown}
      </button>
    );
  }

  const message = say(error);
  const common = {
    id: `${id}-input`,
    name: field,
    value,
    autoFocus: true,
    'aria-label': label,
    'aria-invalid': message ? true : undefined,
    'aria-describedby': message ? `${id}-err` : `${id}-hint`,
    onChange: (e: { target: { value: string } }) => setValue(e.target.value),
    onKeyDown,
    onBlur: () => void save(),
    // Read-only, not disabled, while saving: a disabled field drops the keyboard focus, and a
    // refused value must stay where the admin can correct it.
    readOnly: state.fetching,
    'aria-busy': state.fetching || undefined,
  };
  return (
    <div className={`cell-editor${message ? ' cell-editor--invalid' : ''}`}>
      {field === 'name' ? (
        <input {...common} maxLength={inputMaxLength(SERVICE_NAME_MAX)} />
      ) : field === 'priceFrom' ? (
        <input {...common} inputMode="numeric" maxLength={13} />
      ) : (
        <textarea {...common} rows={3} maxLength={inputMaxLength(SERVICE_DESCRIPTION_MAX)} />
      )}
      {message ? (
        <span className="field__error" id={`${id}-err`} role="alert">
          {message}
        </span>
      ) : (
        <span className="field__hint" id={`${id}-hint`}>
          {field === 'description' ? t('services.hintDescription') : t('services.hintName')}
        </span>
      )}
    </div>
  );
}

function NewServiceRow({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const say = useDescribedText();
  const errorText = useErrorText();
  const id = useId();
  const [values, setValues] = useState<Record<Field, string>>({
    name: '',
    description: '',
    priceFrom: '',
  });
  const [state, create] = useMutation(CreateServiceMutation);
  // What the last try found wrong: the checks made here first, else the server's refusal. A
  // new try starts clean, so nothing stale stays beside a field.
  const [local, setLocal] = useState<Partial<Record<Field, Described>>>({});
  const [refused, setRefused] = useState<CombinedError | undefined>(undefined);
  const serverError = firstError(refused);
  const errorFor = (field: Field) => {
    const mine = local[field];
    if (mine) return say(mine);
    return serverError?.field === field ? errorText(serverError) : null;
  };
  const general = serverError && !serverError.field ? refused : undefined;
  const set = (field: Field) => (e: { target: { value: string } }) =>
    setValues((prev) => ({ ...prev, [field]: e.target.value }));

  const save = async () => {
    if (state.fetching) return;
    // The same checks as editing a cell, on every field at once.
    const found: Partial<Record<Field, Described>> = {};
    for (const field of FIELDS) {
      const problem = checkServiceField(field, values[field]);
      if (problem) found[field] = problem;
    }
    setLocal(found);
    setRefused(undefined);
    if (Object.keys(found).length > 0) return;
    const input = {
      name: values.name,
      description: values.description,
      priceFrom: parsePrice(values.priceFrom),
    };
    const result = await create({ input });
    if (result.error) setRefused(result.error);
    else onDone();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') onDone();
    if (event.key === 'Enter' && (event.target instanceof HTMLInputElement || event.ctrlKey)) {
      event.preventDefault();
      void save();
    }
  };

  /** The editor's frame, the input's error attributes and the error beside it. */
  const cell = (field: Field, render: (attrs: FieldAttrs) => ReactNode, extra?: ReactNode) => {
    const message = errorFor(field);
    const errorId = `${id}-${field}-err`;
    return (
      <div className={`cell-editor${message ? ' cell-editor--invalid' : ''}`}>
        {render({
          'aria-invalid': message ? true : undefined,
          'aria-describedby': message ? errorId : undefined,
        })}
        {message ? (
          <span className="field__error" id={errorId} role="alert">
            {message}
          </span>
        ) : null}
        {extra}
      </div>
    );
  };

  return (
    <tr className="row--editing" data-testid="new-service-row" onKeyDown={onKeyDown}>
      <td className="col-name">
        {cell('name', (attrs) => (
          <input
            name="name"
            autoFocus
            value={values.name}
            onChange={set('name')}
            aria-label={t('services.col.name')}
            placeholder={t('services.namePlaceholder')}
            maxLength={inputMaxLength(SERVICE_NAME_MAX)}
            {...attrs}
          />
        ))}
      </td>
      <td>
        {cell(
          'description',
          (attrs) => (
            <textarea
              name="description"
              rows={2}
              value={values.description}
              onChange={set('description')}
              aria-label={t('services.col.description')}
              placeholder={t('services.descriptionPlaceholder')}
              maxLength={inputMaxLength(SERVICE_DESCRIPTION_MAX)}
              {...attrs}
            />
          ),
          <ErrorMessage error={general} />,
        )}
      </td>
      <td className="col-price">
        {cell('priceFrom', (attrs) => (
          <input
            name="priceFrom"
            inputMode="numeric"
            maxLength={13}
            value={values.priceFrom}
            onChange={set('priceFrom')}
            aria-label={t('services.col.price')}
            {...attrs}
          />
        ))}
      </td>
      <td className="hide-tablet" />
      <td className="col-actions">
        <div className="row-actions">
          <ActionButton
            className="button button--primary button--small"
            onClick={() => void save()}
            inactive={state.fetching}
          >
            {t('common.save')}
          </ActionButton>
          <button type="button" className="button button--small" onClick={onDone}>
            {t('common.cancel')}
          </button>
        </div>
      </td>
    </tr>
  );
}

const FIELDS: readonly Field[] = ['name', 'description', 'priceFrom'];

interface FieldAttrs {
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}
