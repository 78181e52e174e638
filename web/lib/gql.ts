/**
 * A small typed GraphQL client. Each operation is written once in lib/ops/* as
 * `op(graphql(\`…\`))`; its result and variable types are generated from the api's schema
 * (@graphql-codegen/client-preset, web/codegen.ts → lib/gql/generated/). Queries and mutations
 * go same-origin to `/graphql` (proxied to the api by app/graphql/route.ts, so the
 * httpOnly session cookie lives on the web origin); subscriptions use graphql-ws (lib/ws.ts).
 */

export type ErrorCode =
  'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'UNAVAILABLE' | 'INTERNAL' | 'NETWORK' | 'GRAPHQL_VALIDATION_FAILED';

export interface Operation<TData, TVars> {
  readonly query: string;
  readonly name: string;
  /** Phantom field: carries the types, never set at runtime. */
  readonly __types?: (vars: TVars) => TData;
}

export type Empty = Record<string, never>;

/** A generated typed document (a TypedDocumentString from lib/gql/generated): its text carries the types. */
export interface TypedDocument<TData, TVars> {
  toString(): string;
  readonly __apiType?: (variables: TVars) => TData;
}

/** The request form of a generated document: its full text (fragments included) and operation name. */
export function op<TData, TVars>(doc: TypedDocument<TData, TVars>): Operation<TData, TVars> {
  const query = doc.toString();
  const m = /(?:query|mutation|subscription)\s+(\w+)/.exec(query);
  // graphql() returns {} for a text codegen has not seen: fail loudly, never send "[object Object]".
  if (!m?.[1]) throw new Error(`Not a generated, named GraphQL operation: ${query.slice(0, 80)}. Run: npm run codegen -w @sluice/web`);
  return { query, name: m[1] };
}

export interface GraphQLErrorShape {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [k: string]: unknown };
}

const KNOWN: ReadonlySet<string> = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'UNAVAILABLE',
  'INTERNAL',
  'GRAPHQL_VALIDATION_FAILED',
  'NETWORK',
]);

/** One error type for everything a request can fail with; `code` drives the UI. */
export class GqlError extends Error {
  readonly code: ErrorCode;
  readonly details: GraphQLErrorShape[];
  constructor(code: ErrorCode, message: string, details: GraphQLErrorShape[] = []) {
    super(message);
    this.name = 'GqlError';
    this.code = code;
    this.details = details;
  }

  static from(errors: GraphQLErrorShape[]): GqlError {
    const first = errors[0];
    const raw = first?.extensions?.code ?? 'INTERNAL';
    const code = (KNOWN.has(raw) ? raw : raw === 'BAD_REQUEST' ? 'BAD_USER_INPUT' : 'INTERNAL') as ErrorCode;
    const message = [...new Set(errors.map((e) => e.message).filter(Boolean))].join('; ') || 'The request failed.';
    return new GqlError(code, message, errors);
  }

  /** Per-field messages when the api reports them (extensions.fields or extensions.issues). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      const ext = d.extensions ?? {};
      const field = ext['field'];
      if (typeof field === 'string' && field) out[field.replace(/^input\./, '')] = d.message;
      const fields = ext['fields'];
      if (fields && typeof fields === 'object' && !Array.isArray(fields)) {
        for (const [k, v] of Object.entries(fields as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
      }
      const issues = ext['issues'];
      if (Array.isArray(issues)) {
        for (const i of issues as Array<{ path?: unknown; message?: unknown }>) {
          const p = Array.isArray(i.path) ? i.path.join('.') : typeof i.path === 'string' ? i.path : '';
          if (p && typeof i.message === 'string') out[p] = i.message;
        }
      }
    }
    return out;
  }
}

/** The sentence the UI shows for an error, per code. */
export function describeError(err: unknown): string {
  if (err instanceof GqlError) {
    switch (err.code) {
      case 'UNAUTHENTICATED':
        return err.message && !/^unauthenticated$/i.test(err.message) ? err.message : 'You are not signed in. Please log in again.';
      case 'FORBIDDEN':
        return `Your role does not allow this. ${err.message}`.trim();
      case 'NOT_FOUND':
        return `Not found: ${err.message}. It may have been deleted.`;
      case 'BAD_USER_INPUT':
        return err.message;
      case 'CONFLICT':
      case 'UNAVAILABLE':
        return err.message;
      case 'NETWORK':
        return err.message;
      case 'GRAPHQL_VALIDATION_FAILED':
        return `The portal and the api disagree about the schema: ${err.message}`;
      default:
        return `The server hit an unexpected error (${err.message}). Try again; if it persists, quote the request id to support.`;
    }
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

export const GRAPHQL_PATH = '/graphql';

export async function request<TData, TVars>(op: Operation<TData, TVars>, variables: TVars, init?: { signal?: AbortSignal }): Promise<TData> {
  let res: Response;
  try {
    res = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query: op.query, operationName: op.name, variables }),
      signal: init?.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new GqlError('NETWORK', 'Cannot reach the Sluice api. Check your connection and try again.');
  }
  let body: { data?: TData | null; errors?: GraphQLErrorShape[] } | undefined;
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new GqlError(
      res.status === 502 || res.status === 503 || res.status === 504 ? 'NETWORK' : 'INTERNAL',
      res.status >= 500 ? `The api is unavailable (HTTP ${res.status}). Try again in a moment.` : `Unexpected response (HTTP ${res.status}).`,
    );
  }
  if (body?.errors && body.errors.length > 0) throw GqlError.from(body.errors);
  if (!body || body.data == null) throw new GqlError('INTERNAL', `Empty response (HTTP ${res.status}).`);
  return body.data;
}
