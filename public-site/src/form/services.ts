// Fills the service select and keeps the visitor's choice when the list changes under them.

import type { ServiceItem } from '../api/documents.ts';

export type RenderOutcome = 'kept' | 'removed';

/**
 * Replaces every option after the first ("help me choose") with `services`, in order.
 * Returns `removed` when the chosen service is no longer in the list (the choice is cleared).
 */
export function renderServices(
  select: HTMLSelectElement,
  services: readonly Pick<ServiceItem, 'id' | 'name'>[],
): RenderOutcome {
  const chosen = select.value;
  const first = select.options[0];
  const options = services.map((service) => {
    const option = select.ownerDocument.createElement('option');
    option.value = service.id;
    option.textContent = service.name;
    return option;
  });
  select.replaceChildren(...(first ? [first] : []), ...options);
  if (chosen && services.some((s) => s.id === chosen)) {
    select.value = chosen;
    return 'kept';
  }
  select.value = '';
  return chosen ? 'removed' : 'kept';
}
