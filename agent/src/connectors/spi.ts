/**
 * The connector SPI (DESIGN.md §5). Every database (and later Kafka) plugs in
 * as a Source and/or a Target. The engine only talks to these interfaces.
 *
 * Values travel as exact text or Buffers, never as JS numbers:
 *   - `string` holds the source's exact text form (bigint, decimal, float text,
 *     timestamps with microseconds, json text, bit strings like '0101').
 *   - `Buffer` holds binary data (bytea, BLOB, BINARY, geometry WKB).
 *   - `null` is SQL NULL.
 * The engine converts between engines' text forms with the per-column
 * converters from `engine/type-mapping.ts`.
 */
import type { Connection, JobSpec } from '../protocol';

// ---------------------------------------------------------------- errors

export type ErrorClass = 'config' | 'transient' | 'system';

export interface ConnectorErrorInit {
  /** config: the user must change something; transient: retry may help; system: a bug or unexpected state. */
  class: ErrorClass;
  retryable?: boolean;
  /** Stable machine code, e.g. 'AUTH_FAILED', 'UNREACHABLE', 'TABLE_MISSING', 'INCOMPATIBLE_TARGET'. */
  code: string;
  /** What the user can do about it. */
  fix?: string;
  table?: string;
  column?: string;
  cause?: unknown;
}

export class ConnectorError extends Error {
  readonly class: ErrorClass;
  readonly retryable: boolean;
  readonly code: string;
  readonly fix?: string;
  readonly table?: string;
  readonly column?: string;
  constructor(message: string, init: ConnectorErrorInit) {
    super(message, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.name = 'ConnectorError';
    this.class = init.class;
    this.retryable = init.retryable ?? init.class === 'transient';
    this.code = init.code;
    if (init.fix !== undefined) this.fix = init.fix;
    if (init.table !== undefined) this.table = init.table;
    if (init.column !== undefined) this.column = init.column;
  }
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, class: this.class, retryable: this.retryable, code: this.code, fix: this.fix, table: this.table, column: this.column };
  }
}

export function isConnectorError(e: unknown): e is ConnectorError {
  return e instanceof ConnectorError;
}

// ---------------------------------------------------------------- types

export type Engine = 'postgres' | 'mysql';

/** Engine-neutral type family. Native details stay in ColumnInfo.nativeType. */
export type CanonicalKind =
  | 'bool'
  | 'int' // bits: 8 | 16 | 24 | 32 | 64, unsigned
  | 'decimal' // precision/scale (undefined = unconstrained)
  | 'float' // bits: 32 | 64
  | 'money'
  | 'char' // fixed length
  | 'varchar' // length (undefined = unbounded)
  | 'text' // textSize
  | 'binary' // fixed length
  | 'varbinary'
  | 'blob'
  | 'date'
  | 'time' // fsp
  | 'timetz'
  | 'datetime' // no time zone, fsp
  | 'timestamptz' // an instant, fsp
  | 'year'
  | 'interval'
  | 'json' // binaryJson: jsonb
  | 'uuid'
  | 'enum' // enumValues
  | 'set' // enumValues
  | 'bit' // length, varying
  | 'inet'
  | 'cidr'
  | 'macaddr'
  | 'xml'
  | 'geometry'
  | 'array' // element
  | 'other'; // anything else, carried as text

export interface ColumnType {
  kind: CanonicalKind;
  /** Integer width in bits, or 32/64 for floats. */
  bits?: number;
  unsigned?: boolean;
  /** char/varchar/binary/varbinary/bit length. */
  length?: number;
  precision?: number;
  scale?: number;
  /** Fractional seconds precision for time/datetime/timestamptz. */
  fsp?: number;
  /** tiny | text | medium | long, for MySQL text/blob sizes. */
  size?: 'tiny' | 'normal' | 'medium' | 'long';
  /** bit varying / varbit. */
  varying?: boolean;
  /** jsonb rather than json. */
  binaryJson?: boolean;
  enumValues?: string[];
  /** PG name of a user-defined enum type. */
  enumTypeName?: string;
  /** Element type of an array. */
  element?: ColumnType;
}

