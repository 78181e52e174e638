import { describe, expect, it } from 'vitest';
import { ConnectorError } from './connector-error';
import { classifyMysqlError, classifyStreamError } from './errors';

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
