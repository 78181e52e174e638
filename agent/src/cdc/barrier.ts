/**
 * Barriers: "has CDC applied everything up to this point of the source?"
 * Verification during CDC (ARCHITECTURE.md "Rules" E9) reads a chunk, takes a barrier, and
 * compares the chunk only once the target's applied position has reached it.
 *
 * - PG: an in-band, transactional `pg_logical_emit_message('sluice_barrier', label)`.
 *   The CDC task sees it in the stream, commits its position at once and raises
 *   `cdc.barrier` (label, position).
 * - MySQL/MariaDB: the binlog position (GTID set) at the time of the call.
 * Each is the source's streaming capability's `barrier()` (cdc/pg-stream.ts, cdc/mysql-stream.ts).
 */
import { GtidSet, MariadbGtidPosition } from '@vlasky/zongji';
import type { Connection } from '../protocol';
import { connectors } from '../connectors';
import { ConnectorError } from '../connectors/connector-error';
import { lsnCompare } from './lsn';
import type { CdcPosition } from './types';

/** Takes a barrier on the source through its streaming capability (connector registry). */
export async function emitCdcBarrier(conn: Connection, label: string): Promise<CdcPosition> {
  const source = connectors.openSource(conn);
  try {
    if (!source.streaming?.barrier) {
      throw new ConnectorError(`a ${conn.kind} source has no CDC barrier`, {
        class: 'config',
        code: 'UNSUPPORTED',
        retryable: false,
        fix: 'verify during CDC only from a source that streams changes',
      });
    }
    return await source.streaming.barrier(label);
  } finally {
    await source.close();
  }
}

/** True when `applied` (a CDC checkpoint) covers everything up to `barrier`. */
export function positionReached(applied: CdcPosition | null | undefined, barrier: CdcPosition): boolean {
  if (!applied) return false;
  if (barrier.kind === 'pg') return applied.kind === 'pg' && !!applied.lsn && !!barrier.lsn && lsnCompare(applied.lsn, barrier.lsn) >= 0;
  if (barrier.kind !== 'mysql' || applied.kind !== 'mysql') return false;
  if (barrier.gtidSet !== undefined && applied.gtidSet !== undefined) {
    if (barrier.gtidSet === '') return true;
    if (barrier.gtidSet.includes(':')) {
      // MySQL: every GTID of the barrier set is in the applied set.
      const have = GtidSet.parse(applied.gtidSet);
      return barrier.gtidSet.split(',').every((part) => {
        const [uuid, ...ranges] = part.trim().split(':');
        return ranges.every((r) => {
          const [a, b] = r.split('-');
          if (!/^\d+$/.test(a ?? '')) return true; // tags: checked through their numbered ranges
          return have.contains(`${uuid}:${b ?? a}`) && have.contains(`${uuid}:${a}`);
        });
      });
    }
    const have = MariadbGtidPosition.parse(applied.gtidSet);
    return barrier.gtidSet.split(',').every((g) => have.covers(g.trim()));
  }
  if (applied.file && barrier.file && applied.pos !== undefined && barrier.pos !== undefined) {
    return applied.file > barrier.file || (applied.file === barrier.file && applied.pos >= barrier.pos);
  }
  return false;
}
