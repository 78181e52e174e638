/**
 * PostgreSQL's streaming capability (the SPI's `source.streaming`): a
 * publication and a logical slot named for the job, pgoutput read through
 * PgCdcSource, positions of kind 'pg'.
 */
import pg from 'pg';
import type { PreflightCheck, SourcePosition, StreamingCapability, StreamNames, StreamOptions, StreamRef, StreamStart } from '../connectors/spi';
import { ConnectorError } from '../connectors/connector-error';
import { classifyPgError, classifyStreamError } from '../connectors/errors';
import { positionOfKind, type PgPosition } from '../connectors/position';
import { toChangeStream } from './change-stream';
import { pgConfig, type PgConnection } from './connections';
import { lsnCompare } from './lsn';
import { BARRIER_PREFIX, cleanupPgCdc, ensurePublication, PgCdcSource, setupPgCdc } from './pg-logical';
import { alterPublication } from './pg-slot';
import { pgCurrentRows } from './pg-current-rows';
import { pgIdentity, provePgPosition, withPgIdentity } from './pg-position-proof';
import { preflightPg } from './preflight';
import type { CdcRow, TableKey } from './types';
import { installPgDdlCapture } from './pg-ddl-capture';

function badStart(message: string, fix: string): ConnectorError {
  return new ConnectorError(message, { class: 'config', code: 'BAD_CDC_START', fix });
}

export class PgStreaming implements StreamingCapability {
  readonly positionKind = 'pg' as const;

  constructor(private readonly conn: PgConnection) {}

  preflight(opts: { tables?: TableKey[]; estimatedSnapshotSeconds?: number }): Promise<PreflightCheck[]> {
    return preflightPg(this.conn, opts);
  }

  private async withClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const c = new pg.Client(pgConfig(this.conn));
    c.on('error', () => undefined); // a server-side end (a restart) while idle surfaces on the next query, not as an uncaught error
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }

  listStreams(): Promise<TableKey[]> {
    return this.withClient(async (c) => {
      const r = await c.query<{ t: string }>("SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname = $1 ORDER BY 1", [
        this.conn.config.schema,
      ]);
      return r.rows.map((x) => x.t);
    });
  }

  barrier(label: string): Promise<PgPosition> {
    return this.withClient(async (c) => {
      const r = await c.query<{ lsn: string }>('SELECT pg_logical_emit_message(true, $1, $2)::text AS lsn', [BARRIER_PREFIX, label]);
      return { v: 1, kind: 'pg', lsn: r.rows[0]!.lsn };
    });
  }

  prepare(names: StreamNames, tables: TableKey[]): Promise<void> {
    return this.withClient((c) => ensurePublication(c, names.publication, tables));
  }

  /** ALTER PUBLICATION (add `tables` not yet in it, drop `drop`), then wait until every transaction older than the change has ended. */
  captureTables(names: StreamNames, tables: TableKey[], drop: TableKey[] = []): Promise<void> {
    return this.withClient(async (c) => {
      await alterPublication(c, names.publication, tables, drop);
      // A transaction that began before the publication changed is decoded without the new table;
      // a row it wrote must be visible to the snapshot read that follows, so wait for it to end.
      const xid = (await c.query<{ x: string }>('SELECT txid_current()::text AS x')).rows[0]!.x;
      const deadline = Date.now() + 10 * 60_000;
      for (;;) {
        const r = await c.query<{ ok: boolean }>('SELECT txid_snapshot_xmin(txid_current_snapshot()) >= $1::bigint AS ok', [xid]);
        if (r.rows[0]?.ok) return;
        if (Date.now() > deadline) {
          throw new ConnectorError('a transaction older than the publication change is still open after 10 minutes', {
            class: 'transient',
            code: 'LONG_TRANSACTION',
            fix: 'end the long-running transaction on the source (pg_stat_activity, state idle in transaction); the table operation is retried',
          });
        }
        await new Promise((res) => setTimeout(res, 100));
      }
    });
  }

  async initialPosition(names: StreamNames, tables: TableKey[], start: StreamStart): Promise<PgPosition> {
    if (start.from === 'gtid') throw badStart('a GTID start applies to MySQL/MariaDB sources; use an LSN for PostgreSQL', 'start from now, or from an LSN');
    const { lsn } = await setupPgCdc(this.conn, { slot: names.slot, publication: names.publication, tables });
    const id = await pgIdentity(this.conn);
    const base = withPgIdentity({ v: 1, kind: 'pg', slot: names.slot, publication: names.publication }, id);
    if (start.from === 'lsn') {
      if (lsnCompare(start.lsn, lsn) < 0) {
        throw new ConnectorError(`the replication slot '${names.slot}' starts at ${lsn}; changes before it (from ${start.lsn}) are no longer decodable`, {
          class: 'config',
          code: 'CDC_START_TOO_OLD',
          fix: 'start from now, or from an LSN at or after the slot position',
        });
      }
      return { ...base, lsn: start.lsn };
    }
    return { ...base, lsn };
  }

  async provePosition(position: SourcePosition, names: StreamNames): Promise<void> {
    const p = positionOfKind(position, 'pg');
    if (!p) throw badStart(`a PostgreSQL source cannot stream from a ${position.kind} position`, 'start from a position this source returned');
    await provePgPosition(this.conn, p, names.slot);
  }

  open(from: SourcePosition, opts: StreamOptions): PgCdcSource {
    const start = positionOfKind(from, 'pg');
    if (!start) throw badStart(`a PostgreSQL source cannot stream from a ${from.kind} position`, 'start from a position this source returned');
    return new PgCdcSource(this.conn, {
      slot: start.slot ?? opts.names.slot,
      publication: start.publication ?? opts.names.publication,
      tables: opts.tables,
      ...(opts.heartbeatMs !== undefined ? { heartbeatMs: opts.heartbeatMs } : {}),
      ...(opts.statusIntervalMs !== undefined ? { statusIntervalMs: opts.statusIntervalMs } : {}),
      ...(opts.maxTxChanges !== undefined ? { maxTxChanges: opts.maxTxChanges } : {}),
    });
  }

  async startCdc(from: SourcePosition, streams: StreamRef[]) {
    const start = positionOfKind(from, 'pg');
    if (!start?.slot)
      throw badStart('a PostgreSQL CDC position must name its replication slot', 'start from the position plan() returned (it carries slot and publication)');
    const names = { jobId: start.slot, slot: start.slot, publication: start.publication ?? start.slot };
    const source = this.open(start, { names, tables: streams.map((s) => `${s.schema}.${s.table}`), heartbeatMs: 10_000 });
    await source.start(start);
    return toChangeStream(source);
  }

  currentRows(table: TableKey, keys: CdcRow[], columns: string[]): Promise<(CdcRow | null)[]> {
    return pgCurrentRows(this.conn, table, keys, columns);
  }

  captureDdl(tables: TableKey[]): Promise<void> {
    return this.withClient((c) => installPgDdlCapture(c, tables));
  }

  cleanup(names: StreamNames): Promise<string> {
    return cleanupPgCdc(this.conn, names);
  }

  classifyError(e: unknown, what: string): ConnectorError {
    return classifyStreamError(e, what, (x) => classifyPgError(x, { what }));
  }
}
