/** The streaming capability of a source (`Source.streaming`): a change log read from a position. */
import type { ConnectorError } from './connector-error';
import type { CdcSource, CdcValue, TableKey } from './changes';
import type { PositionKind, SourcePosition } from './position';

export interface StreamRef {
  /** Source schema (PG) or database (MySQL). */
  schema: string;
  table: string;
}

/** A change as the SPI's streaming reader (`streaming.startCdc`) hands it out: one record per row change. */
export interface ChangeEvent {
  op: 'insert' | 'update' | 'delete' | 'truncate';
  schema: string;
  table: string;
  /** Key column values (before image for updates/deletes). */
  key?: Record<string, CdcValue>;
  after?: Record<string, CdcValue>;
  before?: Record<string, CdcValue>;
  position: SourcePosition;
  commitTs?: number;
}

export interface ChangeStream extends AsyncIterable<ChangeEvent[]> {
  /** Everything up to and including `upTo` is durable on the target; the source may release it. */
  ack(upTo: SourcePosition): Promise<void>;
  close(): Promise<void>;
}

/** One check of a streaming preflight; `ok: false` with severity 'error' blocks the job. */
export interface PreflightCheck {
  name: string;
  ok: boolean;
  message: string;
  /** SQL or configuration that fixes a failed check. */
  fixSql?: string;
  severity: 'error' | 'warning';
}

/** Names the source may use for durable server-side streaming state (PG: slot and publication). */
export interface StreamNames {
  jobId: string;
  slot: string;
  publication: string;
}

/** Where a job without a stored position starts streaming. */
export type StreamStart = { from: 'now' } | { from: 'lsn'; lsn: string } | { from: 'gtid'; gtidSet: string };

export interface StreamOptions {
  names: StreamNames;
  /** Captured streams (`schema.table`). */
  tables: TableKey[];
  heartbeatMs?: number;
  statusIntervalMs?: number;
  /** A transaction with more changes than this is handed out in slices. */
  maxTxChanges?: number;
}

/**
 * The streaming capability: a source's change log. Positions are the source's
 * own kind (`positionKind`); the reader never releases anything before ack().
 */
export interface StreamingCapability {
  readonly positionKind: PositionKind;
  /** Every setting streaming depends on, each failed one with its fix. */
  preflight(opts: { tables?: TableKey[]; estimatedSnapshotSeconds?: number }): Promise<PreflightCheck[]>;
  /** The capturable streams (`schema.table`) of the configured database/schema. */
  listStreams(): Promise<TableKey[]>;
  /**
   * Make the server-side state match `tables` before resuming at a stored
   * position (PG: the publication's table list). Idempotent.
   */
  prepare(names: StreamNames, tables: TableKey[]): Promise<void>;
  /**
   * Before any read from a stored position: prove the source can still serve it
   * (the same server, its slot or binlogs still there, nothing released past it).
   * Throws a config ConnectorError (code CDC_POSITION_LOST) with the resync fix otherwise.
   */
  provePosition?(position: SourcePosition, names: StreamNames): Promise<void>;
  /**
   * Live table changes (issue 14 §5): make the server-side state carry `tables` from now on, and stop
   * carrying `drop` (PG: the publication's list; a listed table already dropped at the source is skipped,
   * and a table not named in `drop` is never taken out, since `tables` can still hold a table's old name),
   * and return only once every transaction that began before is over, so a row read after this call is in
   * that read or in the change log, never in neither. Sources without server-side state (binlog) resolve at once.
   */
  captureTables?(names: StreamNames, tables: TableKey[], drop?: TableKey[]): Promise<void>;
  /** Where to start without a stored position; creates the server-side state it needs (PG: the slot). */
  initialPosition(names: StreamNames, tables: TableKey[], start: StreamStart): Promise<SourcePosition>;
  /** A reader that starts AFTER `from` once started; `from` of another kind is a config error. */
  open(from: SourcePosition, opts: StreamOptions): CdcSource;
  /** The same reader as an async iterable of transactions (one ChangeEvent[] each) with ack(). */
  startCdc(from: SourcePosition, streams: StreamRef[]): Promise<ChangeStream>;
  /**
   * A barrier for verification during CDC: a source position such that once the applied position
   * reaches it, everything committed before this call has been applied (PG: an in-band logical
   * message whose label the reader reports; MySQL: the binlog position now).
   */
  barrier?(label: string): Promise<SourcePosition>;
  /**
   * The current committed values of `columns` of the rows at these keys (`schema.table`; each key
   * holds the key columns as exact text), in the reader's value forms; null for a key with no row.
   * Present on sources whose changes can leave columns out (PG: unchanged TOAST), for a database ->
   * Kafka job to fill a key-moving update's missing columns (see from-db/fill-moved-rows.ts).
   */
  currentRows?(table: TableKey, keys: Record<string, CdcValue>[], columns: string[]): Promise<(Record<string, CdcValue> | null)[]>;
  /**
   * Installs what makes the source report DDL in its change stream (PG: an event trigger writing logical
   * messages; needs a superuser). Absent where the log already carries DDL (binlog). Throws when it cannot.
   */
  captureDdl?(tables: TableKey[]): Promise<void>;
  /**
   * Release the server-side state (PG: drop slot and publication, and the DDL capture once no other
   * job's slot uses it). Idempotent. May return a note on what else it did or kept.
   */
  cleanup(names: StreamNames): Promise<string | void>;
  /** Driver errors as classed ConnectorErrors. */
  classifyError(e: unknown, what: string): ConnectorError;
}
