// The owner's names for the page's elements and form fields: read with the statistics, shown
// before the page's own label (see pageElements.ts), and edited inline in the statistics tables.
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { useDescribedText } from '../components/ErrorMessage';
import { graphql } from '../gql';
import { useI18n } from '../i18n/I18nProvider';
import { describeError, firstError, type Described } from '../lib/errors';
import { inputMaxLength } from '../lib/limits';
import type { LabelKind, Namer, OwnerLabel } from './pageElements';
import { useFocusBack } from '../lib/useFocusBack';

/** The server's limit (`server/src/metrics/labels.rs`, LABEL_MAX). */
export const LABEL_MAX = 100;

const ElementLabelsQuery = graphql(`
  query ElementLabels {
    elementLabels {
      kind
      element
      label
    }
  }
`);

const SetElementLabelMutation = graphql(`
  mutation SetElementLabel($input: ElementLabelInput!) {
    setElementLabel(input: $input) {
      kind
      element
      label
    }
  }
`);

/** The owner's names, and a way to read them again after one changed. */
export function useOwnerLabels(): { labels: readonly OwnerLabel[]; refetch: () => void } {
  const [{ data }, reexecute] = useQuery({ query: ElementLabelsQuery });
  const labels = useMemo(() => data?.elementLabels ?? [], [data]);
  return { labels, refetch: () => reexecute({ requestPolicy: 'network-only' }) };
}

interface LabelCellProps {
  kind: LabelKind;
  /** The tracker's key. */
  element: string;
  namer: Namer;
  /** What to call it when neither the owner nor the page names it. */
  fallback: string;
  onSaved: () => void;
}

/** An element's name in a table cell, with a button to rename it in place: Enter saves, Escape
 * cancels, an empty name gives the page's own label back. */
export function LabelCell({ kind, element, namer, fallback, onSaved }: LabelCellProps) {
  const { t } = useI18n();
  const say = useDescribedText();
  const id = useId();
  const owner = namer.owner(kind, element);
  const pageName = namer.page(kind, element);
  const shown = owner ?? pageName ?? fallback;
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(owner ?? '');
  const [error, setError] = useState<Described | null>(null);
  const [state, setLabel] = useMutation(SetElementLabelMutation);
  const button = useFocusBack<HTMLButtonElement>(editing);

  const cancel = () => {
    setValue(owner ?? '');
    setError(null);
    setEditing(false);
  };

  const save = async () => {
    if (state.fetching) return;
    if (value.trim() === (owner ?? '')) {
      cancel();
      return;
    }
    const result = await setLabel({ input: { kind, element, label: value } });
    const refused = firstError(result.error);
    if (refused) {
      setError(describeError(refused));
      return;
    }
    setError(null);
    setEditing(false);
    onSaved();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      cancel();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      void save();
    }
  };

  if (!editing) {
    return (
      <span className="label-cell" data-kind={kind} data-element={element}>
        <span className="label-cell__name" data-testid="element-name">
          {shown}
        </span>
        <button
          ref={button}
          type="button"
          className="icon-button label-cell__edit"
          aria-label={t('stats.rename', { name: shown })}
          title={t('stats.rename', { name: shown })}
          onClick={() => {
            setValue(owner ?? '');
            setEditing(true);
          }}
        >
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path
              d="M11.3 1.7a1 1 0 0 1 1.4 0l1.6 1.6a1 1 0 0 1 0 1.4L5.6 13.4 2 14l.6-3.6 8.7-8.7Z"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.4"
              strokeLinejoin="round"
            />
          </svg>
        </button>
      </span>
    );
  }

  const message = say(error);
  return (
    <span
      className={`cell-editor label-editor${message ? ' cell-editor--invalid' : ''}`}
      data-kind={kind}
      data-element={element}
    >
      <span className="label-editor__row">
        <input
          id={`${id}-input`}
          name="label"
          value={value}
          autoFocus
          placeholder={pageName ?? fallback}
          aria-label={t('stats.labelFor', { name: pageName ?? fallback })}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? `${id}-err` : `${id}-hint`}
          maxLength={inputMaxLength(LABEL_MAX)}
          readOnly={state.fetching}
          aria-busy={state.fetching || undefined}
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="button" className="button button--small" onClick={() => void save()}>
          {t('common.save')}
        </button>
        <button type="button" className="button button--small button--ghost" onClick={cancel}>
          {t('common.cancel')}
        </button>
      </span>
      {message ? (
        <span className="field__error" id={`${id}-err`} role="alert">
          {message}
        </span>
      ) : (
        <span className="field__hint" id={`${id}-hint`}>
          {t('stats.labelHint')}
        </span>
      )}
    </span>
  );
}
