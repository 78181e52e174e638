/**
 * Assigns pending tasks to agents connected to THIS process: only agents of
 * the task's tenant with a free slot, least loaded first (held leases /
 * capacity), and fairly across tenants (round-robin, one task per tenant per
 * turn, the longest-waiting tenant first). Each assignment mints a new lease
 * (fencing token), arms its expiry timer, and is pushed with `task.assign`;
 * an agent that declines or does not answer gets the task taken back.
 */
import { RpcError, type MessageType, type Payload, type ReplyOf } from '@sluice/agent/protocol';
import type { Persistence } from '../../core/ports';
import type { SecretBox } from '../../crypto/secret-box';
import type { JobsService } from '../jobs/jobs-service';
import type { Logger } from '../../logger';
import type { TaskRow } from '../../repositories/tasks';
import { writeAuditAlone } from '../audit/audit';
import { systemSubject, type AgentIdentity } from '../agents/identity';
import { buildAssignment } from './assignment';
import { eligible } from '../../repositories/chunk-tasks';
import type { LeaseTimers } from './lease-timers';
import type { TaskService } from './task-service';

export interface AgentLink {
  identity: AgentIdentity;
  capacity: number;
  /** The agent finished its handshake and is not being closed. */
  usable(): boolean;
  call<T extends MessageType>(type: T, payload: Payload<T>, opts?: { timeoutMs?: number }): Promise<ReplyOf<T>>;
  /** The latest heartbeat (cores busy): among equally loaded agents the less busy one gets the task. */
  readonly lastHeartbeat?: { cpu: number } | null;
}

export interface AgentDirectory {
  onlineInTenant(tenantId: string): AgentLink[];
  get(agentId: string): AgentLink | undefined;
}

export interface SchedulerOptions {
  leaseTtlMs: number;
  assignTimeoutMs: number;
}

export type SchedulerDeps = Persistence & { secretBox: SecretBox; jobs: JobsService };

