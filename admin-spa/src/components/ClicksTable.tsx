import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { formatNumber } from '../lib/format';

export interface Click {
  element: string;
  count: number;
}

interface ClicksTableProps {
  clicks: readonly Click[];
  /** Read by screen readers only: the heading above the table says it for everyone else. */
  caption: string;
  testId?: string;
  /** The element's cell: its readable name (statistics); by default the tracker's key. */
  renderName?: (element: string) => ReactNode;
}

/** Elements by clicks, most clicked first, each with a bar against the most clicked one. */
export function ClicksTable({ clicks, caption, testId, renderName }: ClicksTableProps) {
  const { t, locale } = useI18n();
  const rows = [...clicks].sort((a, b) => b.count - a.count);
  const top = rows[0]?.count ?? 0;
  return (
    <table className="table table--compact" data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('stats.element')}</th>
          <th scope="col" className="num">
            {t('stats.clicks')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.element}>
            <td>
              {renderName ? renderName(c.element) : <code>{c.element}</code>}
              <span className="minibar" aria-hidden="true">
                <span
                  style={{ width: `${String(top > 0 ? Math.round((c.count / top) * 100) : 0)}%` }}
                />
              </span>
            </td>
            <td className="num">{formatNumber(c.count, locale)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
