import { useRef, type KeyboardEvent } from 'react';

export interface SegmentedOption<T> {
  value: T;
  label: string;
}

interface SegmentedProps<T> {
  /** The group's accessible name. */
  label: string;
  options: readonly SegmentedOption<T>[];
  value: T;
  onChange: (value: T) => void;
}

/** Where each key moves within the group, wrapping round (WAI-ARIA radio group pattern). */
const MOVES: Partial<Record<string, (index: number, count: number) => number>> = {
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowDown: (i, n) => (i + 1) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  ArrowUp: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_i, n) => n - 1,
};

/**
 * One choice of a few, as a row of buttons: a radio group. Tab reaches the chosen button only
 * (roving tabindex); the arrow keys, Home and End choose another and move the focus with it.
 */
export function Segmented<T extends string | number>({
  label,
  options,
  value,
  onChange,
}: SegmentedProps<T>) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const checked = options.findIndex((o) => o.value === value);
  const tabStop = checked < 0 ? 0 : checked;

  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const to = MOVES[event.key]?.(index, options.length);
    const next = to === undefined ? undefined : options[to];
    if (to === undefined || !next) return;
    event.preventDefault();
    onChange(next.value);
    buttons.current[to]?.focus();
  };

  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {options.map((option, index) => (
        <button
          key={String(option.value)}
          ref={(el) => {
            buttons.current[index] = el;
          }}
          type="button"
          role="radio"
          aria-checked={index === checked}
          tabIndex={index === tabStop ? 0 : -1}
          className="segmented__item"
          onClick={() => onChange(option.value)}
          onKeyDown={(event) => onKeyDown(event, index)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
