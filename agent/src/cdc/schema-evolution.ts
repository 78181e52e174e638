/**
 * Schema evolution during CDC: source columns -> target columns through the
 * engine's column mapping (the same one the snapshot used), ADD COLUMN on the
 * target when the source adds one, and columns the target lacks (a missed
 * ADD COLUMN, e.g. across a restart) added before a batch that needs them.
 */
import type { EngineHooks, EngineTaskInput } from '../engine/hooks';
import type { ResolvedPlan } from './applier';
import type { TableColumnMaps } from './column-maps';
import { targetColumn, targetTableFor, type TargetTableMap } from './mapping';
import { translateType } from './type-map';
import { policyFor } from './schema-policy';
import type { Applier, CdcRow, CdcSource, CdcValue, SchemaChange, TableKey } from './types';

export type ColumnMapsLoader = (tables: TableKey[]) => Promise<Map<TableKey, TableColumnMaps>>;

export class SchemaEvolution {
  constructor(
    private readonly input: Pick<EngineTaskInput, 'job'>,
    private readonly hooks: Pick<EngineHooks, 'event' | 'log'>,
    private readonly source: Pick<CdcSource, 'engine' | 'describe'>,
    private readonly applier: Pick<Applier, 'engine' | 'columns' | 'addColumns'>,
    private readonly columnMaps: Map<TableKey, TableColumnMaps>,
    private readonly loadColumnMaps: ColumnMapsLoader,
  ) {}

  tableMap(table: TableKey): TargetTableMap {
    return targetTableFor(this.input.job, table);
  }

  /** Re-reads one table's column mapping after a schema change. */
  async refresh(table: TableKey): Promise<void> {
    try {
      const t = (await this.loadColumnMaps([table])).get(table);
      if (t) this.columnMaps.set(table, t);
    } catch (e) {
      this.hooks.log('warn', `cdc: could not refresh the column mapping of ${table}: ${(e as Error).message}`);
    }
  }

  /** The table's primary key as the column map last read it (the source may have dropped the table since). */
  keyColumns(table: TableKey): string[] | undefined {
    return this.columnMaps.get(table)?.keyColumns;
  }

  /** The target column of a source column; null when it is excluded or generated. */
  targetName(map: TargetTableMap, table: TableKey, column: string): string | null {
    const m = this.columnMaps.get(table)?.columns.get(column);
    return m ? m.target : targetColumn(map, column);
  }

  /** Source row -> target row: names and values through the column mapping. */
  mapRow(row: CdcRow, map: TargetTableMap, table: TableKey): CdcRow {
    const cm = this.columnMaps.get(table);
    const out: CdcRow = {};
    for (const [k, v] of Object.entries(row)) {
      const m = cm?.columns.get(k);
      if (m) out[m.target] = v !== null && m.convert ? (m.convert(v) as CdcValue) : v;
      else if (cm?.known.has(k))
        continue; // excluded or generated: not copied
      else {
        const t = targetColumn(map, k);
        if (t !== null) out[t] = v;
      }
    }
    return out;
  }

  columnFor(table: TableKey, map: TargetTableMap, c: { name: string; type: string }): { name: string; type: string } | null {
    const cm = this.columnMaps.get(table);
    const m = cm?.columns.get(c.name);
    if (m) return { name: m.target, type: m.sqlType };
    if (cm?.known.has(c.name)) return null; // excluded or generated
    const name = targetColumn(map, c.name);
    return name === null ? null : { name, type: translateType(c.type, this.source.engine, this.applier.engine) };
  }

  private async add(table: TableKey, targetTable: string, cols: { name: string; type: string }[]): Promise<void> {
    if (!cols.length) return;
    await this.applier.addColumns(targetTable, cols);
    this.hooks.event('table.column_added', `added ${cols.map((c) => `${c.name} ${c.type}`).join(', ')} to ${targetTable}`, { table, columns: cols });
  }

  /** A source ADD COLUMN: the same columns on the target. */
  async addColumns(change: Extract<SchemaChange, { kind: 'add_columns' }>): Promise<void> {
    const map = this.tableMap(change.table);
    await this.refresh(change.table);
    const cols = change.columns.map((c) => this.columnFor(change.table, map, c)).filter((c) => c !== null);
    await this.add(change.table, map.name, cols);
  }

  /** Columns the batch writes that the target lacks: add them first. False when the target table does not exist. */
  async addMissingColumns(plan: ResolvedPlan, table: TableKey): Promise<boolean> {
    const have = await this.applier.columns(plan.table);
    if (!have) return false;
    const missing = new Set<string>();
    for (const u of plan.upserts) for (const k of Object.keys(u.row)) if (!have.has(k)) missing.add(k);
    if (missing.size === 0) return true;
    if (policyFor(this.input.job, table) === 'ignore') {
      // Schema changes are ignored for this table: the target keeps its columns, and values of new ones are dropped.
      for (const u of plan.upserts) for (const k of missing) delete u.row[k];
      return true;
    }
    await this.refresh(table);
    const src = await this.source.describe(table);
    const map = this.tableMap(table);
    const cols = src.columns
      .filter((c) => missing.has(this.targetName(map, table, c.name) ?? ''))
      .map((c) => this.columnFor(table, map, c))
      .filter((c) => c !== null);
    await this.add(table, plan.table, cols);
    return true;
  }
}
