/**
 * A run's schema objects (issue 15 item 3): the `plan` event lists them, the `objects` event adds
 * what happened to each. Stored on the run's plan (`plan.objects`, JobRun.schemaObjects) beside
 * what else it holds; malformed data stays in job_events only.
 */
import { objectPlanSchema, type ObjectPlanEntry } from '@sluice/agent/protocol';
import type { Logger } from 'pino';
import type { Persistence } from '../../core/ports';
import type { TaskRow } from '../../repositories/tasks';

export async function storeRunObjects(
  deps: { repos: Pick<Persistence['repos'], 'jobRuns'>; logger: Pick<Logger, 'warn'> },
  tenantId: string,
  task: TaskRow,
  data: unknown,
  maxBytes: number,
): Promise<void> {
  const objects = objectPlanSchema.safeParse((data as { objects?: unknown } | undefined)?.objects);
  if (!objects.success) return;
  try {
    const prior = (await deps.repos.jobRuns.get(tenantId, task.runId))?.plan ?? {};
    await deps.repos.jobRuns.setPlan(tenantId, task.runId, { ...prior, objects: boundedObjects(objects.data, maxBytes) });
  } catch (err) {
    deps.logger.warn({ err, tenantId, taskId: task.id, jobId: task.jobId }, 'could not store the schema objects: kept in job_events only');
  }
}

/** Bounds what a run stores: beyond `maxBytes`, DDL texts are cut (the agent's own result keeps them whole). */
export function boundedObjects(objects: ObjectPlanEntry[], maxBytes: number): ObjectPlanEntry[] {
  if (Buffer.byteLength(JSON.stringify(objects)) <= maxBytes) return objects;
  const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 299)}…` : s);
  return objects.map((o) => ({ ...o, ddl: o.ddl.map(cut), ...(o.sourceDdl ? { sourceDdl: cut(o.sourceDdl) } : {}) }));
}
