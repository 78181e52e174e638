/** MySQL's row-size limit for tables copied from PostgreSQL (type-mapping.ts calls it after mapping the columns). */
import type { ColumnInfo, TableInfo, TargetColumn } from '../connectors/spi';

/** What the fit reads and changes of a mapped column. */
export interface RowSizeColumn {
  source: Pick<ColumnInfo, 'name'>;
  target: TargetColumn;
}

/**
 * InnoDB rejects rows whose in-row columns exceed 65 535 bytes (VARCHAR(n) counts 4n bytes in
 * utf8mb4). Move the widest unindexed VARCHAR columns off-row (TEXT) until the table fits.
 */
export function fitMysqlRowSize(table: TableInfo, columns: RowSizeColumn[], warnings: string[]): void {
  const width = (c: RowSizeColumn) => {
    const t = c.target.type;
    if (t.kind === 'varchar' || t.kind === 'char') return (t.length ?? 255) * 4 + 2;
    if (t.kind === 'varbinary' || t.kind === 'binary') return (t.length ?? 255) + 2;
    if (t.kind === 'text' || t.kind === 'blob' || t.kind === 'json') return 12;
    if (t.kind === 'decimal') return Math.ceil((t.precision ?? 65) / 2) + 1;
    return 8;
  };
  let total = columns.reduce((n, c) => n + width(c), 0);
  if (total <= 65_000) return;
  const inIndex = (name: string) => table.primaryKey.includes(name) || table.indexes.some((i) => i.columns.includes(name));
  const movable = columns.filter((c) => c.target.type.kind === 'varchar' && !inIndex(c.source.name)).sort((a, b) => width(b) - width(a));
  for (const c of movable) {
    if (total <= 65_000) break;
    total -= width(c) - 12;
    const len = c.target.type.length ?? 255;
    c.target.sqlType = len <= 16_383 ? 'TEXT' : 'MEDIUMTEXT';
    c.target.type = { kind: 'text', size: len <= 16_383 ? 'normal' : 'medium' };
    warnings.push(`${table.name}.${c.source.name} is stored as ${c.target.sqlType} (the row would exceed MySQL's 65 535-byte row size as VARCHAR(${len}))`);
  }
}
