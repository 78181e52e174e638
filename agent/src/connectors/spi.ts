/**
 * The connector SPI. Every system (databases, Kafka) plugs in as a Source
 * and/or a Target, registered by connector kind (registry.ts). The engine only
 * talks to these interfaces and branches on the capabilities a connector
 * declares, never on its kind.
 *
 * Core (every connector, SourceCore / TargetCore): kind, capabilities, check,
 * close, a version-1 position with a kind tag (position.ts).
 * Capabilities (declared in capabilities(), present as members):
 *   - snapshot + schema (databases; `Source` / `Target` are the cores with them):
 *     plan / openSnapshot / readTask, chunked and resumable by cursor;
 *     discover (source and target), applySchema (target); narrow with
 *     hasTables(); the generic change record (changes.ts);
 *   - records: `source.records` / `target.records` (Kafka, records.ts): partitions
 *     read from offsets, written in transactions that carry the checkpoint;
 *   - streaming: `source.streaming` reads a change log from a position and acks it;
 *   - bulkLoad / encoded passthrough: writeEncoded / openWriter (target);
 *   - changes: `target.openApplier()` applies change batches with the position in one transaction;
 *   - verification: sql sessions (verify/db.ts) for sources and targets that speak SQL.
 *
 * Values travel as exact text or Buffers, never as JS numbers:
 *   - `string` holds the source's exact text form (bigint, decimal, float text,
 *     timestamps with microseconds, json text, bit strings like '0101').
 *   - `Buffer` holds binary data (bytea, BLOB, BINARY, geometry WKB).
 *   - `null` is SQL NULL.
 * The engine converts between engines' text forms with the per-column
 * converters from `engine/type-mapping.ts`.
 */
import type { TlsReport } from '../tls/client-tls';
import type { Connection, JobSpec } from '../protocol';

export { ConnectorError, isConnectorError } from './connector-error';
export type { ErrorClass, ConnectorErrorInit } from './connector-error';
export type * from './catalog';
export type * from './objects';
import type { ObjectCapability, ObjectStep, ObjectStepResult, SchemaObject } from './objects';
import type { Catalog, ColumnType, Engine, ForeignKeyInfo, IndexInfo, TableInfo } from './catalog';
import type { SharedSnapshot } from './shared-snapshot';
import type { ConnectorError } from './connector-error';
import type { Applier, CdcSource, LeaseFence, TableKey } from './changes';
export type { LeaseFence } from './changes';
export type * from './changes';

// ---------------------------------------------------------------- positions

export { parsePosition, positionOfKind, describePosition } from './position';
export type { SourcePosition, PgPosition, MysqlPosition, KafkaPosition, PositionKind, PositionOf } from './position';
import type { SourcePosition } from './position';
import type { EncodedRows, TextRows } from './text-rows';
export type { EncodedRows, TextRows } from './text-rows';
import type { StreamingCapability } from './streaming';
export type * from './streaming';
import type { RecordSourceCapability, RecordTargetCapability } from './records';
export type * from './records';

/** A key value: each PK column's exact text (or hex-prefixed Buffer in JSON) in key order. */
export type KeyValue = (string | null)[];

/** Where a chunk read stands. Stored in checkpoints (JSON-safe). */
export type ChunkCursor = {
  v: 1;
  /** The chunk finished and the target committed all of it. */
  done: boolean;
  /** The last key written and committed (keyset reads continue after it). */
  after?: KeyValue;
  /** Rows committed so far in this chunk. */
  rows: number;
  bytes?: number;
};
// ---------------------------------------------------------------- plans and tasks

/** A planned chunk of a table. Bounds are exclusive-lower, inclusive-upper key values. */
export interface SnapshotTask {
  id: string;
  /** Checkpoint stream name: `chunk:<schema>.<table>:<index>`. */
  stream: string;
  schema: string;
  table: string;
  index: number;
  /** Key columns used for range and keyset reads; empty => whole table, one task. */
  keyColumns: string[];
  /** null = unbounded. Key > lower. */
  lower: KeyValue | null;
  /** null = unbounded. Key <= upper. */
  upper: KeyValue | null;
  /** PG tables without PK: ctid page range [fromPage, toPage). */
  ctid?: { fromPage: number; toPage: number | null };
  /** Columns to read, in order (source names). */
  columns: string[];
  /** Per-column source read expression overrides (dialect SQL), by source column name. */
  readExpr?: Record<string, string>;
  /** Row filter (source SQL boolean expression). */
  where?: string;
  rowEstimate: number;
  byteEstimate: number;
  /** Read at most this many rows (a live snapshot's chunk, issue 14 §5). */
  limit?: number;
}

