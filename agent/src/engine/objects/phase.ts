/**
 * The object phase of a full load (issue 15 item 3): the plan is made with the table plan
 * (prepare), and after the load, indexes and foreign keys, the target creates the carried and
 * translated objects (checkpointed as `objects`, so a resumed run does not redo them). What
 * could not be created is reported as failed, with the error: nothing disappears silently.
 */
import type { JobSpec } from '../../protocol';
import type { ObjectPlanEntry } from '../../protocol/objects-shapes';
import type { Source, Target } from '../../connectors/spi';
import type { EngineHooks, Position } from '../hooks';
import type { TableMappingResult } from '../type-mapping';
import { planObjects, type ObjectPlan } from './plan';

export type { ObjectPlan } from './plan';

/**
 * Discovers the source's objects (when it can) and plans them for this target. A discovery that
 * fails (privileges, an old server) does not stop the load: the plan says so in a warning.
 */
export async function planJobObjects(source: Source, target: Target, job: JobSpec, mapped: TableMappingResult[]): Promise<ObjectPlan & { warning?: string }> {
  let objects: Awaited<ReturnType<NonNullable<Source['discoverObjects']>>> = [];
  let warning: string | undefined;
  if (source.capabilities().objects && source.discoverObjects) {
    try {
      objects = await source.discoverObjects(mapped.map((m) => m.source));
    } catch (e) {
      warning = `the source's views, triggers, routines, sequences, domains and CHECKs could not be read (${e instanceof Error ? e.message : String(e)}): they are not carried and not listed; grant the source user read access to the catalogue to plan them`;
    }
  }
  const plan = planObjects({ objects, mapped, from: source.engine, to: target.engine, target: target.capabilities().objects, cdc: job.mode === 'full_cdc' });
  return warning ? { ...plan, warning } : plan;
}

/** One line for the plan's warnings when objects are not carried (each is listed, with its reason, in the plan's objects). */
export function notCarriedWarning(entries: ObjectPlanEntry[]): string | null {
  const nc = entries.filter((e) => e.status === 'not_carried');
  if (!nc.length) return null;
  const names = nc.slice(0, 8).map((e) => `${e.kind.replace(/_/g, ' ')} ${e.name}`);
  return `${nc.length} schema object${nc.length === 1 ? ' is' : 's are'} not carried to the target (the plan's objects say why and what to do): ${names.join(', ')}${nc.length > 8 ? ', …' : ''}`;
}

export function objectCounts(entries: ObjectPlanEntry[]): string {
  const n = (s: ObjectPlanEntry['status']) => entries.filter((e) => e.status === s).length;
  const failed = entries.filter((e) => e.result === 'failed').length;
  return `${n('carried')} carried, ${n('translated')} translated, ${n('not_carried')} not carried${failed ? `, ${failed} failed` : ''}`;
}

/**
 * After the load: runs the plan's steps on the target and records what happened to each object.
 * Stage `columns` (generated columns) runs before the secondary indexes, which may cover them;
 * stage `objects` runs the rest after them and reports the whole list. Returns warnings.
 */
export async function applyObjectPhase(
  target: Target,
  plan: ObjectPlan,
  hooks: Pick<EngineHooks, 'checkpoint' | 'log' | 'event'>,
  resume: Record<string, Position>,
  stage: 'columns' | 'objects',
): Promise<string[]> {
  const warnings: string[] = [];
  const stream = stage === 'columns' ? 'objects:columns' : 'objects';
  const steps = plan.steps.filter((s) => s.id.startsWith('generated_column:') === (stage === 'columns'));
  const done = resume[stream];
  if (done?.done) {
    const prior = (done as { results?: Record<string, { result: ObjectPlanEntry['result']; error?: string }> }).results ?? {};
    for (const e of plan.entries) if (prior[e.id]) Object.assign(e, prior[e.id]);
    if (stage === 'objects') hooks.event('objects', `schema objects: ${objectCounts(plan.entries)}`, { objects: plan.entries });
    return warnings;
  }
  if (steps.length && target.applyObjects) {
    const results = await target.applyObjects(steps);
    for (const r of results) {
      const e = plan.entries.find((x) => x.id === r.id);
      if (!e) continue;
      e.result = r.result;
      if (r.error) {
        e.error = r.error;
        const w = `${e.kind.replace(/_/g, ' ')} ${e.name} was not created on the target: ${r.error}`;
        warnings.push(w);
        hooks.log('warn', w);
      }
    }
  }
  if (stage === 'objects') hooks.event('objects', `schema objects: ${objectCounts(plan.entries)}`, { objects: plan.entries });
  const ids = new Set(steps.map((s) => s.id));
  const results = Object.fromEntries(
    plan.entries.filter((e) => e.result && ids.has(e.id)).map((e) => [e.id, { result: e.result, ...(e.error ? { error: e.error } : {}) }]),
  );
  await hooks.checkpoint(stream, { v: 1, done: true, results });
  return warnings;
}
