/**
 * Jobs: definition (create/update/delete), intents (start/pause/resume/stop)
 * and the facts reported back (applyFact). Every change goes through the state
 * machine in state-machine.ts with optimistic concurrency on jobs.version.
 */
import { jobSpecSchema, type JobSpec } from '@sluice/agent/protocol';
import { z } from 'zod';
import type { AuthContext } from '../../auth/context';
import type { AlertSignals, Outbox, Persistence, Publisher } from '../../core/ports';
import { AppError, parseInput } from '../../errors';
import type { Repos } from '../../repositories';
import type { JobRow } from '../../repositories/jobs';
import { topics } from '../../pubsub/redis-pubsub';
import { audited } from '../audit/audit';
import { idSchema } from '../validation';
import { recordCdcCleanup } from '../cleanups/cdc-cleanup-service';
import { checkKafkaOptions, checkModeCompatibility } from './compatibility';
import { approveSchemaChange, pendingFromEvents, SCHEMA_EVENT_TYPES, type PendingSchemaChange } from './schema-changes';
import { EDITABLE_STATES, assertTransition, dryRunPriorState, nextState, type JobFact, type JobIntent, type JobState } from './state-machine';

const jobName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const createJobInput = z.strictObject({
  name: jobName,
  sourceId: idSchema,
  targetId: idSchema.nullable().optional(),
  /** The JobSpec (mode, tables, mapping, options), validated by jobSpecSchema. */
  spec: z.unknown(),
});
export const updateJobInput = z.strictObject({
  name: jobName.optional(),
  sourceId: idSchema.optional(),
  targetId: idSchema.nullable().optional(),
  spec: z.unknown().optional(),
});

export type JobCommand = 'run' | 'pause' | 'stop';
const COMMAND_OF: Record<Exclude<JobIntent, 'start'>, JobCommand> = { pause: 'pause', resume: 'run', stop: 'stop' };

export type JobsDeps = Persistence & { pubsub: Publisher; outbox: Outbox; alerts?: Pick<AlertSignals, 'jobStateChanged'> };

export class JobsService {
  constructor(private readonly deps: JobsDeps) {}

