/** Source table/columns -> target table/columns, from the job's mapping section. */
import type { JobSpec } from '../protocol';
import type { TableKey } from './types';

export interface TargetTableMap {
  /** Target table name (schema/database come from the target connection). */
  name: string;
  /** source column -> target column; missing = same name. */
  columns: Record<string, string>;
  exclude: Set<string>;
}

export function targetTableFor(job: JobSpec, source: TableKey): TargetTableMap {
  const bare = source.includes('.') ? source.slice(source.indexOf('.') + 1) : source;
  const m = job.mapping[source] ?? job.mapping[bare];
  return { name: m?.rename ?? bare, columns: m?.columns ?? {}, exclude: new Set(m?.excludeColumns ?? []) };
}

export function targetColumn(map: TargetTableMap, sourceColumn: string): string | null {
  if (map.exclude.has(sourceColumn)) return null;
  return map.columns[sourceColumn] ?? sourceColumn;
}

/** Shell-style glob (`*`, `?`) used by the job's table include/exclude lists. */
export function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(text);
}

export function selectTables(job: Pick<JobSpec, 'tables'>, candidates: TableKey[]): TableKey[] {
  const bare = (k: string) => (k.includes('.') ? k.slice(k.indexOf('.') + 1) : k);
  const hit = (patterns: string[], k: string) => patterns.some((p) => globMatch(p, k) || globMatch(p, bare(k)));
  return candidates.filter((k) => hit(job.tables.include, k) && !hit(job.tables.exclude, k) && !bare(k).startsWith('_sluice'));
}
