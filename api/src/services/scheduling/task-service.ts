/**
 * What agents report about their tasks. EVERY message that names a task, job
 * or data source passes `authorize`: the task must belong to the agent's
 * tenant (else NOT_FOUND, an ownership violation: audited, counted, metered),
 * and the agent must hold its current lease (else STALE_LEASE: fencing, the
 * agent stops that task). The write itself is then one statement that
 * re-checks the lease, so a lease lost in between changes nothing.
 */
import { z } from 'zod';
import { RpcError, type Payload, type TaskAssignment } from '@sluice/agent/protocol';
import { storeRunObjects } from './objects-plan';
import type { AlertSignals, Persistence } from '../../core/ports';
import type { SecretBox } from '../../crypto/secret-box';
import type { JobsService } from '../jobs/jobs-service';
import type { Fence, TaskRow } from '../../repositories/tasks';
import { JobSampler } from './job-samples';
import { writeAuditAlone, type AuditEntry } from '../audit/audit';
import { agentSubject, systemSubject, type AgentIdentity } from '../agents/identity';
import { verificationDetail, verificationTableEvent } from './verification-event';
import { buildAssignment } from './assignment';
import { reportTableStates, tableControlFor } from '../jobs/job-tables-service';
import type { LeaseTimers } from './lease-timers';
import { approvedSchemaChanges } from '../jobs/schema-changes';

/** A message named something outside the agent's tenant or that it never held. */
export class OwnershipViolation extends RpcError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export interface TaskServiceOptions {
  leaseTtlMs: number;
  /** Retryable failures (and crashes) before a task fails for good. */
  maxAttempts: number;
}

export interface TaskServiceHooks {
  /** A slot freed up or a task went back to pending: run the scheduler. */
  kick(): void;
  onViolation(kind: 'ownership' | 'fencing', type: string): void;
}

const HELD = new Set(['assigned', 'running', 'paused']);

export { verificationDetail, verificationTableEvent } from './verification-event';

/** A stored plan larger than this is dropped (job_runs.plan is read on every job page). */
export const MAX_PLAN_BYTES = 256 * 1024;

/** The dry-run report a `run` task returns when `options.dryRun` is on (agent/src/engine/full-load.ts PlanReport). */
const dryRunResult = z.looseObject({ dryRun: z.literal(true), tables: z.array(z.unknown()), estimatedSeconds: z.number() });

export type TaskServiceDeps = Persistence & { secretBox: SecretBox; jobs: JobsService; alerts: AlertSignals };

export class TaskService {
  private readonly progressPublishedAt = new Map<string, number>();
  private readonly sampler: JobSampler;

  constructor(
    private readonly deps: TaskServiceDeps,
    private readonly timers: LeaseTimers,
    private readonly o: TaskServiceOptions,
    private readonly hooks: TaskServiceHooks,
  ) {
    this.sampler = new JobSampler(deps.repos);
  }

  private audit(a: AgentIdentity, e: AuditEntry): Promise<void> {
    return writeAuditAlone(this.deps, agentSubject(a), e);
  }

  /**
   * The ownership check. `allowTerminal` lets a retried completion of the same
   * lease be answered idempotently.
   */
  async authorize(a: AgentIdentity, type: string, f: { taskId: string; leaseId: string }, allowTerminal?: 'completed'): Promise<TaskRow> {
    const task = await this.deps.repos.tasks.get(a.tenantId, f.taskId);
    if (!task) {
      this.hooks.onViolation('ownership', type);
      await this.audit(a, {
        action: 'agent.ownership_violation',
        targetType: 'task',
        targetId: f.taskId,
        outcome: 'denied',
        detail: { type, reason: 'the task is not in the agent’s tenant (or does not exist)' },
      });
      throw new OwnershipViolation(`task ${f.taskId} not found`);
    }
    const holds = task.agentId === a.agentId && task.leaseId === f.leaseId;
    if (holds && (HELD.has(task.state) || task.state === allowTerminal)) return task;
    this.hooks.onViolation('fencing', type);
    await this.audit(a, {
      action: 'agent.stale_lease',
      targetType: 'task',
      targetId: f.taskId,
      outcome: 'denied',
      detail: { type, state: task.state, heldByThisAgent: task.agentId === a.agentId, leaseMatches: task.leaseId === f.leaseId },
    });
    throw new RpcError(
      'STALE_LEASE',
      `lease ${f.leaseId} on task ${f.taskId} is no longer current (task is ${task.state}${task.agentId === a.agentId ? '' : ', held elsewhere'}): stop this task`,
    );
  }

