/**
 * The full load's schema work on the target: tables with their primary keys
 * before the copy (checkpointed as `schema:<table>` so a resumed run upserts
 * into the tables it created), keyless tables to reload whole, and after the
 * copy identity counters, secondary indexes and foreign keys (`post:<table>`).
 */
import pLimit from 'p-limit';
import { ConnectorError } from '../connectors/connector-error';
import { repairDeletesExtra, repairEnabled, type JobSpec } from '../protocol';
import type { SnapshotTask, Target } from '../connectors/spi';
import type { EngineHooks, Position } from './hooks';
import { cursorOf, tableKey } from './plan-store';
import type { ProgressTracker } from './progress';
import type { TableMappingResult } from './type-mapping';

export interface SchemaContext {
  target: Pick<Target, 'applySchema' | 'clearTable' | 'capabilities'>;
  job: Pick<JobSpec, 'options' | 'placement'>;
  resume: Record<string, Position>;
  hooks: Pick<EngineHooks, 'checkpoint' | 'log'>;
  progress: Pick<ProgressTracker, 'add' | 'setPhase'>;
}

const keyOf = (m: TableMappingResult) => tableKey(m.source.schema, m.source.name);

export interface CreatedTables {
  /** Per source table: this run created or emptied it (its rows cannot exist yet: direct inserts). */
  fresh: Map<string, boolean>;
  /**
   * Tables loading without their primary key (created by this run with `deferKey`): their chunks write
   * each row once with plain bulk inserts, and `finishTables` builds the key after the load. A chunk that
   * must be written again (retry) builds the key first (`ensureKey`), so no row is ever written twice
   * into a table without its key.
   */
  keyDeferred: Set<string>;
}

/**
 * Whether a table this run creates may load without its primary key: the target can build it afterwards,
 * the table has one, its chunks write directly (not `existingTable: upsert`, which upserts by the key), and
 * the load is not spread over agents.
 */
export function mayDeferKey(ctx: Pick<SchemaContext, 'target' | 'job'>, m: TableMappingResult): boolean {
  // a spread load's chunks run on several agents: a retry elsewhere could not build the key first (ensureKey)
  return !!ctx.target.capabilities().deferredKeys && m.target.primaryKey.length > 0 && ctx.job.options.existingTable !== 'upsert' && !ctx.job.placement?.spread;
}

/**
 * Creates (or checks) every target table; tables that may load without their key are created without it.
 * A resumed run builds the key of a table an earlier attempt left "loading without its key" before any
 * chunk is written again (its partly written chunks are then upserted by the key, as for any resume).
 */
export async function createTables(
  ctx: SchemaContext,
  mapped: TableMappingResult[],
  tasksOf: (m: TableMappingResult) => SnapshotTask[],
): Promise<CreatedTables> {
  const fresh = new Map<string, boolean>();
  const keyDeferred = new Set<string>();
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
    if (ours && ctx.resume[`schema:${key}`]?.keyDeferred && !ctx.resume[`post:${key}`]?.done) {
      // an earlier attempt stopped while this table loaded without its key: rows past its chunks'
      // checkpoints may be there, so the rest is upserted, which needs the key (no duplicate exists:
      // while the key was missing, every row was written once)
      ctx.progress.setPhase(m.source.name, 'indexes');
      await ctx.target.applySchema([{ op: 'addPrimaryKey', table: m.target }]);
      ctx.hooks.log('info', `table ${m.target.schema}.${m.target.name}: primary key built before resuming its load`);
      ctx.progress.setPhase(m.source.name, 'schema');
    }
    const tasks = tasksOf(m);
    if (ours && tasks.length > 0 && tasks.every((t) => cursorOf(ctx.resume, t.stream)?.done)) {
      // Its load finished in an earlier attempt: CDC owns the table's shape from here. A schema change
      // held for approval, ignored or quarantined leaves the target behind the source on purpose, and
      // checking it against the source now would fail the whole resumed job.
      fresh.set(key, false);
      continue;
    }
    const deferKey = !ours && mayDeferKey(ctx, m);
    // checkpointed before the table exists: a run stopped right after creating it resumes it as its own
    if (deferKey) await ctx.hooks.checkpoint(`schema:${key}`, { v: 1, done: false, keyDeferred: true });
    const r = await ctx.target.applySchema([
      { op: 'createTable', table: m.target, existing: ours ? 'upsert' : ctx.job.options.existingTable, ...(deferKey ? { deferKey } : {}) },
    ]);
    let status = r.tables[tableKey(m.target.schema, m.target.name)];
    const deferred = deferKey && (r.keyDeferred ?? []).includes(tableKey(m.target.schema, m.target.name));
    if (deferred) keyDeferred.add(key);
    for (const w of r.warnings) ctx.hooks.log('warn', w);
    if (!ours && m.source.primaryKey.length === 0 && (status === 'exists' || status === 'unchanged')) {
      // Rows without a key can't be matched: inserting them again would duplicate them (issue 15 item 5).
      await ctx.target.clearTable(m.target.schema, m.target.name);
      status = 'truncated';
      const msg = `table ${m.target.schema}.${m.target.name} has no key and already exists in the target: emptied and loaded whole (loading it again would duplicate its rows)`;
      ctx.hooks.log('warn', msg);
    }
    fresh.set(key, !ours && (status === 'created' || status === 'truncated'));
    if (!ours) await ctx.hooks.checkpoint(`schema:${key}`, { v: 1, done: true, status: status ?? 'created', ...(deferred ? { keyDeferred: true } : {}) });
  }
  return { fresh, keyDeferred };
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