export class Scheduler {
  private running = false;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly deps: SchedulerDeps,
    private readonly dir: AgentDirectory,
    private readonly timers: LeaseTimers,
    private readonly tasks: TaskService,
    private readonly o: SchedulerOptions,
    private readonly log: Logger,
  ) {}

  /** Runs an assignment round soon (coalesced). */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.round();
    }, 10);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async round(): Promise<void> {
    if (this.running || this.closed) return;
    this.running = true;
    try {
      do {
        this.again = false;
        await this.assignAll();
      } while (this.again && !this.closed);
    } catch (err) {
      this.log.error({ err }, 'scheduling round failed');
    } finally {
      this.running = false;
    }
  }

  private async assignAll(): Promise<void> {
    const tenants = await this.deps.repos.taskScheduler.tenantsWithPending(500);
    // Only tenants with an agent here can make progress in this process.
    let queue = tenants.map((t) => t.tenantId).filter((t) => this.dir.onlineInTenant(t).length > 0);
    // Agents that declined or failed an assignment sit out the rest of this round (no tight retry loop).
    const excluded = new Set<string>();
    while (queue.length > 0 && !this.closed) {
      const next: string[] = [];
      for (const tenantId of queue) {
        if (await this.assignOne(tenantId, excluded)) next.push(tenantId);
      }
      queue = next;
    }
  }

  /** Assigns the tenant's oldest pending task to its least-loaded agent. Returns whether it may have more to assign. */
  private async assignOne(tenantId: string, excluded: Set<string>): Promise<boolean> {
    const agents = this.dir.onlineInTenant(tenantId).filter((a) => a.usable() && a.capacity > 0 && !excluded.has(a.identity.agentId));
    if (agents.length === 0) return false;
    const held = await this.deps.repos.tasks.heldByAgents(
      tenantId,
      agents.map((a) => a.identity.agentId),
    );
    const load = new Map<string, number>();
    for (const t of held) if (t.agentId) load.set(t.agentId, (load.get(t.agentId) ?? 0) + 1);
    const ratio = (a: AgentLink) => (load.get(a.identity.agentId) ?? 0) / a.capacity;
    const candidates = agents
      .filter((a) => (load.get(a.identity.agentId) ?? 0) < a.capacity)
      .sort((x, y) => ratio(x) - ratio(y) || (x.lastHeartbeat?.cpu ?? 0) - (y.lastHeartbeat?.cpu ?? 0));
    if (!candidates[0]) return false;
    // the oldest pending task some candidate is eligible for (the job's placement: agent group and labels)
    const waiting = await this.deps.repos.tasks.pending(tenantId, 50);
    const placements = await this.deps.repos.chunkTasks.placements(
      tenantId,
      waiting.map((t) => t.id),
    );
    const restricted = [...placements.values()].some((p) => p && (p.group || Object.keys(p.labels ?? {}).length));
    const agentPlacements = restricted
      ? new Map(
          (
            await this.deps.repos.chunkTasks.agentPlacements(
              tenantId,
              candidates.map((c) => c.identity.agentId),
            )
          ).map((x) => [x.id, x]),
        )
      : null;
    let pending: TaskRow | undefined;
    let agent: AgentLink | undefined;
    for (const t of waiting) {
      agent = candidates.find((c) => !agentPlacements || eligible(placements.get(t.id), agentPlacements.get(c.identity.agentId)));
      if (agent) {
        pending = t;
        break;
      }
    }
    if (!pending || !agent) return false;
    if (await this.lessLoadedElsewhere(tenantId, ratio(agent))) return false;
    const task = await this.deps.repos.tasks.assign(tenantId, pending.id, agent.identity.agentId, this.o.leaseTtlMs);
    if (!task) return true; // taken by a concurrent round: look again
    if ((await this.push(agent, task)) === 'declined') excluded.add(agent.identity.agentId);
    return true;
  }

  /**
   * Several api processes each schedule onto the agents they hold. When our best agent is already busy and
   * an agent of the tenant on another process (seen within a lease TTL) is less loaded, leave the task to
   * that process's round (the nudge reaches every process): no agent gets a second task while another idles.
   */
  private async lessLoadedElsewhere(tenantId: string, ours: number): Promise<boolean> {
    if (ours === 0) return false;
    const here = new Set(this.dir.onlineInTenant(tenantId).map((a) => a.identity.agentId));
    const all = await this.deps.repos.agents.onlineLoads(tenantId, new Date(Date.now() - this.o.leaseTtlMs));
    return all.some((o) => !here.has(o.id) && o.capacity > 0 && o.held < o.capacity && o.held / o.capacity < ours);
  }

  private async push(agent: AgentLink, task: TaskRow): Promise<'ok' | 'declined' | 'broken'> {
    const a = agent.identity;
    const fence = { taskId: task.id, leaseId: task.leaseId!, agentId: a.agentId };
    await this.timers.arm(a.tenantId, task.id, task.leaseId!, this.o.leaseTtlMs);
    let reason: string | null = null;
    let assignment: Awaited<ReturnType<typeof buildAssignment>>;
    try {
      assignment = await buildAssignment(this.deps, task, this.o.leaseTtlMs);
    } catch (e) {
      // The job cannot be handed to any agent (data source gone, secret unreadable, bad spec): fail it, do not loop.
      const message = `the task could not be prepared for an agent: ${(e as Error).message}`.slice(0, 2000);
      this.log.error({ taskId: task.id, err: (e as Error).message }, 'could not build the assignment');
      await this.deps.repos.tasks.transition(a.tenantId, fence, { state: 'failed', error: message });
      await this.timers.disarm(task.id);
      await this.deps.jobs.appendLog(a.tenantId, task.jobId, { taskId: task.id, level: 'error', message });
      await this.deps.jobs.applyFact(a.tenantId, task.jobId, 'failed', { runId: task.runId, error: message });
      return 'broken';
    }
    // Moved from another agent (expired lease, drain, retry): it resumes from that agent's checkpoints.
    const reassigned = task.attempts > 1 || Object.keys(assignment.checkpoints).length > 0;
    try {
      const r = await agent.call('task.assign', assignment, { timeoutMs: this.o.assignTimeoutMs });
      const reply = r as { accepted?: unknown; reason?: unknown };
      if (reply.accepted === true) {
        await writeAuditAlone(this.deps, systemSubject(a.tenantId), {
          action: reassigned ? 'task.reassigned' : 'task.assigned',
          targetType: 'task',
          targetId: task.id,
          detail: {
            agentId: a.agentId,
            jobId: task.jobId,
            runId: task.runId,
            attempt: task.attempts,
            resumeStreams: Object.keys(assignment.checkpoints).length,
          },
        });
        await this.deps.jobs.appendLog(a.tenantId, task.jobId, {
          taskId: task.id,
          level: 'info',
          message: `${reassigned ? 'reassigned' : 'assigned'} to agent ${a.name} (${a.agentId})${Object.keys(assignment.checkpoints).length ? `, resuming from ${Object.keys(assignment.checkpoints).length} checkpoint(s)` : ''}`,
        });
        await this.tasks.started(a, fence, task);
        return 'ok';
      }
      reason = typeof reply.reason === 'string' ? reply.reason : 'declined';
    } catch (e) {
      reason = e instanceof RpcError ? `${e.code}: ${e.message}` : (e as Error).message;
      this.log.warn({ taskId: task.id, agentId: a.agentId, err: reason }, 'assignment failed');
    }
    // Not taken: give it back so another agent (or a later round) can have it.
    await this.deps.repos.tasks.unassign(a.tenantId, fence);
    await this.timers.disarm(task.id);
    this.log.info({ taskId: task.id, agentId: a.agentId, reason }, 'agent did not take the task');
    return 'declined';
  }

  /** Pushes a command to the agents (in this process) holding a run's tasks. Lease acks repeat it anyway. */
  async pushCommand(tenantId: string, runId: string, command: 'run' | 'pause' | 'stop'): Promise<void> {
    const held = await this.deps.repos.tasks.heldForRun(tenantId, runId);
    await Promise.all(
      held.map(async (t) => {
        if (!t.agentId || !t.leaseId) return;
        const link = this.dir.get(t.agentId);
        if (!link || !link.usable() || link.identity.tenantId !== tenantId) return;
        try {
          await link.call('task.command', { taskId: t.id, leaseId: t.leaseId, command }, { timeoutMs: 10_000 });
          await writeAuditAlone(this.deps, systemSubject(tenantId), {
            action: 'task.command',
            targetType: 'task',
            targetId: t.id,
            detail: { command, agentId: t.agentId, jobId: t.jobId, delivered: true },
          });
          if (command === 'run' && t.state === 'paused') {
            const r = await this.deps.repos.tasks.transition(tenantId, { taskId: t.id, leaseId: t.leaseId, agentId: t.agentId }, { state: 'running' });
            if (r) await this.deps.jobs.applyFact(tenantId, t.jobId, 'started', { runId: t.runId });
          }
        } catch (e) {
          // The next lease ack carries the command.
          await writeAuditAlone(this.deps, systemSubject(tenantId), {
            action: 'task.command',
            targetType: 'task',
            targetId: t.id,
            outcome: 'error',
            detail: { command, agentId: t.agentId, jobId: t.jobId, delivered: false, reason: (e as Error).message.slice(0, 300) },
          });
        }
      }),
    );
    if (command === 'run') this.kick();
  }

  /** Safety net for lost timers: expires leases that ran out long ago. */
  async sweepExpired(): Promise<void> {
    const rows = await this.deps.repos.taskScheduler.expiredLeases(100);
    let any = false;
    for (const r of rows) if ((await this.tasks.expire(r)) === 'expired') any = true;
    if (any) this.kick();
  }
}
