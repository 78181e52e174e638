import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../connectors/connector-error';
import { describeError } from './engine';

const raw = (message: string, props: Record<string, unknown>) => Object.assign(new Error(message), props);

describe('describeError', () => {
  it('keeps a ConnectorError as classed', () => {
    expect(describeError(new ConnectorError('cannot reach MySQL', { class: 'transient', code: 'UNREACHABLE' }))).toEqual({
      message: 'cannot reach MySQL',
      retryable: true,
      transient: true,
      code: 'UNREACHABLE',
    });
    expect(describeError(new ConnectorError('bad', { class: 'config', code: 'AUTH_FAILED', fix: 'fix it' }))).toEqual({
      message: 'bad (fix: fix it)',
      retryable: false,
      transient: false,
      code: 'AUTH_FAILED',
    });
  });

  it('classes a raw mysql2 login error as config (fail fast, with the fix)', () => {
    const d = describeError(raw("Access denied for user 'u'@'h' (using password: YES)", { errno: 1045, code: 'ER_ACCESS_DENIED_ERROR', sqlState: '28000' }));
    expect(d).toMatchObject({ retryable: false, transient: false });
    expect(d.message).toMatch(/refused the login.*Access denied.*fix: check the user name and password/);
  });

  it('classes a raw pg auth error as config and a raw socket error as transient', () => {
    expect(describeError(raw('password authentication failed', { severity: 'FATAL', code: '28P01' }))).toMatchObject({ retryable: false, transient: false });
    expect(describeError(raw('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED', errno: -111 }))).toMatchObject({ retryable: true, transient: true });
    expect(describeError(raw('wrapped', { cause: raw('read ECONNRESET', { code: 'ECONNRESET' }) }))).toMatchObject({ transient: true });
    // node-postgres's codeless connection loss (a server restarting): waited out, not a failed attempt
    expect(describeError(new Error('Connection terminated unexpectedly'))).toMatchObject({ retryable: true, transient: true });
  });

  it('carries the code, so the supervisor can stop a task fenced at the target', () => {
    expect(describeError(new ConnectorError('stale lease', { class: 'config', code: 'FENCED', retryable: false }))).toMatchObject({
      code: 'FENCED',
      retryable: false,
      transient: false,
    });
  });

  it('leaves anything else retryable but not waited out', () => {
    expect(describeError(new Error('boom'))).toEqual({ message: 'boom', retryable: true, transient: false });
    expect(describeError(raw('odd', { errno: 9999, sqlState: 'HY000' }))).toEqual({ message: 'odd', retryable: true, transient: false });
  });
});
