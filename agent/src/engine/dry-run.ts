/**
 * Dry run: the full load's plan (the same prepare: checks, discovery, mapping,
 * chunk plan) with rows, bytes, warnings and a time estimate from a timed sample
 * read of the largest table. Nothing is written to the target.
 */
import type { Connection, JobSpec } from '../protocol';
import type { EngineHooks } from './hooks';
import { prepare } from './full-load';
import type { ObjectPlanEntry } from '../protocol/objects-shapes';
import { mayDeferKey } from './schema-phase';
import type { TableMappingResult } from './type-mapping';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What the load builds after the copy: the key when the table is created by the job and can load without it. */
function afterLoad(job: JobSpec, target: Parameters<typeof mayDeferKey>[0]['target'], m: TableMappingResult): string[] {
  const out: string[] = [];
  if (mayDeferKey({ target, job }, m)) out.push('primary key (when the job creates the table)');
  if (job.options.createSecondaryIndexes && m.target.indexes.length) out.push(plural(m.target.indexes.length, 'index', 'indexes'));
  if (job.options.createForeignKeys && m.target.foreignKeys.length) out.push(plural(m.target.foreignKeys.length, 'foreign key', 'foreign keys'));
  return out;
}

export interface DryRunTable {
  table: string;
  target: string;
  rows: number;
  bytes: number;
  chunks: number;
  estimatedSeconds: number;
  /** What the target builds after the rows are in, in order (e.g. "primary key", "2 indexes", "1 foreign key"). */
  afterLoad: string[];
  warnings: string[];
  /** Columns that can meet values the target can't hold, with what those are and the column's policy. */
  outOfRange: { column: string; targetType: string; values: string; policy: string }[];
}

export interface PlanReport extends Record<string, unknown> {
  dryRun: true;
  tables: DryRunTable[];
  totalRows: number;
  totalBytes: number;
  /** Rows/s measured by sampling the largest table; null when nothing could be sampled. */
  measuredRowsPerSec: number | null;
  estimatedSeconds: number;
  warnings: string[];
  cdcStart?: unknown;
  /** Every schema object: carried, translated (with the target DDL) or not carried (why, and what to do). */
  objects: ObjectPlanEntry[];
}

/** Dry run: the plan with rows, bytes, and an estimate from a timed sample read. */
export async function dryRun(job: JobSpec, sourceConn: Connection, targetConn: Connection, log: EngineHooks['log'] = () => {}): Promise<PlanReport> {
  const p = await prepare(job, sourceConn, targetConn, {}, log);
  try {
    let rate: number | null = null;
    const biggest = [...p.plan.tasks].sort((a, b) => b.rowEstimate - a.rowEstimate)[0];
    if (biggest && biggest.rowEstimate > 0) {
      await p.source.openSnapshot(1);
      const t0 = performance.now();
      let n = 0;
      for await (const b of p.source.readTask(biggest, undefined, { worker: 0, batchRows: 20_000, batchBytes: 16 << 20 })) {
        n += b.rows.length;
        break;
      }
      const dt = (performance.now() - t0) / 1000;
      // reading is roughly half the work of a copy (read + write); parallel workers scale it
      if (n > 0 && dt > 0) rate = Math.round(n / dt);
    }
    const par = job.options.parallelism;
    const eff = rate ? (rate / 2) * Math.min(par, 2) : 50_000;
    const tables: DryRunTable[] = p.mapped.map((m) => {
      const tasks = p.plan.tasks.filter((t) => t.schema === m.source.schema && t.table === m.source.name);
      const rows = m.source.rowEstimate;
      return {
        table: m.source.name,
        target: `${m.target.schema}.${m.target.name}`,
        rows,
        bytes: m.source.sizeBytes,
        chunks: tasks.length,
        estimatedSeconds: Math.ceil(rows / eff),
        afterLoad: afterLoad(job, p.target, m),
        warnings: m.warnings,
        outOfRange: m.columns.flatMap((c) =>
          c.policy ? [{ column: c.source.name, targetType: c.target.sqlType, values: c.policy.guard.what, policy: c.policy.policy }] : [],
        ),
      };
    });
    const totalRows = tables.reduce((n, t) => n + t.rows, 0);
    return {
      dryRun: true,
      tables,
      totalRows,
      totalBytes: tables.reduce((n, t) => n + t.bytes, 0),
      measuredRowsPerSec: rate,
      estimatedSeconds: Math.ceil(totalRows / eff),
      warnings: p.warnings,
      objects: p.objects.entries,
      ...(p.plan.cdcStart ? { cdcStart: p.plan.cdcStart } : {}),
    };
  } finally {
    await Promise.all([p.source.close(), p.target.close()]);
  }
}
