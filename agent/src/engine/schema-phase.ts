/**
 * The full load's schema work on the target: tables with their primary keys
 * before the copy (checkpointed as `schema:<table>` so a resumed run upserts
 * into the tables it created), keyless tables to reload whole, and after the
 * copy identity counters, secondary indexes and foreign keys (`post:<table>`).
 */
import { ConnectorError } from '../connectors/connector-error';
import { repairEnabled, type JobSpec } from '../protocol';
import type { SnapshotTask, Target } from '../connectors/spi';
import type { EngineHooks, Position } from './hooks';
import { cursorOf, tableKey } from './plan-store';
import type { ProgressTracker } from './progress';
import type { TableMappingResult } from './type-mapping';

export interface SchemaContext {
  target: Pick<Target, 'applySchema' | 'clearTable'>;
  job: Pick<JobSpec, 'options'>;
  resume: Record<string, Position>;
  hooks: Pick<EngineHooks, 'checkpoint' | 'log'>;
  progress: Pick<ProgressTracker, 'add' | 'setPhase'>;
}

const keyOf = (m: TableMappingResult) => tableKey(m.source.schema, m.source.name);

/**
 * Creates (or checks) every target table. Returns, per source table, whether
 * this run created or emptied it (its rows cannot exist yet: direct inserts).
 */
export async function createTables(
  ctx: SchemaContext,
  mapped: TableMappingResult[],
  tasksOf: (m: TableMappingResult) => SnapshotTask[],
): Promise<Map<string, boolean>> {
  const fresh = new Map<string, boolean>();
  for (const m of mapped) {
    const key = keyOf(m);
    const cursors = tasksOf(m)
      .map((t) => cursorOf(ctx.resume, t.stream))
      .map((c) => (m.source.primaryKey.length ? c : c?.done ? c : undefined));
    ctx.progress.add(
      m.source.name,
      m.source.rowEstimate,
      cursors.reduce((n, c) => n + (c?.rows ?? 0), 0),
      cursors.reduce((n, c) => n + (c?.bytes ?? 0), 0),
    );
    ctx.progress.setPhase(m.source.name, 'schema');
    const ours = !!ctx.resume[`schema:${key}`];
    const r = await ctx.target.applySchema([{ op: 'createTable', table: m.target, existing: ours ? 'upsert' : ctx.job.options.existingTable }]);
    let status = r.tables[tableKey(m.target.schema, m.target.name)];
    for (const w of r.warnings) ctx.hooks.log('warn', w);
    if (!ours && m.source.primaryKey.length === 0 && (status === 'exists' || status === 'unchanged')) {
      // Rows without a key can't be matched: inserting them again would duplicate them (issue 15 item 5).
      await ctx.target.clearTable(m.target.schema, m.target.name);
      status = 'truncated';
      const msg = `table ${m.target.schema}.${m.target.name} has no key and already exists in the target: emptied and loaded whole (loading it again would duplicate its rows)`;
      ctx.hooks.log('warn', msg);
    }
    fresh.set(key, !ours && (status === 'created' || status === 'truncated'));
    if (!ours) await ctx.hooks.checkpoint(`schema:${key}`, { v: 1, done: true, status: status ?? 'created' });
  }
  return fresh;
}

/**
 * Tables without a key cannot be resumed chunk by chunk (a partly written chunk
 * cannot be told apart): unless all their chunks finished, the ones this job
 * created are cleared and loaded again whole. Returns their keys.
 */
export async function keylessToRedo(
  ctx: SchemaContext,
  mapped: TableMappingResult[],
  tasksOf: (m: TableMappingResult) => SnapshotTask[],
  fresh: Map<string, boolean>,
  resumed: boolean,
): Promise<Set<string>> {
  const redo = new Set<string>();
  if (!resumed) return redo;
  for (const m of mapped) {
    if (m.source.primaryKey.length) continue;
    const key = keyOf(m);
    if (tasksOf(m).every((t) => cursorOf(ctx.resume, t.stream)?.done)) continue;
    const st = ctx.resume[`schema:${key}`]?.status;
    if (fresh.get(key) || st === 'created' || st === 'truncated') {
      await ctx.target.clearTable(m.target.schema, m.target.name);
      redo.add(key);
      ctx.hooks.log('info', `table ${m.source.name} has no key: reloading it whole`);
    } else {
      ctx.hooks.log('warn', `table ${m.source.name} has no key and existed before this job: rows of its unfinished chunks may be duplicated`);
    }
  }
  return redo;
}

