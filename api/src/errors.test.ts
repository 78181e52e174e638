import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, formatErrorForClient, parseInput } from './errors';

const wrap = (original: Error) => new GraphQLError(original.message, { originalError: original, path: ['x'] });

describe('formatErrorForClient (the one mapping to extensions.code)', () => {
  it('maps AppError codes and client-safe details', () => {
    const reported: unknown[] = [];
    const e = AppError.forbidden('nope', { requiredRole: 'admin' });
    const out = formatErrorForClient(wrap(e).toJSON(), wrap(e), 'r1', (err) => reported.push(err));
    expect(out).toEqual({ message: 'nope', path: ['x'], extensions: { requiredRole: 'admin', code: 'FORBIDDEN' } });
    expect(reported).toEqual([]);
  });

  it('hides unknown errors (SQL, stack) behind INTERNAL with the request id, and reports them', () => {
    const reported: unknown[] = [];
    const e = new Error('relation "users" does not exist: select * from users where password_hash = $1');
    const out = formatErrorForClient(wrap(e).toJSON(), wrap(e), 'req-42', (err) => reported.push(err));
    expect(out).toEqual({ message: 'internal error, request id req-42', path: ['x'], extensions: { code: 'INTERNAL', requestId: 'req-42' } });
    expect(JSON.stringify(out)).not.toMatch(/select|users|stack/);
    expect(reported).toEqual([e]);
  });

  it("turns graphql's own errors (validation, coercion) into BAD_USER_INPUT with graphql's message", () => {
    const v = new GraphQLError('Value "X" does not exist in "Role" enum.', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(formatErrorForClient(v.toJSON(), v, 'r', () => {})).toEqual({
      message: 'Value "X" does not exist in "Role" enum.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('parseInput names every bad field', () => {
    const s = z.strictObject({ name: z.string().max(3, 'must be at most 3 characters'), n: z.number() });
    try {
      parseInput(s, { name: 'long', n: 'x' }, 'input');
      expect.fail('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('BAD_USER_INPUT');
      expect((e as AppError).message).toBe('input.name: must be at most 3 characters; input.n: Invalid input: expected number, received string');
      expect((e as AppError).details).toEqual({ field: 'input.name' });
    }
  });
});
