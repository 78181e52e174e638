/**
 * Per-column name and value mapping for CDC, built with the full-load engine's
 * own type mapping (engine/type-mapping.ts), so a row changed during CDC lands
 * exactly as the snapshot wrote it. The snapshot reads a few PG types through a
 * SQL expression (`readExpr`: money as numeric, arrays as JSON); CDC values
 * arrive in their plain text form, so the mapping gives those an equivalent
 * converter (`streamConvert`), used here.
 */
import type { EngineTaskInput } from '../engine/hooks';
import { connectors } from '../connectors';
import type { Value } from '../connectors/spi';
import { findTableMapping, mapTable } from '../engine/type-mapping';
import type { TableKey } from './types';

export interface ColumnMap {
  target: string;
  /** Target SQL type (for ADD COLUMN). */
  sqlType: string;
  convert: ((v: Value) => Value) | null;
}

export interface TableColumnMaps {
  /** Every source column the catalog knows (excluded and generated ones included). */
  known: Set<string>;
  /** Copied columns only. */
  columns: Map<string, ColumnMap>;
  /** The source table's primary key when the map was read (a change read after the table was dropped still applies by it). */
  keyColumns?: string[];
  /** A column's outOfRange policy is dead-letter: rows can go to `_sluice_rejects`. */
  deadLetter?: boolean;
}

export async function buildColumnMaps(input: EngineTaskInput, tables: TableKey[]): Promise<Map<TableKey, TableColumnMaps>> {
  const out = new Map<TableKey, TableColumnMaps>();
  if (!input.target) return out;
  const wanted = new Set(tables);
  const src = connectors.createSource(input.source);
  const tgt = connectors.createTarget(input.target, { maxConnections: 1 });
  try {
    // Column mapping needs tables on both sides (schema capability); otherwise values pass through.
    if (!src.capabilities().schema || !tgt.capabilities().schema) return out;
    const catalog = await src.discover((s, t) => wanted.has(`${s}.${t}`));
    for (const t of catalog.tables) {
      const mapped = mapTable(t, src.engine, tgt.engine, tgt.namespace, findTableMapping(input.job.mapping, t.schema, t.name), input.job.options);
      const columns = new Map<string, ColumnMap>();
      for (const c of mapped.columns) {
        // A column the snapshot reads through a SQL expression (readExpr) arrives in CDC in its plain text form.
        const convert = c.streamConvert ?? c.convert;
        columns.set(c.source.name, { target: c.target.name, sqlType: c.target.sqlType, convert });
      }
      const deadLetter = mapped.columns.some((c) => c.policy?.policy === 'dead-letter');
      out.set(`${t.schema}.${t.name}`, {
        known: new Set(t.columns.map((c) => c.name)),
        columns,
        keyColumns: t.primaryKey,
        ...(deadLetter ? { deadLetter } : {}),
      });
    }
  } finally {
    await Promise.all([src.close(), tgt.close()]);
  }
  return out;
}