  private fence(a: AgentIdentity, f: { taskId: string; leaseId: string }): Fence {
    return { taskId: f.taskId, leaseId: f.leaseId, agentId: a.agentId };
  }

  private stale(f: { taskId: string; leaseId: string }): RpcError {
    return new RpcError('STALE_LEASE', `lease ${f.leaseId} on task ${f.taskId} was lost: stop this task`);
  }

  async extendLease(a: AgentIdentity, p: Payload<'lease.extend'>): Promise<Payload<'lease.extended'>> {
    const task = await this.authorize(a, 'lease.extend', p);
    const r = await this.deps.repos.tasks.extendLease(a.tenantId, this.fence(a, p), this.o.leaseTtlMs);
    if (!r) throw this.stale(p);
    await this.timers.arm(a.tenantId, p.taskId, p.leaseId, this.o.leaseTtlMs);
    if (task.state === 'assigned') await this.started(a, p, task);
    else if (task.state === 'paused' && r.command === 'run') {
      // Resumed: the agent is told `run` in this very ack.
      const t = await this.deps.repos.tasks.transition(a.tenantId, this.fence(a, p), { state: 'running' });
      if (t) await this.deps.jobs.applyFact(a.tenantId, t.jobId, 'started', { runId: t.runId });
    }
    const tables = await tableControlFor(this.deps.repos, a.tenantId, task.jobId);
    const approvals = await approvedSchemaChanges(this.deps.repos, a.tenantId, task.jobId);
    return {
      expiresAt: r.expiresAt.getTime(),
      command: r.command,
      ...(tables ? { tables } : {}),
      ...(approvals.length ? { schemaApprovals: approvals } : {}),
    };
  }

  /** The agent accepted the assignment. */
  async started(a: AgentIdentity, f: { taskId: string; leaseId: string }, task: TaskRow): Promise<void> {
    const t = await this.deps.repos.tasks.markStarted(a.tenantId, this.fence(a, f));
    if (!t) return;
    await this.deps.jobs.applyFact(a.tenantId, task.jobId, 'started', { runId: task.runId });
  }

  async checkpoint(a: AgentIdentity, p: Payload<'task.checkpoint'>): Promise<Record<string, never>> {
    await this.authorize(a, 'task.checkpoint', p);
    const ok = await this.deps.repos.tasks.upsertCheckpoint(a.tenantId, this.fence(a, p), p.stream, p.position);
    if (!ok) throw this.stale(p);
    return {};
  }

  async progress(a: AgentIdentity, p: Payload<'task.progress'>): Promise<Record<string, never>> {
    const task = await this.authorize(a, 'task.progress', p);
    const t = await this.deps.repos.tasks.setProgress(a.tenantId, this.fence(a, p), p.progress);
    if (!t) throw this.stale(p);
    if (task.kind === 'run') await this.deps.repos.tasks.setRunProgress(a.tenantId, task.jobId, task.runId, p.progress);
    if (task.kind !== 'chunk') await this.deps.alerts.progress(a.tenantId, task.jobId, p.progress); // a chunk's rows roll up through its run task
    if (task.kind !== 'chunk') await reportTableStates(this.deps.repos, a.tenantId, task.jobId, p.progress);
    if (task.kind === 'run') await this.sampler.record(a.tenantId, task.jobId, task.runId, p.progress);
    // Subscribers see progress at most twice a second per job.
    const last = this.progressPublishedAt.get(task.jobId) ?? 0;
    if (Date.now() - last >= 500) {
      this.progressPublishedAt.set(task.jobId, Date.now());
      await this.deps.jobs.publishJobUpdated(a.tenantId, task.jobId);
    }
    return {};
  }

