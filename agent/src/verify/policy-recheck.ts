/**
 * Rows that differ because the column's outOfRange policy decided so (issue 15 item 4) are not
 * mismatches: a row the policy sent to `_sluice_rejects` (dead-letter) is absent from the target,
 * and a value the policy stored as NULL or clamped differs from the source. The differing rows are
 * re-read from the source with the connector's own reader (the text form the load converted), each
 * guarded column is checked, and a row counts as handled by the policy when
 * - it is missing on the target and one of its values is out of range under dead-letter, or
 * - it differs only in columns whose source value is out of range under null or clamp.
 * Such rows are taken out of the diff (repair leaves them alone) and counted.
 */
import type { KeyValue, Source } from '../connectors/spi';
import type { TableMappingResult } from '../engine/type-mapping';
import { repairRanges, type ChunkDiff, type TableSql } from './core';
import type { SqlSession } from './db';
import { compareRows } from './differences';
import { narrowedTask } from './repair';
import type { SnapshotTask } from '../connectors/spi';

/** Whether the mapping has a column whose policy can make a row differ. */
export function hasValuePolicy(m: TableMappingResult): boolean {
  return m.columns.some((c) => c.policy && c.policy.policy !== 'fail');
}

/** Removes the rows the policy explains from `diff`; returns how many. */
export async function policyRecheck(
  sql: TableSql,
  src: SqlSession,
  tgt: SqlSession,
  diff: ChunkDiff,
  m: TableMappingResult,
  task: SnapshotTask | undefined,
  source: (() => Promise<Source>) | undefined,
): Promise<number> {
  if (diff.keyless || !task || !source || !hasValuePolicy(m)) return 0;
  const bad = [...diff.missing, ...diff.different];
  if (bad.length === 0) return 0;
  const ranges = await repairRanges(bad, diff.sourceKeys, async (k) => {
    const r = (await src.query(sql.predecessor(k)))[0];
    return r ? sql.spec.key.map((_, i) => r[`n${i}`] ?? null) : null;
  });
  // Source columns out of range per key, with their policy.
  const outOf = new Map<string, Map<string, string>>();
  const s = await source();
  let n = 0;
  for (const r of ranges) {
    const t = narrowedTask(task, r.lower, r.upper, `policy${n++}`);
    for await (const b of s.readTask(t, undefined, { worker: 0, batchRows: 5000, batchBytes: 16 << 20 })) {
      const keyIdx = task.keyColumns.map((k) => b.columns.indexOf(k));
      const guarded = m.columns.filter((c) => c.policy && c.policy.policy !== 'fail').map((c) => ({ c, i: b.columns.indexOf(c.source.name) }));
      for (const row of b.rows) {
        const cols = new Map<string, string>();
        for (const { c, i } of guarded) {
          const v = i >= 0 ? row[i] : null;
          if (typeof v === 'string' && c.policy!.guard.outside(v) !== null) cols.set(c.source.name, c.policy!.policy);
        }
        if (cols.size) outOf.set(JSON.stringify(keyIdx.map((i) => (row[i] === null || row[i] === undefined ? null : String(row[i])))), cols);
      }
    }
  }
  if (outOf.size === 0) return 0;
  const handled = new Set<string>();
  for (const k of diff.missing) {
    const cols = outOf.get(JSON.stringify(k));
    if (cols && [...cols.values()].includes('dead-letter')) handled.add(JSON.stringify(k));
  }
  const candidates = diff.different.filter((k) => outOf.has(JSON.stringify(k)));
  if (candidates.length) {
    const c = await compareRows(sql, src, tgt, candidates);
    const byText = new Map(candidates.map((k) => [k.map((v) => (v === null ? 'NULL' : v)).join(', '), k]));
    for (const d of c.rows) {
      const k = byText.get(d.key);
      if (!k || d.kind !== 'different' || !d.columns || (d.columnsDiffering ?? 0) > d.columns.length) continue;
      const cols = outOf.get(JSON.stringify(k))!;
      const explained = d.columns.every((x) => {
        const p = cols.get(x.column.split(' -> ')[0]!);
        return p === 'null' || p === 'clamp';
      });
      if (explained) handled.add(JSON.stringify(k));
    }
    for (const k of c.equal) handled.add(JSON.stringify(k));
  }
  const keep = (k: KeyValue) => !handled.has(JSON.stringify(k));
  diff.missing = diff.missing.filter(keep);
  diff.different = diff.different.filter(keep);
  return handled.size;
}
