/**
 * The connector SPI's `startCdc(from, streams)` (DESIGN.md §5): a CdcSource
 * seen as an async iterable of change arrays, one array per source
 * transaction, each event carrying the position after its transaction.
 * `ack(upTo)` releases the source up to a position the caller made durable.
 * The engine's own CDC task (run-cdc.ts) uses CdcSource directly.
 */
import type { Connection } from '../protocol';
import type { ChangeEvent, ChangeStream, SourcePosition, StreamRef } from '../connectors/spi';
import { ConnectorError } from '../connectors/spi';
import type { MysqlConnection, PgConnection } from './connections';
import { MysqlCdcSource } from './mysql-binlog';
import { PgCdcSource } from './pg-logical';
import type { CdcPosition, CdcSource } from './types';

export async function openChangeStream(
  conn: Connection,
  from: SourcePosition,
  streams: StreamRef[],
  opts: { heartbeatMs?: number } = {},
): Promise<ChangeStream> {
  const tables = streams.map((s) => `${s.schema}.${s.table}`);
  const start = from as unknown as CdcPosition;
  let source: CdcSource;
  if (conn.kind === 'postgres') {
    if (!start.slot) {
      throw new ConnectorError('a PostgreSQL CDC position must name its replication slot', {
        class: 'config',
        code: 'BAD_CDC_START',
        fix: 'start from the position plan() returned (it carries slot and publication)',
      });
    }
    source = new PgCdcSource(conn as PgConnection, {
      slot: start.slot,
      publication: start.publication ?? start.slot,
      tables,
      heartbeatMs: opts.heartbeatMs ?? 10_000,
    });
  } else if (conn.kind === 'mysql') {
    source = new MysqlCdcSource(conn as MysqlConnection, { tables });
  } else {
    throw new ConnectorError(`CDC does not read from ${conn.kind}`, { class: 'config', code: 'UNSUPPORTED' });
  }
  await source.start(start);
  let closed = false;
  const split = (key: string) => ({ schema: key.slice(0, key.indexOf('.')), table: key.slice(key.indexOf('.') + 1) });
  return {
    async *[Symbol.asyncIterator](): AsyncIterator<ChangeEvent[]> {
      while (!closed) {
        const ev = await source.next(250);
        if (!ev || ev.kind !== 'tx') continue;
        const position = ev.position as unknown as SourcePosition;
        yield ev.changes.map((c) => {
          const e: ChangeEvent = { op: c.op, ...split(c.table), position, commitTs: ev.commitTimeMs };
          if (c.op !== 'truncate') {
            if (c.before) e.before = c.before;
            if (c.after) e.after = c.after;
          }
          return e;
        });
      }
    },
    ack: (upTo) => source.ack(upTo as unknown as CdcPosition),
    close: async () => {
      closed = true;
      await source.close();
    },
  };
}
