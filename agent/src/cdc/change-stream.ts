/**
 * The streaming capability's `startCdc(from, streams)`: a started CdcSource
 * seen as an async iterable of change arrays, one array per source
 * transaction, each event carrying the position after its transaction.
 * `ack(upTo)` releases the source up to a position the caller made durable.
 * The engine's own CDC task (run-cdc.ts) reads the CdcSource directly.
 */
import type { ChangeEvent, ChangeStream, SourcePosition } from '../connectors/spi';
import type { CdcSource } from './types';

export function toChangeStream(source: CdcSource): ChangeStream {
  let closed = false;
  const split = (key: string) => ({ schema: key.slice(0, key.indexOf('.')), table: key.slice(key.indexOf('.') + 1) });
  return {
    async *[Symbol.asyncIterator](): AsyncIterator<ChangeEvent[]> {
      while (!closed) {
        const ev = await source.next(250);
        if (!ev || ev.kind !== 'tx') continue;
        const position: SourcePosition = ev.position;
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
    ack: (upTo) => source.ack(upTo),
    close: async () => {
      closed = true;
      await source.close();
    },
  };
}
