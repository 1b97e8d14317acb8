// CSV export of the current filter: the server streams it with the bearer token; we save the
// blob under the server's file name.

export type ExportResult = 'ok' | 'unauthenticated' | 'error';

/** `people`: a spreadsheet in the admin's language and time zone (Russian: `;`-separated);
 * `machine`: the stable machine columns for scripts. */
export type ExportFormat = 'people' | 'machine';

/** The filter's query plus the format's parameters. */
export function exportQuery(
  filterQuery: string,
  format: ExportFormat,
  lang: string,
  timeZone: string = Intl.DateTimeFormat().resolvedOptions().timeZone,
): string {
  const params = new URLSearchParams(filterQuery);
  if (format === 'people') {
    params.set('format', 'people');
    params.set('lang', lang);
    if (timeZone) params.set('tz', timeZone);
  }
  return params.toString();
}

function fileName(disposition: string | null): string {
  const match = disposition ? /filename="?([^";]+)"?/.exec(disposition) : null;
  return match?.[1] ?? 'leads.csv';
}

export async function downloadLeadsCsv(token: string, query: string): Promise<ExportResult> {
  let response: Response;
  try {
    response = await fetch(`/export/leads.csv${query ? `?${query}` : ''}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  } catch {
    return 'error';
  }
  if (response.status === 401) return 'unauthenticated';
  if (!response.ok) return 'error';
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName(response.headers.get('content-disposition'));
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return 'ok';
}
