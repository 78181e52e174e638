/**
 * Per-table verification specs: the load's plan options (so chunks and read
 * expressions match the full load) and the column/key pairing of a mapped
 * table against the target catalog (see index.ts).
 */
import type { EngineTaskInput } from '../engine/hooks';
import type { ColumnInfo, KeyValue, PlanOptions, SnapshotTask, TableInfo, Value } from '../connectors/spi';
import { ConnectorError } from '../connectors/spi';
import { findTableMapping, type TableMappingResult } from '../engine/type-mapping';
import { buildPairs } from './canonical';
import type { KeyColumn, VerifyChunk, VerifyTableSpec } from './verify-types';

function keyConverter(m: TableMappingResult, col: string): (v: string | null) => string | null {
  const c = m.columns.find((x) => x.source.name === col);
  const f = c?.convert;
  if (!f) return (v) => v;
  return (v) => {
    const out: Value = f(v);
    return out === null ? null : typeof out === 'string' ? out : out.toString('hex');
  };
}

/** The plan options the full load uses (engine/full-load.ts prepare()), so chunks and read expressions match. */
export function planOptions(job: EngineTaskInput['job'], mapped: TableMappingResult[], resume: Record<string, unknown>): PlanOptions {
  const perTable: NonNullable<PlanOptions['perTable']> = {};
  for (const m of mapped) {
    const key = `${m.source.schema}.${m.source.name}`;
    const mm = findTableMapping(job.mapping, m.source.schema, m.source.name);
    const readExpr: Record<string, string> = {};
    for (const c of m.columns) if (c.readExpr) readExpr[c.source.name] = c.readExpr;
    const stored = resume[`plan:${key}`] as { bounds?: KeyValue[] } | undefined;
    perTable[key] = {
      columns: m.columns.map((c) => c.source.name),
      ...(mm?.chunkSize ? { chunkSize: mm.chunkSize } : {}),
      ...(m.where ? { where: m.where } : {}),
      ...(Object.keys(readExpr).length ? { readExpr } : {}),
      ...(stored?.bounds ? { bounds: stored.bounds } : {}),
    };
  }
  return { snapshot: true, cdc: false, chunkSize: job.options.chunkSize, perTable };
}

/** Builds the per-table verification spec from the mapping, the target catalog and the plan tasks. */
export function tableSpec(m: TableMappingResult, targetTable: TableInfo, tasks: SnapshotTask[]): VerifyTableSpec {
  const src = m.source;
  const mappedSource: ColumnInfo[] = m.columns.map((c) => c.source);
  const nameMap = new Map(m.columns.map((c) => [c.source.name, c.target.name]));
  const { pairs, missing } = buildPairs(mappedSource, targetTable.columns, (n) => nameMap.get(n));
  if (missing.length) {
    throw new ConnectorError(`target table ${targetTable.name} has no column ${missing.map((x) => `"${x}"`).join(', ')}`, {
      class: 'config',
      code: 'INCOMPATIBLE_TARGET',
      table: targetTable.name,
      column: missing[0]!,
      fix: 'run the full load first, or align the mapping with the target table',
    });
  }
  const key: KeyColumn[] = src.primaryKey.map((k) => {
    const p = pairs.find((x) => x.source === k);
    if (!p)
      throw new ConnectorError(`primary key column ${src.name}.${k} is not mapped to the target`, {
        class: 'config',
        code: 'PK_EXCLUDED',
        table: src.name,
        column: k,
      });
    const sc = src.columns.find((c) => c.name === k);
    const tc = targetTable.columns.find((c) => c.name === p.target);
    return {
      source: k,
      target: p.target,
      sourceType: p.sourceType,
      targetType: p.targetType,
      ...(sc?.collation ? { sourceCollation: sc.collation } : {}),
      ...(tc?.collation ? { targetCollation: tc.collation } : {}),
    };
  });
  const mine = tasks.filter((t) => t.schema === src.schema && t.table === src.name).sort((a, b) => a.index - b.index);
  const chunks: VerifyChunk[] =
    key.length === 0 || mine.length === 0 || mine.some((t) => t.keyColumns.length === 0)
      ? [{ index: 0, lower: null, upper: null }]
      : mine.map((t) => ({ index: t.index, lower: t.lower, upper: t.upper }));
  const notes = pairs.filter((p) => p.note).map((p) => `${p.source}: ${p.note}`);
  return {
    name: `${src.schema}.${src.name}`,
    source: { schema: src.schema, table: src.name, ...(m.where ? { where: m.where } : {}) },
    target: { schema: targetTable.schema, table: targetTable.name },
    pairs,
    key,
    keyToTarget: key.map((k) => keyConverter(m, k.source)),
    chunks,
    rowEstimate: src.rowEstimate,
    notes,
  };
}
