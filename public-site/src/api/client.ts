// The page's one GraphQL client: POST JSON to /graphql (same origin). Documents are typed
// strings (see documents.ts), so a call's variables and result are checked by the compiler.

/** A GraphQL document whose result and variables types travel with it. */
export type Document<TData, TVars> = string & { readonly __types?: [TData, TVars] };

export const doc = <TData, TVars = Record<string, never>>(text: string) =>
  text as Document<TData, TVars>;

export interface GraphQLError {
  message: string;
  /** `reason` (the schema's ValidationReason) with its bounds `max`/`min` on BAD_USER_INPUT. */
  extensions?: { code?: string; field?: string; reason?: unknown; max?: unknown; min?: unknown };
}

export type Result<TData> =
  | { ok: true; data: TData }
  | { ok: false; errors: GraphQLError[] }
  | { ok: false; network: true; errors: [] };

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export const ENDPOINT = '/graphql';

export function encode<TData, TVars>(document: Document<TData, TVars>, variables: TVars): string {
  return JSON.stringify({ query: document, variables });
}

export function codes(errors: readonly GraphQLError[]): string[] {
  return errors.map((e) => e.extensions?.code ?? 'UNKNOWN');
}

export function createClient(fetchImpl: FetchLike, endpoint = ENDPOINT) {
  return async function execute<TData, TVars>(
    document: Document<TData, TVars>,
    variables: TVars,
    init: { keepalive?: boolean } = {},
  ): Promise<Result<TData>> {
    let body: { data?: TData | null; errors?: GraphQLError[] };
    try {
      const response = await fetchImpl(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: encode(document, variables),
        keepalive: init.keepalive === true,
        credentials: 'same-origin',
      });
      if (!response.headers.get('content-type')?.includes('json')) {
        // nginx's edge limit answers 429 with a page of its own: the same refusal as the server's.
        const extensions = response.status === 429 ? { code: 'RATE_LIMITED' } : {};
        return { ok: false, errors: [{ message: `HTTP ${response.status}`, extensions }] };
      }
      body = (await response.json()) as typeof body;
    } catch {
      return { ok: false, network: true, errors: [] };
    }
    if (body.errors?.length || body.data == null) {
      return { ok: false, errors: body.errors ?? [{ message: 'empty response' }] };
    }
    return { ok: true, data: body.data };
  };
}

export type Execute = ReturnType<typeof createClient>;
