import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { encodeCursor, pageArgs, serialCursor, timeCursor, toConnection } from './pagination';

describe('cursors', () => {
  it('round-trips time and serial keys and stays opaque', () => {
    const k = { createdAt: new Date('2026-01-02T03:04:05.678Z'), id: '0b5e6c58-8f0e-4e7c-9d1a-1d2f3a4b5c6d' };
    const c = timeCursor.encode('jobs', k);
    expect(c).not.toContain('jobs');
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(timeCursor.decode('jobs', c)).toEqual(k);
    expect(serialCursor.decode('audit', serialCursor.encode('audit', { id: 42 }))).toEqual({ id: 42 });
  });

  it('refuses garbage, tampered and cross-list cursors with BAD_USER_INPUT', () => {
    const bad = (f: () => unknown, re: RegExp) => {
      try {
        f();
        expect.fail('should throw');
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).code).toBe('BAD_USER_INPUT');
        expect((e as AppError).message).toMatch(re);
      }
    };
    bad(() => serialCursor.decode('audit', 'not base64 json!'), /not a valid cursor/);
    bad(() => serialCursor.decode('audit', encodeCursor('audit', 'x')), /not a valid cursor/);
    bad(() => serialCursor.decode('audit', serialCursor.encode('jobLogs', { id: 1 })), /belongs to another list/);
    bad(() => timeCursor.decode('jobs', encodeCursor('jobs', ['nope', 'x'])), /not a valid cursor/);
  });

  it('validates first and builds connections', () => {
    expect(pageArgs('audit', serialCursor, undefined, undefined)).toEqual({ first: 20, after: null });
    expect(() => pageArgs('audit', serialCursor, 0, null)).toThrow(/first: must be between 1 and 100/);
    expect(() => pageArgs('audit', serialCursor, 101, null)).toThrow(/first/);
    const conn = toConnection(
      { rows: [{ id: 1 }, { id: 2 }], hasNextPage: true },
      (r) => serialCursor.encode('x', r),
      (r) => r.id,
    );
    expect(conn.nodes).toEqual([1, 2]);
    expect(conn.pageInfo).toEqual({ hasNextPage: true, endCursor: serialCursor.encode('x', { id: 2 }) });
    expect(
      toConnection(
        { rows: [], hasNextPage: false },
        () => 'c',
        (r) => r,
      ).pageInfo.endCursor,
    ).toBeNull();
  });
});
