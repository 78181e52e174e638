/**
 * Relay cursor pagination. Cursors are opaque to clients: base64url of
 * `[list, key]`, where `list` names the list they came from so a cursor from
 * one list is refused by another.
 */
import { AppError } from '../errors';
import type { PageResult, SerialKey, TimeKey } from '../repositories/keyset';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export function encodeCursor(list: string, key: unknown): string {
  return Buffer.from(JSON.stringify([list, key]), 'utf8').toString('base64url');
}

function decodeRaw(list: string, cursor: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw AppError.badInput('after: not a valid cursor (use pageInfo.endCursor from the previous page)', 'after');
  }
  if (!Array.isArray(parsed) || parsed.length !== 2)
    throw AppError.badInput('after: not a valid cursor (use pageInfo.endCursor from the previous page)', 'after');
  if (parsed[0] !== list) throw AppError.badInput(`after: this cursor belongs to another list, not ${list}`, 'after');
  return parsed[1];
}

export const timeCursor = {
  encode: (list: string, k: TimeKey) => encodeCursor(list, [k.createdAt.toISOString(), k.id]),
  decode(list: string, cursor: string): TimeKey {
    const v = decodeRaw(list, cursor);
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string') {
      const d = new Date(v[0]);
      if (!Number.isNaN(d.getTime()) && /^[0-9a-f-]{36}$/i.test(v[1])) return { createdAt: d, id: v[1] };
    }
    throw AppError.badInput('after: not a valid cursor (use pageInfo.endCursor from the previous page)', 'after');
  },
};

export const serialCursor = {
  encode: (list: string, k: SerialKey) => encodeCursor(list, k.id),
  decode(list: string, cursor: string): SerialKey {
    const v = decodeRaw(list, cursor);
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return { id: v };
    throw AppError.badInput('after: not a valid cursor (use pageInfo.endCursor from the previous page)', 'after');
  },
};

/** Validates `first` (1..100, default 20) and decodes `after`. */
export function pageArgs<K>(list: string, codec: { decode(list: string, c: string): K }, first: number | null | undefined, after: string | null | undefined) {
  const n = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw AppError.badInput(`first: must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  if (after !== null && after !== undefined && after.length > 512) throw AppError.badInput('after: cursor too long', 'after');
  return { first: n, after: after ? codec.decode(list, after) : null };
}

export function toConnection<R, T>(page: PageResult<R>, cursorOf: (r: R) => string, map: (r: R) => T): Connection<T> {
  const edges = page.rows.map((r) => ({ cursor: cursorOf(r), node: map(r) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.length ? edges[edges.length - 1]!.cursor : null },
  };
}