/**
 * After the copy, as pg_restore -j does: per table the primary key (tables that loaded without it), the
 * identity counters, then the secondary indexes, on up to `parallelism` target sessions at once (tables
 * side by side, and the indexes of one table side by side where the target builds them concurrently);
 * each table is checkpointed (`post:<table>`) when done; then the foreign keys, which need every key.
 * Returns warnings.
 */
export async function finishTables(ctx: SchemaContext, mapped: TableMappingResult[], keyDeferred: Set<string>, parallelism = 1): Promise<string[]> {
  const warnings: string[] = [];
  const limit = pLimit(Math.max(1, parallelism));
  const apply = (changes: Parameters<Target['applySchema']>[0]) =>
    limit(async () => {
      const r = await ctx.target.applySchema(changes);
      for (const w of r.warnings) {
        ctx.hooks.log('warn', w);
        warnings.push(w);
      }
    });
  const perIndex = !!ctx.target.capabilities().concurrentIndexBuilds;
  const finish = async (m: TableMappingResult) => {
    const key = keyOf(m);
    if (ctx.resume[`post:${key}`]?.done) return;
    ctx.progress.setPhase(m.source.name, 'indexes');
    const first: Parameters<Target['applySchema']>[0] = [];
    if (keyDeferred.has(key) || ctx.resume[`schema:${key}`]?.keyDeferred) first.push({ op: 'addPrimaryKey', table: m.target });
    first.push({ op: 'syncIdentity', table: m.target });
    await apply(first);
    if (ctx.job.options.createSecondaryIndexes && m.target.indexes.length) {
      if (perIndex) await settleAll(m.target.indexes.map((i) => apply([{ op: 'createIndexes', table: { ...m.target, indexes: [i] } }])));
      else await apply([{ op: 'createIndexes', table: m.target }]);
    }
    await ctx.hooks.checkpoint(`post:${key}`, { v: 1, done: true });
  };
  await settleAll(mapped.map(finish));
  if (ctx.job.options.createForeignKeys) {
    // one session: two tables' foreign keys referring to each other would deadlock on two
    await apply(mapped.filter((m) => m.target.foreignKeys.length).map((m) => ({ op: 'createForeignKeys' as const, table: m.target })));
  }
  return warnings;
}

/** Waits for every promise (none left running behind a failure), then throws the first failure. */
async function settleAll(ps: Promise<unknown>[]): Promise<void> {
  const rs = await Promise.allSettled(ps);
  const bad = rs.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (bad) throw bad.reason;
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
    const repair = !repairEnabled(job)
      ? 'repair is off, so they stay'
      : repairDeletesExtra(job)
        ? 'repair deletes them (options.targetOnlyRows: delete; set it to keep to keep them)'
        : 'repair keeps them (set options.targetOnlyRows: delete to have repair delete them)';
    out.push(`existingTable "upsert": rows that exist only in the target are kept by the load; verification reports them as extra, and ${repair}`);
  }
  return out;
}