export interface ColumnInfo {
  name: string;
  ordinal: number;
  /** The full native declaration, e.g. 'bigint(20) unsigned', 'character varying(40)', 'timestamp(3) with time zone'. */
  nativeType: string;
  /** The native base name, lower case, e.g. 'bigint', 'varchar', 'timestamptz', 'enum'. */
  dataType: string;
  type: ColumnType;
  nullable: boolean;
  /** The default as a SQL expression in the source dialect, or null. */
  default: string | null;
  /** AUTO_INCREMENT or identity/serial. */
  autoIncrement: boolean;
  /** PG: 'always' | 'by default' identity. */
  identity?: 'always' | 'by default';
  /** Generated (computed) column expression; such columns are not copied. */
  generated?: string;
  charset?: string;
  collation?: string;
  comment?: string;
}

export interface IndexInfo {
  name: string;
  columns: string[];
  unique: boolean;
  /** btree, hash, gin, fulltext, spatial ... */
  method?: string;
  /** Native definition if the index uses expressions/partial predicates (then it is not portable). */
  definition?: string;
}

export interface ForeignKeyInfo {
  name: string;
  columns: string[];
  refSchema: string;
  refTable: string;
  refColumns: string[];
  onUpdate: string;
  onDelete: string;
}

export interface TableInfo {
  schema: string;
  name: string;
  columns: ColumnInfo[];
  /** Primary key column names in key order; empty when the table has none. */
  primaryKey: string[];
  uniqueKeys: IndexInfo[];
  /** Secondary (non-PK) indexes, unique ones included. */
  indexes: IndexInfo[];
  foreignKeys: ForeignKeyInfo[];
  rowEstimate: number;
  /** Data + index bytes as reported by the catalogue. */
  sizeBytes: number;
  /** Average row length, bytes. */
  avgRowBytes: number;
  /** Current AUTO_INCREMENT / sequence value if known. */
  autoIncrementNext?: string;
  comment?: string;
}

export interface Catalog {
  engine: Engine;
  /** Server version string. */
  version: string;
  /** Flavour: 'mariadb' | 'mysql' | 'postgres'. */
  flavor: 'mariadb' | 'mysql' | 'postgres';
  database: string;
  schemas: string[];
  tables: TableInfo[];
}

// ---------------------------------------------------------------- positions

/** Positions are versioned and only ever gain fields (DESIGN.md §5 rule 4). */
export interface PgPositionV1 {
  v: 1;
  kind: 'pg';
  /** Commit LSN, e.g. '16/B374D848'. */
  lsn: string;
  /** Sequence of the change within the transaction. */
  seq?: number;
  /** CDC: the logical replication slot and publication this position belongs to. */
  slot?: string;
  publication?: string;
  /** CDC: commit LSN of a transaction applied up to `seq` (resume inside it). */
  txLsn?: string;
}

export interface MysqlPositionV1 {
  v: 1;
  kind: 'mysql';
  /** GTID set (MariaDB: gtid_binlog_pos; MySQL: gtid_executed). */
  gtidSet?: string;
  file?: string;
  pos?: number;
  /** Events and rows already applied within the transaction at this position. */
  skipEvents?: number;
  skipRows?: number;
}

export interface KafkaPositionV1 {
  v: 1;
  kind: 'kafka';
  /** topic -> partition -> next offset. */
  offsets: Record<string, Record<string, string>>;
}

export type SourcePosition = PgPositionV1 | MysqlPositionV1 | KafkaPositionV1;

/** A key value: each PK column's exact text (or hex-prefixed Buffer in JSON) in key order. */
export type KeyValue = (string | null)[];

/** Where a chunk read stands. Stored in checkpoints (JSON-safe). */
export interface ChunkCursor {
  v: 1;
  /** The chunk finished and the target committed all of it. */
  done: boolean;
  /** The last key written and committed (keyset reads continue after it). */
  after?: KeyValue;
  /** Rows committed so far in this chunk. */
  rows: number;
  bytes?: number;
}

// ---------------------------------------------------------------- plans and tasks

export interface StreamRef {
  /** Source schema (PG) or database (MySQL). */
  schema: string;
  table: string;
}

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

