/**
 * The policy for values a target can't hold (issue 15 item 4), per column: `fail` (stop, naming
 * the table, column, key and value), `null` (store NULL, counted), `clamp` (store the nearest
 * value the target holds, counted; NULL where there is none, e.g. NaN) or `dead-letter` (the row
 * goes to the target's `_sluice_rejects` table with its key, column, value and reason instead of
 * the table). The default is dead-letter: nothing is lost (the value is kept, rendered safely, in
 * `_sluice_rejects`), nothing is silent (the count is reported), and the rest of the table still
 * arrives. The policy wraps the column's converters, so the full load, CDC and repair apply it
 * the same way.
 */
import { createHash } from 'node:crypto';
import { ConnectorError } from '../connectors/connector-error';
import { sideTable, type SideColumn } from '../connectors/side-table';
import type { Engine, Row, TargetTable, Value } from '../connectors/spi';
import type { OutOfRangePolicy } from '../protocol';
import type { RangeGuard } from './value-guards';

export const REJECTS_TABLE = '_sluice_rejects';
const MAX_VALUE_CHARS = 1000;

/** What the policy did to one column's values in this run. */
export interface PolicyCounts {
  nulled: number;
  clamped: number;
  rejected: number;
}

/** A column's guard and policy, with its counts (shared by every chunk of a run). */
export interface ColumnPolicy {
  policy: OutOfRangePolicy;
  guard: RangeGuard;
  counts: PolicyCounts;
}

/** Thrown by a dead-letter converter; the row loop moves the row to `_sluice_rejects`. */
export class RowRejected extends Error {
  constructor(
    readonly column: string,
    readonly value: string,
    readonly reason: string,
  ) {
    super(`row rejected: ${reason}`);
    this.name = 'RowRejected';
  }
}

/** A value as stored in `_sluice_rejects`: control characters escaped, cut at 1000 characters. */
export function renderRejectedValue(v: Value): string | null {
  if (v === null) return null;
  const s = Buffer.isBuffer(v) ? `\\x${v.toString('hex')}` : v;
  const esc = s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return esc.length > MAX_VALUE_CHARS ? `${esc.slice(0, MAX_VALUE_CHARS - 1)}…` : esc;
}

/** What the plan says about a column's policy. */
export function describePolicy(p: OutOfRangePolicy): string {
  switch (p) {
    case 'fail':
      return 'the load fails on the first such value (the table is left partly copied)';
    case 'null':
      return 'such values are stored as NULL (counted)';
    case 'clamp':
      return 'such values are stored as the nearest value the target holds (counted)';
    default:
      return `rows holding such values go to ${REJECTS_TABLE} in the target (counted)`;
  }
}

/**
 * Wraps a column converter with its policy. The guard sees the source text form; the result is
 * converted by `base` as any other value.
 */
export function withPolicy(base: ((v: Value) => Value) | null, cp: ColumnPolicy, where: { table: string; column: string }): (v: Value) => Value {
  const conv = base ?? ((v: Value) => v);
  return (v) => {
    if (typeof v !== 'string') return conv(v);
    const reason = cp.guard.outside(v);
    if (reason === null) return conv(v);
    switch (cp.policy) {
      case 'null':
        cp.counts.nulled++;
        return null;
      case 'clamp': {
        const c = cp.guard.clamp(v);
        if (c === null) cp.counts.nulled++;
        else cp.counts.clamped++;
        return c === null ? null : conv(c);
      }
      case 'dead-letter':
        cp.counts.rejected++;
        throw new RowRejected(where.column, v, reason);
      default:
        throw new ConnectorError(`${where.table}.${where.column}: ${reason}, which the target cannot store (policy fail)`, {
          class: 'config',
          code: 'VALUE_OUT_OF_RANGE',
          retryable: false,
          table: where.table,
          column: where.column,
          fix: `the table is left partly copied; set mapping["${where.table}"].outOfRange["${where.column}"] (or options.outOfRange) to dead-letter, null or clamp, or change the value at the source, then run again`,
        });
    }
  };
}

/** The `_sluice_rejects` table: one row per rejected (job, table, row, column). */
const REJECTS_COLUMNS: readonly SideColumn[] = [
  ['reject_id', 'CHAR(40)', 'char(40)', 'char', false],
  ['job_id', 'VARCHAR(128)', 'varchar(128)', 'varchar', false],
  ['source_table', 'VARCHAR(255)', 'varchar(255)', 'varchar', false],
  ['row_key', 'TEXT', 'text', 'text', true],
  ['column_name', 'VARCHAR(64)', 'varchar(64)', 'varchar', false],
  ['value', 'TEXT', 'text', 'text', true],
  ['reason', 'TEXT', 'text', 'text', false],
  ['phase', 'VARCHAR(16)', 'varchar(16)', 'varchar', false],
  ['rejected_at', 'DATETIME(6)', 'timestamp(6)', 'datetime', false],
];

export function rejectsTable(engine: Engine, schema: string): TargetTable {
  return sideTable(engine, schema, REJECTS_TABLE, REJECTS_COLUMNS, ['reject_id']);
}

export const REJECT_COLUMNS = rejectsTable('postgres', '').columns.map((c) => c.name);

/**
 * One `_sluice_rejects` row, in REJECT_COLUMNS order. The id hashes (job, table, key, column), so
 * writing the same reject again (a retried chunk, a replayed CDC batch) replaces it; a row without
 * a key is identified by all its values.
 */
export function rejectRow(jobId: string, table: string, key: Record<string, Value> | null, row: Row, r: RowRejected, phase: 'load' | 'cdc' | 'repair'): Row {
  const keyText = key ? JSON.stringify(Object.fromEntries(Object.entries(key).map(([k, v]) => [k, renderRejectedValue(v)]))) : null;
  const identity = keyText ?? JSON.stringify(row.map(renderRejectedValue));
  const id = createHash('sha1').update(`${jobId}\u0000${table}\u0000${identity}\u0000${r.column}`).digest('hex');
  const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
  return [id, jobId, table, keyText, r.column, renderRejectedValue(r.value), r.reason, phase, now];
}
