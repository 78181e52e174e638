/**
 * Shapes shared by chunk verification (core.ts), its SQL builder
 * (table-sql.ts) and the orchestration (index.ts).
 */
import type { ColumnType, KeyValue } from '../connectors/spi';
import type { ColumnPair } from './canonical';
import type { SampleKeys } from './sample-keys';

export interface KeyColumn {
  source: string;
  target: string;
  sourceType: ColumnType;
  targetType: ColumnType;
  sourceCollation?: string;
  targetCollation?: string;
}

export interface VerifyChunk {
  index: number;
  /** Exclusive lower bound (source key text), null = unbounded. */
  lower: KeyValue | null;
  /** Inclusive upper bound (source key text), null = unbounded. */
  upper: KeyValue | null;
}

export interface VerifyTableSpec {
  /** Display name: source `schema.table`. */
  name: string;
  source: { schema: string; table: string; where?: string };
  target: { schema: string; table: string };
  pairs: ColumnPair[];
  /** Key columns (source order); empty => the table is verified as one chunk and diffed as a multiset. */
  key: KeyColumn[];
  /** Converts a source key value text into the target's text form, per key column (engine converters). */
  keyToTarget: ((v: string | null) => string | null)[];
  chunks: VerifyChunk[];
  rowEstimate: number;
  notes: string[];
}

export interface ChunkSums {
  n: number;
  h: string;
}

export interface ChunkDiff {
  /** Source native keys of rows missing on the target, in source key order. */
  missing: KeyValue[];
  /** Source native keys of rows whose content differs. */
  different: KeyValue[];
  /** Target native keys of rows that the source does not have. */
  extra: KeyValue[];
  /** Source native keys of every row in the chunk, in key order (for repair ranges). */
  sourceKeys: KeyValue[];
  /** For tables without a key: multiset differences. */
  keyless?: { missing: number; extra: number };
}

export interface ColumnDifference {
  column: string;
  /** The safe rendering of the source value (null = SQL NULL). */
  source: string | null;
  target: string | null;
}

export interface RowDifference {
  kind: 'missing' | 'extra' | 'different';
  /** The key as text: column values in key order, comma-separated. */
  key: string;
  /** For `different`: the columns that differ (at most MAX_COLUMNS). */
  columns?: ColumnDifference[];
  /** For `different`: how many columns differ in all. */
  columnsDiffering?: number;
}

/** Only the fields the control plane stores (`verification_results`) plus context. */
export interface TableVerification {
  tableName: string;
  targetTable: string;
  status: 'ok' | 'repaired' | 'mismatch' | 'failed';
  chunks: number;
  chunksOk: number;
  chunksMismatched: number;
  chunksRepaired: number;
  rowsSource: number;
  rowsTarget: number;
  rowsMissing: number;
  rowsExtra: number;
  rowsDifferent: number;
  rowsRepaired: number;
  durationMs: number;
  notes: string[];
  error?: string;
  /** A few differing keys per kind (verify/sample-keys.ts). */
  sampleKeys?: SampleKeys;
  /** The first MAX_DIFFERENCES differing rows, named by key, with the differing columns and both values. */
  differences?: RowDifference[];
  /** Per chunk: index, (count, hash) on the source and the target (the receipt; not in events or checkpoints). */
  chunkSums?: { index: number; source: ChunkSums; target: ChunkSums }[];
  /** How many rows differ in all (missing + extra + different); `differences` holds the first of them. */
  differencesTotal?: number;
  /** Rows that differ as the columns' outOfRange policy decided (rejected to `_sluice_rejects`, NULL, clamped): not differences. */
  rowsByPolicy?: number;
}
