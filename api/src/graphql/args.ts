/** Small helpers resolvers share to parse arguments at the boundary. */
import { z } from 'zod';
import { parseInput } from '../errors';

/** A client-supplied id: checked to look like an id, still unverified until a tenant-scoped lookup. */
export function unverifiedId(value: unknown, field: string): string {
  return parseInput(z.string().uuid(`must be an id returned by this API`), value, field);
}

export function boundedString(value: unknown, field: string, max: number): string {
  return parseInput(z.string().max(max, `must be at most ${max} characters`), value, field);
}
