/**
 * Spread full load (job `placement.spread`, issue 19 item 1): the coordinating `run` task plans the chunks
 * (after T0 was captured), publishes the chunks of keyed tables as `chunk` tasks that any eligible agent of
 * the tenant leases (engine/chunk-task.ts), copies the rest itself, and waits until every chunk task
 * completed, folding their rows into its own progress (rate and ETA across agents). Index builds, FKs and
 * CDC from T0 follow only then. Consistency: with CDC (full_cdc) a chunk may read a newer image than T0,
 * because CDC from T0 replays every later change idempotently after all chunks committed; without CDC the
 * chunks must share the coordinator's exported snapshot, so a source that cannot export one is not spread.
 */
import type { ChunkPublish, ChunkState, JobSpec } from '../protocol';
import { ConnectorError, type SnapshotTask, type Source, type TableInfo } from '../connectors/spi';
import { abortError } from './chunk-runner';
import type { EngineHooks, Position } from './hooks';
import type { ProgressTracker } from './progress';
import { tableKey } from './plan-store';

const PUBLISH_BATCH = 500;

export interface SpreadSplit {
  /** Chunks published as chunk tasks. */
  remote: SnapshotTask[];
  /** Chunks the coordinator copies itself (keyless tables, tables redone whole, or spreading off). */
  local: SnapshotTask[];
}

/** Which pending chunks go to chunk tasks. Keyless tables stay local (they are cleared and reloaded whole). */
export function splitForSpread(
  job: JobSpec,
  hooks: Pick<EngineHooks, 'chunks' | 'log'>,
  pending: SnapshotTask[],
  redo: Set<string>,
  source: Pick<Source, 'exportedSnapshot'>,
): SpreadSplit {
  if (!job.placement?.spread || !hooks.chunks || pending.length === 0) return { remote: [], local: pending };
  if (job.mode !== 'full_cdc' && !source.exportedSnapshot) {
    hooks.log(
      'warn',
      'placement.spread: not spread, the source cannot share its snapshot with other agents and the job has no CDC to converge chunks read later',
    );
    return { remote: [], local: pending };
  }
  const remote = pending.filter((t) => t.keyColumns.length > 0 && !t.ctid && !redo.has(tableKey(t.schema, t.table)));
  const ids = new Set(remote.map((t) => t.stream));
  return { remote, local: pending.filter((t) => !ids.has(t.stream)) };
}

export interface SpreadContext {
  hooks: Pick<EngineHooks, 'chunks' | 'log' | 'event'>;
  source: Pick<Source, 'exportedSnapshot'>;
  progress: Pick<ProgressTracker, 'addRows'>;
  signal: AbortSignal;
  mayExist(task: SnapshotTask): boolean;
  /** The discovered source table of a chunk (sent along: the chunk task does not discover it again). */
  tableOf(task: SnapshotTask): TableInfo | undefined;
  cdcStart?: Position;
  pollMs?: number;
}

/** Publishes the chunks and waits until every one completed; throws on the first chunk that failed for good. */
export async function runSpread(ctx: SpreadContext, remote: SnapshotTask[]): Promise<ChunkState[]> {
  if (remote.length === 0) return [];
  const chunks = ctx.hooks.chunks!;
  const snapshot = ctx.source.exportedSnapshot?.();
  const publish: ChunkPublish[] = remote.map((t) => ({
    stream: t.stream,
    task: t as unknown as Record<string, unknown>,
    ...(ctx.tableOf(t) ? { table: ctx.tableOf(t) as unknown as Record<string, unknown> } : {}),
    mayExist: ctx.mayExist(t),
    ...(ctx.cdcStart ? { cdcStart: ctx.cdcStart } : {}),
    ...(snapshot ? { snapshot } : {}),
  }));
  let states: ChunkState[] = [];
  for (let i = 0; i < publish.length; i += PUBLISH_BATCH) states = await chunks(publish.slice(i, i + PUBLISH_BATCH));
  ctx.hooks.event('chunks.published', `${remote.length} chunks published as chunk tasks for the tenant's eligible agents`, {
    chunks: remote.length,
    ...(snapshot ? { sharedSnapshot: true } : {}),
  });
  const ours = new Set(remote.map((t) => t.stream));
  const tableOf = new Map(remote.map((t) => [t.stream, t.table]));
  const seen = new Map<string, { rows: number; bytes: number }>();
  for (;;) {
    if (ctx.signal.aborted) throw abortError();
    let open = 0;
    for (const c of states) {
      if (!ours.has(c.stream)) continue;
      const before = seen.get(c.stream) ?? { rows: 0, bytes: 0 };
      if (c.rows > before.rows) {
        ctx.progress.addRows(tableOf.get(c.stream)!, c.rows - before.rows, Math.max(0, c.bytes - before.bytes));
        seen.set(c.stream, { rows: c.rows, bytes: Math.max(c.bytes, before.bytes) });
      }
      if (c.state === 'failed')
        throw new ConnectorError(`chunk ${c.stream} failed on agent ${c.agentName ?? '?'}: ${c.error ?? 'unknown error'}`, {
          class: 'system',
          code: 'CHUNK_FAILED',
          retryable: false,
        });
      if (c.state === 'cancelled') throw abortError();
      if (c.state !== 'completed') open += 1;
    }
    if (open === 0 && states.filter((c) => ours.has(c.stream)).length === ours.size) return states;
    await new Promise((r) => setTimeout(r, ctx.pollMs ?? 1000));
    states = await poll(chunks, ctx.signal);
  }
}

/** Reads the chunk states; a control plane that is briefly away (reconnect) is waited for up to a minute. */
async function poll(chunks: NonNullable<EngineHooks['chunks']>, signal: AbortSignal): Promise<ChunkState[]> {
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      return await chunks();
    } catch (e) {
      if (signal.aborted || Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
