/**
 * One error type for the whole api. Services throw AppError; the transport maps
 * it to GraphQL `extensions.code` in exactly one place (`toGraphQLError`).
 * Anything that is not an AppError becomes INTERNAL "internal error, request id X":
 * no stack trace, SQL or driver message ever reaches a client.
 */
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { z } from 'zod';

export const ERROR_CODES = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'UNAVAILABLE', 'INTERNAL'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Extra, client-safe fields copied into `extensions` (e.g. `field`, `retryAfterSeconds`). */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  static unauthenticated(message = 'not signed in: send a session cookie or an "Authorization: Bearer <token>" header') {
    return new AppError('UNAUTHENTICATED', message);
  }
  static forbidden(message: string, details?: Record<string, unknown>) {
    return new AppError('FORBIDDEN', message, details);
  }
  /** The same message whether the object is missing or belongs to another tenant. */
  static notFound(what: string, id?: string) {
    return new AppError('NOT_FOUND', id ? `${what} ${id} not found` : `${what} not found`);
  }
  static badInput(message: string, field?: string) {
    return new AppError('BAD_USER_INPUT', message, field ? { field } : {});
  }
  static conflict(message: string, details?: Record<string, unknown>) {
    return new AppError('CONFLICT', message, details);
  }
  /** A dependency (Redis, an agent) is unreachable right now: say which, and what to do. Nothing was changed. */
  static unavailable(message: string, details?: Record<string, unknown>) {
    return new AppError('UNAVAILABLE', message, details);
  }
  static internal(requestId: string) {
    return new AppError('INTERNAL', `internal error, request id ${requestId}`, { requestId });
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** "input.name: Too big: expected string to have <=100 characters; input.kind: ..." */
export function describeZodIssues(issues: z.core.$ZodIssue[], root?: string): string {
  return issues
    .slice(0, 10)
    .map((i) => {
      const path = [root, ...i.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}

/** Parses with zod and throws BAD_USER_INPUT naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, root?: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const first = r.error.issues[0];
    const field = [root, ...(first?.path ?? []).map(String)].filter(Boolean).join('.');
    throw new AppError('BAD_USER_INPUT', describeZodIssues(r.error.issues, root), field ? { field } : {});
  }
  return r.data;
}

export interface ErrorReporter {
  (err: unknown, requestId: string): void;
}

/**
 * Duck-typed, because graphql may be loaded twice (its CJS build by Apollo, its
 * ESM build by us under some loaders), which breaks `instanceof GraphQLError`.
 */
function isGraphQLError(e: unknown): e is GraphQLError {
  // Apollo's subclasses rename themselves (ValidationError, UserInputError, SyntaxError...), so go by shape.
  return e instanceof Error && 'extensions' in e && 'locations' in e && 'path' in e;
}

export function isAppErrorLike(e: unknown): e is AppError {
  return (
    e instanceof AppError ||
    (e instanceof Error && e.name === 'AppError' && typeof (e as AppError).code === 'string' && ERROR_CODES.includes((e as AppError).code))
  );
}

/** Follows `originalError` links down to what was actually thrown. */
function innermost(error: unknown): unknown {
  let e: unknown = error;
  for (let i = 0; i < 10 && isGraphQLError(e) && e.originalError; i++) e = e.originalError;
  return e;
}

/**
 * THE mapping from any error to what a client sees. Used by Apollo's
 * formatError (HTTP) and by the graphql-ws server (subscriptions).
 */
export function formatErrorForClient(formatted: GraphQLFormattedError, error: unknown, requestId: string, report: ErrorReporter): GraphQLFormattedError {
  const original = innermost(error);
  const base: GraphQLFormattedError = {
    message: formatted.message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  if (isAppErrorLike(original)) {
    if (original.code === 'INTERNAL') report(original, requestId);
    return { ...base, message: original.message, extensions: { ...(original.details ?? {}), code: original.code } };
  }
  // Errors produced by graphql-js or Apollo (syntax, validation, variable coercion, the depth and
  // complexity rules) describe the client's request: BAD_USER_INPUT with graphql's own message.
  if (isGraphQLError(original)) {
    const code = original.extensions?.code ?? formatted.extensions?.code;
    if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return { ...base, extensions: { code } };
    return { ...base, extensions: { code: 'BAD_USER_INPUT' } };
  }
  if (original === undefined && formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') {
    return { ...base, extensions: { code: 'BAD_USER_INPUT' } };
  }
  report(original ?? error, requestId);
  return {
    message: `internal error, request id ${requestId}`,
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL', requestId },
  };
}