export interface PlanOptions {
  snapshot: boolean;
  cdc: boolean;
  chunkSize: number;
  /**
   * CDC (full_cdc): the slot to create with an exported snapshot (PG). Without it
   * plan() records the current position only (dry runs).
   */
  cdcSlot?: string;
  /** CDC: the start captured by an earlier attempt; reuse it instead of capturing a new one (resume). */
  cdcResume?: SourcePosition;
  /** Per table overrides, keyed by `schema.table` or `table`. */
  perTable?: Record<string, { chunkSize?: number; where?: string; columns?: string[]; readExpr?: Record<string, string>; bounds?: KeyValue[] }>;
}

export interface SourcePlan {
  tasks: SnapshotTask[];
  /** Where CDC starts; captured before any snapshot read. Undefined when cdc was not requested. */
  cdcStart?: SourcePosition;
  warnings: string[];
}

export interface ReadOptions {
  worker: number;
  batchRows: number;
  batchBytes: number;
  signal?: AbortSignal;
  /** Ask for pre-encoded batches (Batch.encoded, rows left empty) when the source can produce this format. */
  passthrough?: EncodedRows['format'];
  /** Ask for batches as TextRows (Batch.text, rows left empty) when the source can keep them as bytes. */
  textRows?: boolean;
  /**
   * A live read (incremental snapshot while CDC streams, issue 14 §5): outside the shared
   * snapshot, on a session of the source's own that sees the data as committed now;
   * `table` is the catalog entry (key types). `worker` is ignored.
   */
  live?: { table: TableInfo };
}

export interface Batch {
  /** Target-side column order is decided by the engine; this is source order. */
  columns: string[];
  /** Decoded rows; empty when `encoded` is set. */
  rows: Row[];
  /** Set instead of rows when ReadOptions.passthrough was honoured. */
  encoded?: EncodedRows;
  /** Set instead of rows when ReadOptions.textRows was honoured. */
  text?: TextRows;
  /** Approximate payload bytes. */
  bytes: number;
  /** The cursor after this batch (commit it once the target has the batch). */
  cursor: ChunkCursor;
}

export type Value = string | Buffer | null;
export type Row = Value[];

export interface SourceCapabilities {
  /** plan / openSnapshot / readTask. */
  snapshot: boolean;
  /** `streaming` is present: a change log read from a position. */
  streaming: boolean;
  /** discover() returns tables with columns and keys. */
  schema: boolean;
  /** Can all workers share one consistent snapshot. */
  sharedSnapshot: boolean;
  /** Chunks for tables without a PK (PG ctid). */
  physicalChunks: boolean;
  /** Pre-encoded batch formats readTask can produce (ReadOptions.passthrough). */
  encodedFormats: EncodedRows['format'][];
  /** `records` is present: partitioned record logs read from offsets (Kafka). */
  records: boolean;
  /** discoverObjects(): views, triggers, routines, sequences, domains, checks... (issue 15 item 3). */
  objects?: boolean;
}

export interface TargetCapabilities {
  transactions: boolean;
  /** Fast bulk path available (COPY / LOAD DATA LOCAL). */
  bulkLoad: boolean;
  upsert: boolean;
  /** applySchema creates tables, indexes and foreign keys. */
  schema: boolean;
  /** openApplier(): CDC change batches applied with their position in one transaction. */
  changes: boolean;
  /** `records` is present: records written to explicit partitions in transactions carrying the checkpoint (Kafka). */
  records: boolean;
  /** applyObjects() creates these kinds of schema objects after the load (issue 15 item 3). */
  objects?: ObjectCapability;
  /**
   * A table the full load creates may be created without its primary key (`createTable` with `deferKey`)
   * and the key built after the load (`addPrimaryKey`): bulk rows then skip the index maintenance
   * (PostgreSQL; not InnoDB, whose table is its primary key: adding it afterwards rebuilds the table).
   */
  deferredKeys?: boolean;
  /** Secondary indexes of one table can be built on several sessions at once (one `createIndexes` per index). */
  concurrentIndexBuilds?: boolean;
}

