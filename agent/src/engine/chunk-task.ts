/**
 * A `chunk` task of a spread full load (engine/spread.ts): one planned chunk, leased by any eligible agent.
 * It discovers and maps its one table, reads the chunk (inside the coordinator's exported snapshot when the
 * spec names one, else in a snapshot of its own: with CDC, T0 <= this read and CDC from T0 converges), and
 * writes it under ITS lease's fence at the target; its checkpoint `chunk:<table>:<n>` is stored on the chunk
 * task, so a chunk whose agent dies is re-leased and resumes after its last committed key.
 */
import { z } from 'zod';
import { chunkPublishSchema } from '../protocol';
import { createSource, createTarget } from '../connectors';
import { ConnectorError, type SnapshotTask, type Source, type TableInfo } from '../connectors/spi';
import { chunkSettings, runChunk } from './chunk-runner';
import type { EngineHooks, EngineResult, EngineTaskInput } from './hooks';
import { cursorOf, tableKey } from './plan-store';
import { ProgressTracker } from './progress';
import { findTableMapping, mapTable } from './type-mapping';
import type { FullLoadOptions } from './full-load';

const chunkTaskSpec = chunkPublishSchema.extend({ coordinator: z.string().uuid().optional() });

export async function runChunkTask(input: EngineTaskInput, hooks: EngineHooks, opts: FullLoadOptions = {}): Promise<EngineResult> {
  const spec = chunkTaskSpec.parse(input.taskSpec);
  const task = spec.task as unknown as SnapshotTask;
  const job = input.job;
  if (!input.target) throw new ConnectorError('a chunk task needs a target connection', { class: 'config', code: 'TARGET_MISSING', retryable: false });
  const target = createTarget(input.target, { maxConnections: 2 });
  let source: Source | null = null;
  const progress = new ProgressTracker(hooks);
  try {
    const open = async (snapshot: string | undefined) => {
      const s = createSource(input.source);
      try {
        if (snapshot && s.importSnapshot) s.importSnapshot(snapshot);
        const t = (spec.table as unknown as TableInfo | undefined) ?? (await s.discover((sc, n) => sc === task.schema && n === task.table)).tables[0];
        if (!t)
          throw new ConnectorError(`table ${task.schema}.${task.table} no longer exists in the source`, {
            class: 'config',
            code: 'TABLE_MISSING',
            retryable: false,
            table: task.table,
          });
        // bounds given: plan() computes nothing, it only opens the (imported) snapshot and learns the table
        await s.plan([t], { snapshot: true, cdc: false, chunkSize: job.options.chunkSize, perTable: { [tableKey(t.schema, t.name)]: { bounds: [] } } });
        await s.openSnapshot(1);
        return { s, t };
      } catch (e) {
        await s.close();
        throw e;
      }
    };
    let opened: Awaited<ReturnType<typeof open>>;
    try {
      opened = await open(spec.snapshot);
    } catch (e) {
      // The coordinator's snapshot is gone (it restarted). With CDC from T0 a later image converges; without, the
      // task fails retryably: it is leased again with the snapshot the restarted coordinator published.
      if (!spec.snapshot) throw e;
      if (!spec.cdcStart)
        throw new ConnectorError(`chunk ${spec.stream}: the coordinator's snapshot cannot be imported (${(e as Error).message})`, {
          class: 'system',
          code: 'SNAPSHOT_GONE',
          retryable: true,
        });
      hooks.log('warn', `chunk ${spec.stream}: the coordinator's snapshot is gone, reading a snapshot of its own (CDC from T0 converges it)`);
      opened = await open(undefined);
    }
    source = opened.s;
    const m = mapTable(opened.t, source.engine, target.engine, target.namespace, findTableMapping(job.mapping, task.schema, task.table), job.options);
    const resume = hooks.resume ?? {};
    const cursor = cursorOf(resume, task.stream);
    progress.phase = 'loading';
    progress.add(task.table, Math.max(task.rowEstimate, cursor?.rows ?? 0), cursor?.rows ?? 0, cursor?.bytes ?? 0);
    const wires = new Set<string>();
    await runChunk(
      {
        jobId: input.jobId,
        ...(input.lease ? { lease: input.lease } : opts.lease ? { lease: opts.lease } : {}),
        source,
        target,
        hooks,
        progress,
        settings: chunkSettings(opts),
        signal: hooks.signal,
        mayExist: spec.mayExist || Object.keys(resume).length > 0,
        siblingChunks: true,
        onWire: (w) => wires.add(w),
      },
      task,
      m,
      0,
      cursor,
    );
    progress.setPhase(task.table, 'done');
    progress.phase = 'done';
    progress.emit();
    const done = progress.snapshot().find((x) => x.table === task.table);
    return { chunk: spec.stream, table: task.table, rows: done?.rowsDone ?? 0, bytes: done?.bytesDone ?? 0, wire: [...wires] };
  } finally {
    progress.stop();
    await Promise.all([source?.close(), target.close()]);
  }
}
