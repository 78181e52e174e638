import { describe, expect, it } from 'vitest';
import { ConnectorError } from './connector-error';
import { classifyDriverError, classifyMysqlError, classifyStreamError } from './errors';

const closed = new Error("Can't add new command when connection is in closed state");

describe('a source session closed under the reader (a restart) is transient', () => {
  it('in the MySQL classifier', () => {
    expect(classifyMysqlError(closed, { what: 'cdc: read the binlog' })).toMatchObject({ class: 'transient', retryable: true, code: 'CONNECTION_LOST' });
  });

  it('whatever classifier the stream error falls back to (the target applier’s, after a source failure)', () => {
    const fallback = () => new ConnectorError('unexpected', { class: 'system', code: 'PG_ERROR' });
    expect(classifyStreamError(closed, 'cdc', fallback)).toMatchObject({
      class: 'transient',
      code: 'CONNECTION_LOST',
      message: expect.stringContaining('connection to the source was lost'),
    });
    expect(classifyStreamError(new Error('boom'), 'cdc', fallback)).toMatchObject({ class: 'system', code: 'PG_ERROR' });
  });
});

describe('a raw node-postgres connection loss that reaches the task boundary', () => {
  it('is transient (waited out with backoff), not a task failure that spends the attempts', () => {
    for (const m of ['Connection terminated unexpectedly', 'Connection terminated', 'Client has encountered a connection error and is not queryable'])
      expect(classifyDriverError(new Error(m))).toMatchObject({ class: 'transient', code: 'CONNECTION_LOST' });
    expect(classifyDriverError(new Error('Connection terminated by the user, said a table name'))).toBeUndefined();
  });
});