/** Rows already encoded in a wire format both sides speak (PG -> PG COPY text passes straight through). */
export interface EncodedRows {
  format: 'pg-copy-text';
  chunks: Buffer[];
  rows: number;
}

export interface ReadOptions {
  worker: number;
  batchRows: number;
  batchBytes: number;
  signal?: AbortSignal;
  /** Ask for pre-encoded batches (Batch.encoded, rows left empty) when the source can produce this format. */
  passthrough?: EncodedRows['format'];
}

export interface Batch {
  /** Target-side column order is decided by the engine; this is source order. */
  columns: string[];
  /** Decoded rows; empty when `encoded` is set. */
  rows: Row[];
  /** Set instead of rows when ReadOptions.passthrough was honoured. */
  encoded?: EncodedRows;
  /** Approximate payload bytes. */
  bytes: number;
  /** The cursor after this batch (commit it once the target has the batch). */
  cursor: ChunkCursor;
}

export type Value = string | Buffer | null;
export type Row = Value[];

/** A change event from CDC (typed now, implemented by the CDC connector work). */
export interface ChangeEvent {
  op: 'insert' | 'update' | 'delete' | 'truncate';
  schema: string;
  table: string;
  /** Key column values (before image for updates/deletes). */
  key?: Record<string, Value>;
  after?: Record<string, Value>;
  before?: Record<string, Value>;
  position: SourcePosition;
  commitTs?: number;
}

export interface ChangeStream extends AsyncIterable<ChangeEvent[]> {
  /** Everything up to and including `upTo` is durable on the target; the source may release it. */
  ack(upTo: SourcePosition): Promise<void>;
  close(): Promise<void>;
}

export interface SourceCapabilities {
  snapshot: boolean;
  cdc: boolean;
  /** Can all workers share one consistent snapshot. */
  sharedSnapshot: boolean;
  /** Chunks for tables without a PK (PG ctid). */
  physicalChunks: boolean;
}

export interface TargetCapabilities {
  transactions: boolean;
  /** Fast bulk path available (COPY / LOAD DATA LOCAL). */
  bulkLoad: boolean;
  upsert: boolean;
}

export interface CheckResult {
  ok: boolean;
  version?: string;
  checks: { name: string; ok: boolean; message: string; fix?: string }[];
}

/** The reading side. One instance per job run; it owns its connections. */
export interface Source {
  readonly engine: Engine;
  capabilities(): SourceCapabilities;
  check(): Promise<CheckResult>;
  discover(filter?: (schema: string, table: string) => boolean): Promise<Catalog>;
  /** Create slots/publications (CDC); no-op for a pure snapshot. */
  setup(streams: StreamRef[], opts: { cdc: boolean }): Promise<void>;
  cleanup(streams: StreamRef[]): Promise<void>;
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
  startCdc(from: SourcePosition, streams: StreamRef[]): Promise<ChangeStream>;
  close(): Promise<void>;
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
  | { op: 'createTable'; table: TargetTable; existing: 'fail' | 'truncate' | 'upsert' }
  | { op: 'createIndexes'; table: TargetTable }
  | { op: 'createForeignKeys'; table: TargetTable }
  | { op: 'syncIdentity'; table: TargetTable };

export interface ApplySchemaResult {
  /** `schema.table` -> what happened. */
  tables: Record<string, 'created' | 'exists' | 'truncated' | 'unchanged'>;
  warnings: string[];
}

/** Fencing token: writes are refused once the fence is stale. */
export interface Fence {
  jobId: string;
  stream: string;
  /** The lease/attempt id; checked where the target can (the `_sluice_checkpoints` table). */
  token?: string;
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
  commit(): Promise<void>;
  close(): Promise<void>;
}

export interface Target {
  readonly engine: Engine;
  capabilities(): TargetCapabilities;
  check(): Promise<CheckResult>;
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
  close(): Promise<void>;
}

// ---------------------------------------------------------------- factory

export interface ConnectorFactory {
  source(conn: Connection): Source;
  target(conn: Connection): Target;
}

export type { Connection, JobSpec };
