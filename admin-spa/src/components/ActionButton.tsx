import type { ComponentProps, MouseEvent } from 'react';

/** A button that is sometimes not to be pressed (its request is on its way, or there is
 * nothing to save), yet keeps the keyboard focus: a `disabled` button drops it to the page's
 * start the moment the admin presses it. Inactive, it says so (`aria-disabled`, the disabled
 * look) and its click does nothing, a form's submission included. */
export function ActionButton({
  inactive,
  onClick,
  ...props
}: ComponentProps<'button'> & { inactive: boolean }) {
  return (
    <button
      type="button"
      {...props}
      aria-disabled={inactive || undefined}
      onClick={(event: MouseEvent<HTMLButtonElement>) => {
        if (inactive) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
    />
  );
}