export interface CheckResult {
  ok: boolean;
  version?: string;
  /** What TLS the connection negotiated, and whether the certificate was verified. */
  tls?: TlsReport;
  /** A check with severity warning does not make the result fail. */
  checks: { name: string; ok: boolean; message: string; fix?: string; severity?: 'warning' }[];
}

/** The reading side's core. One instance per job run; it owns its connections. */
export interface SourceCore {
  /** The registry key this connector was built for. */
  readonly kind: ConnectorKind;
  capabilities(): SourceCapabilities;
  check(): Promise<CheckResult>;
  /** Present when capabilities().streaming. */
  readonly streaming?: StreamingCapability;
  /** Present when capabilities().records. */
  readonly records?: RecordSourceCapability;
  close(): Promise<void>;
}

/** A source with the snapshot and schema capabilities (tables, rows, keys: the databases). */
export interface Source extends SourceCore, SharedSnapshot {
  /** The SQL dialect for type mapping. */
  readonly engine: Engine;
  discover(filter?: (schema: string, table: string) => boolean): Promise<Catalog>;
  /**
   * Split the streams into tasks. Captures the CDC start (when opts.cdc) before
   * any snapshot read, and opens the shared snapshot used by readTask.
   */
  plan(streams: TableInfo[], opts: PlanOptions): Promise<SourcePlan>;
  /** Open `n` reader sessions inside the shared snapshot (call after plan). */
  openSnapshot(workers: number): Promise<void>;
  /** Warnings raised while planning / opening the snapshot (e.g. readers could not share one snapshot). */
  readonly warnings?: string[];
  /**
   * Read one task from `cursor` (undefined = from its start). Batches are
   * bounded by rows and bytes; the iterator honours backpressure (the next
   * batch is read only when asked for).
   */
  readTask(task: SnapshotTask, cursor: ChunkCursor | undefined, opts: ReadOptions): AsyncIterable<Batch>;
  /** Present when capabilities().objects: the schema objects of the source's schema, for the selected tables. */
  discoverObjects?(tables: TableInfo[]): Promise<SchemaObject[]>;
}

/** A schema change for the target, in target terms. */
export interface TargetTable {
  schema: string;
  name: string;
  columns: TargetColumn[];
  primaryKey: string[];
  indexes: IndexInfo[];
  foreignKeys: ForeignKeyInfo[];
  comment?: string;
}

export interface TargetColumn {
  name: string;
  /** Native target type declaration, e.g. 'numeric(20,0)', 'DATETIME(6)'. */
  sqlType: string;
  type: ColumnType;
  nullable: boolean;
  /** A default in the target dialect, or null. */
  default: string | null;
  autoIncrement: boolean;
  identity?: 'always' | 'by default';
  /** PG enum type to create first: name + values. */
  createEnum?: { name: string; values: string[] };
}

export type SchemaChange =
  /** deferKey (targets with `deferredKeys`): a table that does not exist yet is created without its primary key. */
  | { op: 'createTable'; table: TargetTable; existing: 'fail' | 'truncate' | 'upsert'; deferKey?: boolean }
  /** Builds the table's primary key when it has none (idempotent). */
  | { op: 'addPrimaryKey'; table: TargetTable }
  | { op: 'createIndexes'; table: TargetTable }
  | { op: 'createForeignKeys'; table: TargetTable }
  | { op: 'syncIdentity'; table: TargetTable };

export interface ApplySchemaResult {
  /** `schema.table` -> what happened. */
  tables: Record<string, 'created' | 'exists' | 'truncated' | 'unchanged'>;
  /** `schema.table` of the tables created without their primary key (createTable with deferKey). */
  keyDeferred?: string[];
  warnings: string[];
}

/** Fencing token: writes are refused once the fence is stale. */
export interface Fence {
  jobId: string;
  stream: string;
  /** The lease/attempt id; checked where the target can (the `_sluice_checkpoints` table). */
  token?: string;
  /**
   * The lease epoch: every write transaction checks and advances it in the target's
   * `_sluice_checkpoints` (PG, MySQL), so a stale agent's write fails with code 'FENCED'.
   * A Kafka target maps it to its transactional producer's own epoch fencing.
   */
  lease?: LeaseFence;
  /** Rows may already exist from an earlier attempt: write as an upsert. */
  mayExist: boolean;
}