/** After the copy: identity counters and secondary indexes per table (checkpointed), then foreign keys. Returns warnings. */
export async function finishTables(ctx: SchemaContext, mapped: TableMappingResult[]): Promise<string[]> {
  const warnings: string[] = [];
  for (const m of mapped) {
    const key = keyOf(m);
    if (ctx.resume[`post:${key}`]?.done) continue;
    ctx.progress.setPhase(m.source.name, 'indexes');
    const changes: Parameters<Target['applySchema']>[0] = [{ op: 'syncIdentity', table: m.target }];
    if (ctx.job.options.createSecondaryIndexes) changes.push({ op: 'createIndexes', table: m.target });
    const r = await ctx.target.applySchema(changes);
    for (const w of r.warnings) {
      ctx.hooks.log('warn', w);
      warnings.push(w);
    }
    await ctx.hooks.checkpoint(`post:${key}`, { v: 1, done: true });
  }
  if (ctx.job.options.createForeignKeys) {
    const r = await ctx.target.applySchema(
      mapped.filter((m) => m.target.foreignKeys.length).map((m) => ({ op: 'createForeignKeys' as const, table: m.target })),
    );
    for (const w of r.warnings) {
      ctx.hooks.log('warn', w);
      warnings.push(w);
    }
  }
  return warnings;
}

/**
 * `existingTable: fail` checked BEFORE plan() takes the CDC start: plan() of a
 * fresh full_cdc run replaces the job's replication slot, and a run that then
 * fails on a table that already exists must not have dropped the slot an
 * earlier run's checkpoint depends on (issue 14: that gap).
 */
export async function assertNoExistingTargets(
  target: Pick<Target, 'discover'>,
  job: Pick<JobSpec, 'options'>,
  mapped: TableMappingResult[],
  resume: Record<string, Position>,
): Promise<void> {
  if (job.options.existingTable !== 'fail') return;
  const wanted = new Map(mapped.filter((m) => !resume[`schema:${keyOf(m)}`]).map((m) => [`${m.target.schema}.${m.target.name}`.toLowerCase(), m]));
  if (wanted.size === 0) return;
  const found = await target.discover((s, t) => wanted.has(`${s}.${t}`.toLowerCase()));
  const t = found.tables[0];
  if (!t) return;
  throw new ConnectorError(
    `target table ${t.schema}.${t.name} already exists (checked before the CDC start was taken: the source's replication state is unchanged)`,
    {
      class: 'config',
      code: 'TARGET_EXISTS',
      retryable: false,
      table: t.name,
      fix: 'drop it, or set options.existingTable to "truncate" or "upsert"',
    },
  );
}

/**
 * What the plan says about tables that may already exist in the target (issue 15 item 5) with
 * `existingTable: upsert`: a table without a key is emptied and loaded whole; rows that exist only
 * in the target are kept, verification reports them as extra and repair deletes them.
 */
export function existingTargetNotes(job: JobSpec, mapped: TableMappingResult[]): string[] {
  if (job.options.existingTable !== 'upsert') return [];
  const out = mapped
    .filter((m) => m.source.primaryKey.length === 0)
    .map(
      (m) =>
        `${m.source.name} has no key: if ${m.target.schema}.${m.target.name} already exists in the target it is emptied and loaded whole (upserting rows without a key would duplicate them)`,
    );
  if (mapped.some((m) => m.source.primaryKey.length > 0)) {
    const repair = repairEnabled(job) ? 'repair deletes them (set options.repair: false to keep them)' : 'repair is off, so they stay';
    out.push(`existingTable "upsert": rows that exist only in the target are kept by the load; verification reports them as extra, and ${repair}`);
  }
  return out;
}