  async log(a: AgentIdentity, p: Payload<'task.log'>): Promise<Record<string, never>> {
    const task = await this.authorize(a, 'task.log', p);
    await this.deps.jobs.appendLog(a.tenantId, task.jobId, { taskId: task.id, level: p.level, message: p.message });
    return {};
  }

  async event(a: AgentIdentity, p: Payload<'task.event'>): Promise<Record<string, never>> {
    const task = await this.authorize(a, 'task.event', p);
    await this.deps.repos.jobs.insertEvent(a.tenantId, { jobId: task.jobId, runId: task.runId, type: p.type, message: p.message, data: p.data });
    if (p.type === 'verification.table') await this.storeVerification(a, task, p.data);
    if (p.type === 'plan' || p.type === 'objects') await storeRunObjects(this.deps, a.tenantId, task, p.data, MAX_PLAN_BYTES / 2);
    if (p.type === 'job.waiting') await this.deps.alerts.jobWaiting(a.tenantId, task.jobId, { message: p.message });
    if (p.type === 'job.recovered') await this.deps.alerts.jobWaiting(a.tenantId, task.jobId, null);
    await this.deps.jobs.publishJobUpdated(a.tenantId, task.jobId);
    return {};
  }

  /** A table's verification outcome also goes to verification_results (Job.verification). Malformed: kept in job_events only. */
  private async storeVerification(a: AgentIdentity, task: TaskRow, data: unknown): Promise<void> {
    const v = verificationTableEvent.safeParse(data);
    if (!v.success) {
      this.deps.logger.warn(
        {
          tenantId: a.tenantId,
          agentId: a.agentId,
          taskId: task.id,
          jobId: task.jobId,
          issues: v.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).slice(0, 10),
        },
        'verification.table event with malformed data: kept in job_events only, not in verification results',
      );
      return;
    }
    try {
      const d = verificationDetail.safeParse(data);
      if (!d.success)
        this.deps.logger.warn(
          { tenantId: a.tenantId, taskId: task.id, jobId: task.jobId },
          'verification.table event with a malformed detail: counts stored, detail kept in job_events only',
        );
      const counts = v.data;
      const { status, error, notes, differences, differencesTotal } = d.success ? d.data : {};
      const detail = {
        ...(error ? { error } : {}),
        ...(notes?.length ? { notes } : {}),
        ...(differencesTotal !== undefined ? { differencesTotal } : {}),
        ...(differences?.length ? { differences } : {}),
      };
      await this.deps.repos.jobs.insertVerificationResult(a.tenantId, { jobId: task.jobId, runId: task.runId, ...counts, status: status ?? null, detail });
      const bad = status === 'failed' || status === 'mismatch' || counts.chunksMismatched > counts.chunksRepaired;
      await this.deps.alerts.verification(a.tenantId, task.jobId, v.data.tableName, bad);
    } catch (err) {
      this.deps.logger.warn(
        { err, tenantId: a.tenantId, taskId: task.id, jobId: task.jobId },
        'could not store a verification result: kept in job_events only',
      );
    }
  }

  /** A dry run's plan (tables, chunks, estimate) is stored on its run, bounded in size. */
  private async storePlan(a: AgentIdentity, t: TaskRow, result: unknown): Promise<void> {
    const plan = dryRunResult.safeParse(result);
    if (!plan.success) return;
    const bytes = Buffer.byteLength(JSON.stringify(plan.data));
    if (bytes > MAX_PLAN_BYTES) {
      this.deps.logger.warn(
        { tenantId: a.tenantId, taskId: t.id, jobId: t.jobId, runId: t.runId, bytes, limit: MAX_PLAN_BYTES },
        'dry-run plan larger than 256 KB: not stored, the run keeps no plan',
      );
      return;
    }
    try {
      // Keep the state the job was started from (set by startJob), which the job returns to.
      const priorState = (await this.deps.repos.jobRuns.get(a.tenantId, t.runId))?.plan?.['priorState'];
      await this.deps.repos.jobRuns.setPlan(a.tenantId, t.runId, priorState === undefined ? plan.data : { ...plan.data, priorState });
    } catch (err) {
      // The completion itself already happened: a failed plan write must not stop the roll-up.
      this.deps.logger.warn({ err, tenantId: a.tenantId, taskId: t.id, jobId: t.jobId, runId: t.runId }, 'could not store the dry-run plan');
    }
  }

  async complete(a: AgentIdentity, p: Payload<'task.complete'>): Promise<Record<string, never>> {
    const task = await this.authorize(a, 'task.complete', p, 'completed');
    if (task.state === 'completed') return {}; // a retried completion
    const t = await this.deps.repos.tasks.transition(a.tenantId, this.fence(a, p), { state: 'completed', error: null });
    if (!t) throw this.stale(p);
    await this.timers.disarm(p.taskId);
    if (t.kind === 'run') await this.storePlan(a, t, p.result);
    await this.audit(a, { action: 'task.completed', targetType: 'task', targetId: p.taskId, detail: { jobId: t.jobId, runId: t.runId, attempts: t.attempts } });
    await this.rollUp(a.tenantId, t);
    this.hooks.kick();
    return {};
  }

  async fail(a: AgentIdentity, p: Payload<'task.fail'>): Promise<Record<string, never>> {
    const task = await this.authorize(a, 'task.fail', p);
    // The attempt budget counts failures since the last healthy progress, not over the task's whole life:
    // an attempt that moved a checkpoint before failing does not count, and the next one is attempt 1 again
    // (a CDC task that lives for months survives any number of failures that are each followed by progress;
    // maxAttempts failures in a row without progress still fail it).
    const progressed = p.retryable && (await this.deps.repos.tasks.progressedUnderLease(a.tenantId, this.fence(a, p)));
    const attempts = progressed ? 0 : task.attempts;
    const retry = p.retryable && attempts < this.o.maxAttempts && task.command !== 'stop';
    const t = await this.deps.repos.tasks.transition(a.tenantId, this.fence(a, p), {
      state: retry ? 'pending' : 'failed',
      error: p.error,
      releaseLease: retry,
      ...(progressed ? { attemptsDelta: -task.attempts } : {}),
    });
    if (!t) throw this.stale(p);
    await this.timers.disarm(p.taskId);
    await this.audit(a, {
      action: 'task.failed',
      targetType: 'task',
      targetId: p.taskId,
      outcome: 'error',
      detail: {
        jobId: t.jobId,
        retryable: p.retryable,
        willRetry: retry,
        attempts,
        ...(progressed ? { budgetReset: true } : {}),
        error: p.error.slice(0, 500),
      },
    });
    await this.deps.jobs.appendLog(a.tenantId, t.jobId, {
      taskId: t.id,
      level: 'error',
      message: `task failed${retry ? ` (${progressed ? 'after progress: the attempt budget starts again' : `attempt ${attempts} of ${this.o.maxAttempts}`}; retrying on an available agent)` : ''}: ${p.error}`,
    });
    if (!retry) await this.deps.jobs.applyFact(a.tenantId, t.jobId, 'failed', { runId: t.runId, error: p.error });
    this.hooks.kick();
    return {};
  }

  /** The agent handed the lease back: after a stop command the task is cancelled; otherwise (drain) it is rescheduled. */
  async release(a: AgentIdentity, p: Payload<'task.release'>): Promise<Record<string, never>> {
    const task = await this.authorize(a, 'task.release', p);
    const stop = task.command === 'stop';
    const t = await this.deps.repos.tasks.transition(a.tenantId, this.fence(a, p), {
      state: stop ? 'cancelled' : 'pending',
      releaseLease: true,
      ...(stop ? {} : { attemptsDelta: -1 }),
    });
    if (!t) throw this.stale(p);
    await this.timers.disarm(p.taskId);
    await this.audit(a, {
      action: stop ? 'task.stopped' : 'task.released',
      targetType: 'task',
      targetId: p.taskId,
      detail: { jobId: t.jobId, runId: t.runId },
    });
    if (stop) await this.rollUp(a.tenantId, t);
    this.hooks.kick();
    return {};
  }

  async paused(a: AgentIdentity, p: Payload<'task.paused'>): Promise<Record<string, never>> {
    const task = await this.authorize(a, 'task.paused', p);
    if (task.command !== 'pause') return {}; // resumed meanwhile: the next lease ack says run
    const t = await this.deps.repos.tasks.transition(a.tenantId, this.fence(a, p), { state: 'paused' });
    if (!t) throw this.stale(p);
    await this.audit(a, { action: 'task.paused', targetType: 'task', targetId: p.taskId, detail: { jobId: t.jobId } });
    await this.rollUp(a.tenantId, t);
    return {};
  }

  async get(a: AgentIdentity, p: Payload<'task.get'>): Promise<TaskAssignment> {
    const task = await this.authorize(a, 'task.get', p);
    return buildAssignment(this.deps, task, this.o.leaseTtlMs);
  }

  async dataSource(a: AgentIdentity, p: Payload<'datasource.get'>): Promise<Payload<'datasource.connection'>> {
    const task = await this.authorize(a, 'datasource.get', p);
    const job = await this.deps.repos.jobs.get(a.tenantId, task.jobId);
    if (!job || (job.sourceId !== p.dataSourceId && job.targetId !== p.dataSourceId)) {
      this.hooks.onViolation('ownership', 'datasource.get');
      await this.audit(a, {
        action: 'agent.ownership_violation',
        targetType: 'data_source',
        targetId: p.dataSourceId,
        outcome: 'denied',
        detail: { type: 'datasource.get', taskId: p.taskId, reason: 'the data source is not an endpoint of the leased task’s job' },
      });
      throw new OwnershipViolation(`data source ${p.dataSourceId} not found`);
    }
    const { connectionForAgent } = await import('../data-sources/secrets');
    return { dataSourceId: p.dataSourceId, connection: await connectionForAgent(this.deps, a.tenantId, p.dataSourceId) };
  }

  /** Job-level facts from the tasks of a run: all completed -> completed; all held paused -> paused; stop settled -> stopped. */
  async rollUp(tenantId: string, t: TaskRow): Promise<void> {
    const c = await this.deps.repos.tasks.countByState(tenantId, t.runId);
    const total = Object.values(c).reduce((s, n) => s + (n ?? 0), 0);
    const held = (c.assigned ?? 0) + (c.running ?? 0) + (t.command === 'stop' ? 0 : (c.pending ?? 0)); // stop cancels pending (chunk) tasks
    if (total > 0 && (c.completed ?? 0) === total) {
      await this.deps.jobs.applyFact(tenantId, t.jobId, 'completed', { runId: t.runId });
      return;
    }
    if (held === 0 && (c.paused ?? 0) > 0 && t.command === 'pause') {
      await this.deps.jobs.applyFact(tenantId, t.jobId, 'paused', { runId: t.runId });
      return;
    }
    if (t.command === 'stop' && held === 0 && (c.paused ?? 0) === 0) {
      await this.deps.jobs.settleCommandIfUnheld(tenantId, t.jobId, t.runId, 'stop');
    }
  }

  /** BullMQ: a lease timer fired. Expires the lease if it really ran out; the task goes back to pending. */
  async expire(data: { tenantId: string; taskId: string; leaseId: string }): Promise<'expired' | 'rearmed' | 'gone'> {
    const remaining = await this.deps.repos.tasks.leaseRemainingMs(data.tenantId, data.taskId, data.leaseId);
    if (remaining === undefined) return 'gone';
    if (remaining > 0) {
      await this.timers.arm(data.tenantId, data.taskId, data.leaseId, remaining);
      return 'rearmed';
    }
    const r = await this.deps.repos.tasks.expireLease(data.tenantId, data.taskId, data.leaseId);
    if (!r) return 'gone';
    await writeAuditAlone(this.deps, systemSubject(data.tenantId), {
      action: 'task.lease_expired',
      targetType: 'task',
      targetId: data.taskId,
      detail: { jobId: r.jobId, runId: r.runId, previousAgentId: r.agentId, leaseId: data.leaseId, next: r.command === 'stop' ? 'cancelled' : 'reassign' },
    });
    await this.deps.jobs.appendLog(data.tenantId, r.jobId, {
      taskId: data.taskId,
      level: 'warn',
      message: `agent ${r.agentId ?? '?'} stopped renewing its lease: the task will resume on another agent from its last checkpoint`,
    });
    return 'expired';
  }
}