export interface WriteTarget {
  schema: string;
  table: string;
  /** Target column names, in batch order. */
  columns: string[];
  /** Target column types, in batch order. */
  types: ColumnType[];
  primaryKey: string[];
}

export interface TargetWriter {
  write(rows: Row[]): Promise<{ rows: number; bytes: number }>;
  writeEncoded?(data: EncodedRows): Promise<{ rows: number; bytes: number }>;
  /** Rows as bytes (TextRows), written without decoding the values that pass through. */
  writeText?(rows: TextRows): Promise<{ rows: number; bytes: number }>;
  commit(): Promise<void>;
  close(): Promise<void>;
}

/** The writing side's core. */
export interface TargetCore {
  readonly kind: ConnectorKind;
  capabilities(): TargetCapabilities;
  check(): Promise<CheckResult>;
  /** Present when capabilities().records. */
  readonly records?: RecordTargetCapability;
  close(): Promise<void>;
}

/** A target with the schema capability and row writes (the databases). */
export interface Target extends TargetCore {
  readonly engine: Engine;
  /** Where tables are created: the PG schema or the MySQL database of the connection. */
  readonly namespace: string;
  /** Discover the target's own tables (for existing-table checks and verification). */
  discover(filter?: (schema: string, table: string) => boolean): Promise<Catalog>;
  /** Idempotent: applying the same changes twice changes nothing. */
  applySchema(changes: SchemaChange[]): Promise<ApplySchemaResult>;
  /**
   * Idempotent upsert by key: writing the same batch twice gives the same target.
   * Tables without a key: the engine calls `clearTable` before rewriting the table.
   * Resolves after the target committed.
   */
  writeBatch(target: WriteTarget, rows: Row[], fence: Fence): Promise<{ rows: number; bytes: number }>;
  /** Formats writeEncoded accepts (none when absent). */
  encodedFormats?(): EncodedRows['format'][];
  /** Same contract as writeBatch, for pre-encoded rows. */
  writeEncoded?(target: WriteTarget, data: EncodedRows, fence: Fence): Promise<{ rows: number; bytes: number }>;
  /**
   * A writer session that groups several batches into one target transaction
   * (fewer commits). Nothing is durable before commit(); close() rolls back
   * whatever was not committed. A direct (mayExist=false) write that meets rows
   * already present fails with a retryable ConnectorError code 'RETRY_AS_UPSERT'.
   */
  openWriter?(target: WriteTarget, fence: Fence): Promise<TargetWriter>;
  /** Delete every row (used before rewriting a table without a key). */
  clearTable(schema: string, table: string): Promise<void>;
  /** Present when capabilities().changes: a change applier on its own session (the caller closes it). */
  openApplier?(): Applier;
  /**
   * Present when capabilities().objects: runs each step's DDL in the target's namespace, in order,
   * retrying a failed step after later ones succeeded (dependencies), until nothing more succeeds.
   * A step whose object already exists counts as done (`exists`).
   */
  applyObjects?(steps: ObjectStep[]): Promise<ObjectStepResult[]>;
}

/** Whether a source has the snapshot and schema capabilities (tables and rows). */
export function hasTables(s: SourceCore): s is Source;
export function hasTables(t: TargetCore): t is Target;
export function hasTables(x: SourceCore | TargetCore): boolean {
  const c = x.capabilities();
  return 'snapshot' in c ? c.snapshot && c.schema : c.schema;
}

// ---------------------------------------------------------------- registry

export type ConnectorKind = Connection['kind'];

/** What a connector kind registers (registry.ts): how to build its sides and test a connection. */
export interface ConnectorDefinition {
  kind: ConnectorKind;
  source?(conn: Connection): SourceCore;
  target?(conn: Connection, opts: TargetOptions): TargetCore;
  check(conn: Connection, role: 'source' | 'target'): Promise<CheckResult>;
}

export interface TargetOptions {
  maxConnections?: number;
  /** MySQL: LOAD DATA LOCAL for bulk loads (default on). */
  loadData?: boolean;
}

export type { Connection, JobSpec };
