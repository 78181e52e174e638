/**
 * The change formats' shared model: what a database change looks like on its
 * way into a topic (FormatChange, TxMarker, DdlEvent), the Kafka records an
 * encoder produces (topic chosen by the caller) and what a decoder returns.
 * Values are the generic change values of changes.ts: exact text, Buffers
 * (binary columns) or null, never JS numbers.
 */
import type { CdcRow } from '../../changes';
import type { ColumnType, Engine } from '../../catalog';
import type { SourcePosition } from '../../position';
import type { KafkaFormat } from '../../../protocol/kafka-spec';

export type { KafkaFormat };

export interface FormatColumn {
  name: string;
  /** The native declaration, e.g. 'bigint(20) unsigned', 'timestamp(6) with time zone'. */
  nativeType: string;
  type: ColumnType;
  /** Default true. */
  nullable?: boolean;
}

export interface FormatTable {
  /** The source engine (the text forms of its values follow this engine). */
  engine: Engine;
  /** MySQL database, or PostgreSQL database name. */
  database: string;
  /** PostgreSQL schema; null for MySQL. */
  schema: string | null;
  name: string;
  columns: FormatColumn[];
  keyColumns: string[];
}

export interface FormatSource {
  /** Debezium's logical server name (topic.prefix): the job's `prefix`. */
  serverName: string;
  /** Source commit time, ms since the epoch. */
  tsMs: number;
  /** Snapshot read: 'true' for every row but the last of the snapshot ('last'); 'false' for changes. */
  snapshot: 'true' | 'last' | 'false';
  /** The source position of this change (or of its transaction). */
  position: SourcePosition | null;
  /** Source transaction id (GTID, PG xid or commit LSN); null for snapshot rows. */
  txId: string | null;
}

export type FormatOp = 'r' | 'c' | 'u' | 'd';

export interface FormatChange {
  op: FormatOp;
  table: FormatTable;
  before: CdcRow | null;
  after: CdcRow | null;
  source: FormatSource;
  /** When the event was written, ms since the epoch. */
  tsMs: number;
  /** Transaction metadata of the change (with transaction markers on). */
  tx?: { id: string; totalOrder: number; collectionOrder: number };
}

/** Debezium's transaction metadata event (BEGIN/END), the same shape in every format. */
export interface TxMarker {
  status: 'BEGIN' | 'END';
  id: string;
  tsMs: number;
  /** END only: changes in the transaction, total and per table (`db.table` / `schema.table`). */
  eventCount?: number;
  collections?: { name: string; count: number }[];
}

export interface DdlEvent {
  engine: Engine;
  database: string;
  schema: string | null;
  /** The table the DDL touches, when known. */
  table: string | null;
  ddl: string;
  source: FormatSource;
  tsMs: number;
  /** The table after the DDL, when known. */
  after?: FormatTable;
}

/** One Kafka record, topic left to the caller. A null value is a tombstone. */
export interface FormatRecord {
  key: Buffer | null;
  value: Buffer | null;
  /** Debezium's key-change headers (`__debezium.newkey` on the delete and its tombstone, `__debezium.oldkey` on the create). */
  headers?: [string, Buffer][];
}

export interface DecodedChange {
  kind: 'change';
  op: FormatOp;
  /** Engine of the source when the format says it (Debezium source.connector, Sluice JSON). */
  engine: Engine | null;
  database: string | null;
  schema: string | null;
  table: string;
  before: CdcRow | null;
  after: CdcRow | null;
  /** Column types, when the record carries them (Debezium `schema`, Canal mysqlType, Sluice JSON). */
  columns: FormatColumn[] | null;
  keyColumns: string[] | null;
  /** Columns of `after` the record marks as not sent by the source (Debezium's __debezium_unavailable_value): keep the target's. */
  unavailable?: string[];
  tsMs: number | null;
  txId: string | null;
}

export type Decoded =
  DecodedChange | { kind: 'tombstone' } | { kind: 'marker'; marker: TxMarker } | { kind: 'ddl'; database: string | null; table: string | null; ddl: string };

/** Thrown by a decoder for a record it cannot read; the Kafka -> database path dead-letters it with `message`. */
export class FormatError extends Error {}