  #parseSpec(spec: unknown): JobSpec {
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
      throw AppError.badInput('input.spec: must be an object like {"mode":"full"}', 'input.spec');
    return parseInput(jobSpecSchema, spec, 'input.spec');
  }

  async #checkEndpoints(r: Repos, tenantId: string, spec: JobSpec, unverifiedSourceId: string, unverifiedTargetId: string | null) {
    const [source, target] = await Promise.all([
      r.dataSources.get(tenantId, unverifiedSourceId),
      unverifiedTargetId ? r.dataSources.get(tenantId, unverifiedTargetId) : Promise.resolve(null),
    ]);
    if (!source) throw new AppError('NOT_FOUND', `source data source ${unverifiedSourceId} not found`, { field: 'input.sourceId' });
    if (unverifiedTargetId && !target) throw new AppError('NOT_FOUND', `target data source ${unverifiedTargetId} not found`, { field: 'input.targetId' });
    if (!target) throw AppError.badInput(`input.targetId: a ${spec.mode} job needs a target data source`, 'input.targetId');
    if (source.id === target.id) throw AppError.badInput('input.targetId: source and target must be different data sources', 'input.targetId');
    const problem = checkModeCompatibility(spec.mode, source.kind, target.kind);
    if (problem) throw AppError.badInput(`input.spec.mode: ${problem}`, 'input.spec.mode');
    const kafkaProblem = checkKafkaOptions(spec, source.kind, target.kind);
    if (kafkaProblem) throw AppError.badInput(`${kafkaProblem.field}: ${kafkaProblem.message}`, kafkaProblem.field);
    return { source, target };
  }

  /** Schema changes the job holds for approval (services/jobs/schema-changes.ts). */
  async pendingSchemaChanges(auth: AuthContext, jobId: string): Promise<PendingSchemaChange[]> {
    return pendingFromEvents(await this.deps.repos.jobs.eventsOfTypes(auth.tenantId, jobId, SCHEMA_EVENT_TYPES));
  }

  approveSchemaChange(auth: AuthContext, unverifiedJobId: string, changeId: string): Promise<PendingSchemaChange> {
    return approveSchemaChange(this.deps, auth, unverifiedJobId, changeId, (jobId) => this.publishJobUpdated(auth.tenantId, jobId));
  }

  async publishJobUpdated(tenantId: string, jobId: string): Promise<void> {
    await this.deps.pubsub.publish(topics.jobUpdated(tenantId, jobId), { jobId });
  }

  async createJob(auth: AuthContext, input: z.infer<typeof createJobInput>): Promise<JobRow> {
    return audited(this.deps, auth, { action: 'job.create', targetType: 'job', minRole: 'operator' }, async ({ r, setTarget, detail }) => {
      const spec = this.#parseSpec(input.spec);
      const { source, target } = await this.#checkEndpoints(r, auth.tenantId, spec, input.sourceId, input.targetId ?? null);
      const job = await r.jobs.insert(auth.tenantId, {
        name: input.name,
        mode: spec.mode,
        sourceId: source.id,
        targetId: target.id,
        spec: spec as unknown as Record<string, unknown>,
        createdBy: auth.actor.id,
      });
      await r.jobs.insertEvent(auth.tenantId, { jobId: job.id, type: 'job.created', message: `created by ${auth.actor.type} ${auth.actor.id}` });
      setTarget(job.id);
      Object.assign(detail, { name: job.name, mode: job.mode });
      return job;
    });
  }

  async updateJob(auth: AuthContext, unverifiedJobId: string, input: z.infer<typeof updateJobInput>): Promise<JobRow> {
    return audited(
      this.deps,
      auth,
      { action: 'job.update', targetType: 'job', targetId: unverifiedJobId, minRole: 'operator' },
      async ({ r, detail, afterCommit }) => {
        const job = await r.jobs.getForUpdate(auth.tenantId, unverifiedJobId);
        if (!job) throw AppError.notFound('job', unverifiedJobId);
        if (!EDITABLE_STATES.includes(job.state)) throw AppError.conflict(`a ${job.state} job cannot be edited: stop it first`, { state: job.state });
        const spec = input.spec !== undefined ? this.#parseSpec(input.spec) : (jobSpecSchema.parse(job.spec) as JobSpec);
        const sourceId = input.sourceId ?? job.sourceId;
        const targetId = input.targetId === undefined ? job.targetId : input.targetId;
        await this.#checkEndpoints(r, auth.tenantId, spec, sourceId, targetId);
        const updated = await r.jobs.update(
          auth.tenantId,
          job.id,
          { ...(input.name !== undefined ? { name: input.name } : {}), mode: spec.mode, sourceId, targetId, spec: spec as unknown as Record<string, unknown> },
          new Date(),
        );
        detail.changed = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
        await r.jobs.insertEvent(auth.tenantId, {
          jobId: job.id,
          type: 'job.updated',
          message: `updated ${(detail.changed as string[]).join(', ') || 'nothing'}`,
        });
        afterCommit(() => this.publishJobUpdated(auth.tenantId, job.id));
        return updated!;
      },
    );
  }

  async deleteJob(auth: AuthContext, unverifiedJobId: string): Promise<string> {
    return audited(
      this.deps,
      auth,
      { action: 'job.delete', targetType: 'job', targetId: unverifiedJobId, minRole: 'operator' },
      async ({ r, detail, afterCommit }) => {
        const job = await r.jobs.getForUpdate(auth.tenantId, unverifiedJobId);
        if (!job) throw AppError.notFound('job', unverifiedJobId);
        if (!EDITABLE_STATES.includes(job.state)) throw AppError.conflict(`a ${job.state} job cannot be deleted: stop it first`, { state: job.state });
        // A CDC job leaves a slot and publication on the source and checkpoint rows on the target:
        // recorded here, in the deletion's transaction, and cleaned by an agent (services/cleanups).
        const cleanup = await recordCdcCleanup(r, this.deps.outbox, job);
        await r.jobs.delete(auth.tenantId, job.id);
        detail.name = job.name;
        if (cleanup) {
          detail.cdcCleanupId = cleanup.cleanupId;
          afterCommit(() => this.deps.outbox.flush([cleanup.outboxId]));
        }
        return job.id;
      },
    );
  }

  /** start: a new run in `queued`; job.schedule then creates its task and asks scheduling to assign it. */
  async startJob(auth: AuthContext, unverifiedJobId: string): Promise<JobRow> {
    return audited(
      this.deps,
      auth,
      { action: 'job.start', targetType: 'job', targetId: unverifiedJobId, minRole: 'operator' },
      async ({ r, detail, afterCommit }) => {
        await this.deps.outbox.assertAvailable(); // fail fast (UNAVAILABLE) before changing anything when Redis is down
        const job = await r.jobs.getForUpdate(auth.tenantId, unverifiedJobId);
        if (!job) throw AppError.notFound('job', unverifiedJobId);
        const to = assertTransition(job.state, 'start');
        const run = await r.jobRuns.insert(auth.tenantId, { jobId: job.id, state: 'queued' });
        // A dry run is marked from the start, so it never shows in the job's history (Job.runs); its plan replaces this.
        // It remembers the job's state, which the job returns to when the dry run completes (see applyFact).
        const options = (job.spec as { options?: { dryRun?: unknown } }).options;
        if (options?.dryRun === true) await r.jobRuns.setPlan(auth.tenantId, run.id, { dryRun: true, priorState: job.state });
        const updated = await this.#setState(r, job, to, { lastError: null, progress: {} });
        await r.jobs.insertEvent(auth.tenantId, { jobId: job.id, runId: run.id, type: 'job.start', message: `start requested; run ${run.id} queued` });
        detail.runId = run.id;
        const queued = await this.deps.outbox.add(r, auth.tenantId, 'job.schedule', { tenantId: auth.tenantId, jobId: job.id, runId: run.id });
        afterCommit(() => this.deps.outbox.flush([queued]));
        afterCommit(() => this.publishJobUpdated(auth.tenantId, job.id));
        return updated;
      },
    );
  }

  pauseJob(auth: AuthContext, unverifiedJobId: string) {
    return this.#command(auth, unverifiedJobId, 'pause');
  }
  resumeJob(auth: AuthContext, unverifiedJobId: string) {
    return this.#command(auth, unverifiedJobId, 'resume');
  }
  stopJob(auth: AuthContext, unverifiedJobId: string) {
    return this.#command(auth, unverifiedJobId, 'stop');
  }

  async #command(auth: AuthContext, unverifiedJobId: string, intent: 'pause' | 'resume' | 'stop'): Promise<JobRow> {
    return audited(
      this.deps,
      auth,
      { action: `job.${intent}`, targetType: 'job', targetId: unverifiedJobId, minRole: 'operator' },
      async ({ r, detail, afterCommit }) => {
        await this.deps.outbox.assertAvailable(); // fail fast (UNAVAILABLE) before changing anything when Redis is down
        const job = await r.jobs.getForUpdate(auth.tenantId, unverifiedJobId);
        if (!job) throw AppError.notFound('job', unverifiedJobId);
        const to = assertTransition(job.state, intent);
        const run = await r.jobRuns.latest(auth.tenantId, job.id);
        if (!run) throw AppError.conflict(`job ${job.id} has no run to ${intent}`);
        const command = COMMAND_OF[intent];
        const updated = await this.#setState(r, job, to);
        await r.jobRuns.setState(auth.tenantId, run.id, { state: to });
        const tasks = await r.jobRuns.setTaskCommand(auth.tenantId, run.id, command);
        await r.jobs.insertEvent(auth.tenantId, {
          jobId: job.id,
          runId: run.id,
          type: `job.${intent}`,
          message: `${intent} requested (${tasks} task(s) told to ${command})`,
        });
        detail.runId = run.id;
        const queued = await this.deps.outbox.add(r, auth.tenantId, 'job.command', { tenantId: auth.tenantId, jobId: job.id, runId: run.id, command });
        afterCommit(() => this.deps.outbox.flush([queued]));
        afterCommit(() => this.publishJobUpdated(auth.tenantId, job.id));
        return updated;
      },
    );
  }

  async #setState(r: Repos, job: JobRow, to: JobState, extra: { lastError?: string | null; progress?: Record<string, unknown> } = {}): Promise<JobRow> {
    const updated = await r.jobs.setState(job.tenantId, job.id, job.version, { state: to, ...extra }, new Date());
    if (!updated) throw AppError.conflict(`job ${job.id} changed while we were updating it: reload and try again`);
    return updated;
  }

  // ---- system side (BullMQ handlers, agent gateway) ----

  /**
   * Idempotently gives a run its one `run` task (pending). The job may have been
   * paused before this ran (BullMQ is asynchronous): the task is then created
   * with command `pause`. Returns the task id, or null when the run is gone,
   * superseded, or being stopped (nothing to do).
   */
  async ensureRunTasks(tenantId: string, jobId: string, runId: string): Promise<string | null> {
    return this.deps.uow(async (r) => {
      const job = await r.jobs.getForUpdate(tenantId, jobId);
      const run = await r.jobRuns.get(tenantId, runId);
      const latest = await r.jobRuns.latest(tenantId, jobId);
      if (!run || !job || run.jobId !== jobId || latest?.id !== runId) return null;
      if (!['queued', 'running', 'pausing', 'paused'].includes(job.state)) return null;
      const command = job.state === 'pausing' || job.state === 'paused' ? 'pause' : 'run';
      const { task, created } = await r.jobRuns.ensureRunTask(tenantId, jobId, runId, { mode: job.mode }, command);
      if (created) await r.jobs.insertEvent(tenantId, { jobId, runId, type: 'run.scheduled', message: `run ${runId}: task ${task.id} waiting for an agent` });
      return task.id;
    });
  }

  /**
   * After a pause/stop command: if no agent holds any of the run's tasks, the
   * command is complete now (pausing -> paused, stopping -> stopped). When an
   * agent holds work, the agent's acknowledgement does this instead (applyFact).
   */
  async settleCommandIfUnheld(tenantId: string, jobId: string, runId: string, command: JobCommand): Promise<void> {
    if (command === 'run') return;
    const changed = await this.deps.uow(async (r) => {
      const job = await r.jobs.getForUpdate(tenantId, jobId);
      const latest = await r.jobRuns.latest(tenantId, jobId);
      if (!job || !latest || latest.id !== runId) return false;
      const states = await r.jobRuns.taskStates(tenantId, runId);
      const held = (states.assigned ?? 0) + (states.running ?? 0) + (states.paused ?? 0);
      if (held > 0) return false;
      const fact: JobFact = command === 'stop' ? 'stopped' : 'paused';
      const to = nextState(job.state, fact);
      if (!to) return false;
      if (command === 'stop') await r.jobRuns.cancelPendingTasks(tenantId, runId);
      await this.#setState(r, job, to);
      await r.jobRuns.setState(tenantId, runId, { state: to, ...(command === 'stop' ? { finishedAt: new Date() } : {}) });
      await r.jobs.insertEvent(tenantId, { jobId, runId, type: `job.${fact}`, message: `${fact} (no agent held the run's tasks)` });
      return true;
    });
    if (changed) await this.publishJobUpdated(tenantId, jobId);
  }

  /**
   * Applies a reported fact (started, paused, stopped, completed, failed) to a
   * job and its run. Returns false (and changes nothing) if the transition is not
   * allowed from the job's current state, e.g. a late duplicate report.
   */
  async applyFact(tenantId: string, jobId: string, fact: JobFact, v: { runId: string; error?: string; progress?: Record<string, unknown> }): Promise<boolean> {
    let state: JobState | null = null;
    const changed = await this.deps.uow(async (r) => {
      const job = await r.jobs.getForUpdate(tenantId, jobId);
      if (!job) return false;
      let to = nextState(job.state, fact);
      if (!to) return false;
      // A completed dry run changed nothing, so the job goes back to the state it had before it (draft, stopped, …).
      const back = fact === 'completed' ? dryRunPriorState((await r.jobRuns.get(tenantId, v.runId))?.plan) : null;
      if (back) to = back;
      state = to;
      await this.#setState(r, job, to, {
        ...(fact === 'failed' ? { lastError: v.error?.slice(0, 8192) ?? 'failed' } : {}),
        ...(v.progress ? { progress: v.progress } : {}),
      });
      const terminal = to === 'completed' || to === 'failed' || to === 'stopped';
      await r.jobRuns.setState(tenantId, v.runId, {
        state: back ? 'completed' : to,
        ...(fact === 'started' ? { startedAt: new Date() } : {}),
        ...(terminal ? { finishedAt: new Date() } : {}),
        ...(fact === 'failed' ? { error: v.error?.slice(0, 8192) ?? 'failed' } : {}),
      });
      const message = fact === 'failed' ? `failed: ${v.error ?? ''}`.slice(0, 8192) : back ? `dry run completed; the job is ${back} again` : fact;
      await r.jobs.insertEvent(tenantId, { jobId, runId: v.runId, type: `job.${fact}`, message });
      return true;
    });
    if (changed) await this.publishJobUpdated(tenantId, jobId);
    if (changed && state) await this.deps.alerts?.jobStateChanged(tenantId, jobId, state);
    return changed;
  }

  /** Appends a log line reported for a job and publishes it to jobLogs subscribers. */
  async appendLog(tenantId: string, jobId: string, v: { taskId?: string | null; level: 'debug' | 'info' | 'warn' | 'error'; message: string }): Promise<void> {
    const row = await this.deps.repos.jobs.insertLog(tenantId, { jobId, taskId: v.taskId ?? null, level: v.level, message: v.message.slice(0, 8192) });
    await this.deps.pubsub.publish(topics.jobLogs(tenantId, jobId), {
      id: row.id,
      jobId,
      taskId: row.taskId,
      level: row.level,
      message: row.message,
      createdAt: row.createdAt.toISOString(),
    });
  }
}
