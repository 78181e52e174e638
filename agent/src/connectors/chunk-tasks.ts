/**
 * Snapshot tasks over key ranges, shared by the SQL sources: `bounds` are the
 * chunk upper bounds (the last chunk is open-ended).
 */
import type { KeyValue, SnapshotTask, TableInfo } from './spi';

export function pushTasks(
  tasks: SnapshotTask[],
  t: TableInfo,
  bounds: KeyValue[],
  base: Pick<SnapshotTask, 'schema' | 'table' | 'columns' | 'readExpr' | 'where'>,
): void {
  const n = bounds.length + 1;
  const est = Math.max(0, Math.ceil(t.rowEstimate / n));
  for (let i = 0; i < n; i++) {
    const stream = `chunk:${t.schema}.${t.name}:${i}`;
    tasks.push({
      id: stream,
      stream,
      index: i,
      keyColumns: t.primaryKey,
      lower: i === 0 ? null : bounds[i - 1]!,
      upper: i === n - 1 ? null : bounds[i]!,
      rowEstimate: est,
      byteEstimate: est * Math.max(1, t.avgRowBytes),
      ...base,
    });
  }
}
