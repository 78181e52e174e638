/**
 * The agents side, built by the composition root (deps.ts): the lease timers
 * and the task service in every process, and in a process that serves HTTP
 * also the `/agent` gateway and the scheduler. Scheduling nudges
 * (`tasksPending`, `jobCommand`) reach the process holding the sockets through
 * Redis pub/sub, so a separate worker process works too.
 */
import type { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import type { AlertSignals, Persistence, Publisher, SchedulingHooks } from '../core/ports';
import type { SecretBox } from '../crypto/secret-box';
import type { Env } from '../env';
import type { RedisPubSub } from '../pubsub/redis-pubsub';
import { agentTopics } from '../services/agents/identity';
import type { JobsService } from '../services/jobs/jobs-service';
import { LeaseTimers } from '../services/scheduling/lease-timers';
import { Scheduler } from '../services/scheduling/scheduler';
import { TaskService } from '../services/scheduling/task-service';
import { AgentSessions } from '../services/agents/agent-sessions';
import { AgentGateway } from './gateway';
import { createGatewayMetrics } from './metrics';

interface Nudge {
  from: string;
  tenantId: string;
  jobId: string;
  runId: string;
  command?: 'run' | 'pause' | 'stop';
}

export type AgentsSideDeps = Persistence & {
  env: Env;
  pubsub: RedisPubSub;
  secretBox: SecretBox;
  jobs: JobsService;
  /** Where job/agent facts go to be turned into alerts. */
  alerts: AlertSignals;
  /** The BullMQ queue the lease timers live on. */
  queue: Queue;
  registry: Registry;
};

export interface AgentsSide {
  timers: LeaseTimers;
  tasks: TaskService;
  hooks: SchedulingHooks;
  /** Only in a process that serves HTTP (it holds the agent sockets). */
  gateway: AgentGateway | null;
  scheduler: Scheduler | null;
  close(): Promise<void>;
}

export function createAgentsSide(deps: AgentsSideDeps, role: { http: boolean }): AgentsSide {
  const env = deps.env;
  const timers = new LeaseTimers(deps.queue);
  const metrics = createGatewayMetrics(deps.registry);
  const origin = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  let scheduler: Scheduler | null = null;
  const tasks = new TaskService(
    deps,
    timers,
    { leaseTtlMs: env.AGENT_LEASE_TTL_MS, maxAttempts: env.AGENT_TASK_MAX_ATTEMPTS },
    {
      kick: () => scheduler?.kick(),
      onViolation: (kind, type) => metrics.violations.inc({ kind, type }),
    },
  );
  const publisher: Publisher = deps.pubsub;
  const hooks: SchedulingHooks = {
    async tasksPending(e) {
      scheduler?.kick();
      await publisher.publish(agentTopics.schedule, { from: origin, ...e } satisfies Nudge);
    },
    async jobCommand(e) {
      if (scheduler) await scheduler.pushCommand(e.tenantId, e.runId, e.command);
      await publisher.publish(agentTopics.command, { from: origin, ...e } satisfies Nudge);
    },
  };
  if (!role.http) return { timers, tasks, hooks, gateway: null, scheduler: null, close: async () => {} };

  const gateway = new AgentGateway(
    deps,
    {
      heartbeatMs: env.AGENT_HEARTBEAT_MS,
      leaseTtlMs: env.AGENT_LEASE_TTL_MS,
      maxFrameBytes: env.AGENT_MAX_FRAME_BYTES,
      maxClockSkewMs: env.AGENT_MAX_CLOCK_SKEW_MS,
      maxViolations: env.AGENT_MAX_VIOLATIONS,
      handshakeTimeoutMs: 10_000,
      slowMs: 1_000,
    },
    metrics,
    timers,
  );
  const sched = new Scheduler(
    deps,
    gateway,
    timers,
    tasks,
    { leaseTtlMs: env.AGENT_LEASE_TTL_MS, assignTimeoutMs: 15_000 },
    deps.logger.child({ component: 'scheduler' }),
  );
  scheduler = sched;
  gateway.scheduler = sched;
  gateway.tasksPending = (e) => hooks.tasksPending(e);
  gateway.tasks = tasks;
  gateway.sessions = new AgentSessions({
    ...deps,
    timers,
    tasks,
    alerts: deps.alerts,
    leaseTtlMs: env.AGENT_LEASE_TTL_MS,
    coolOff: { baseMs: env.AGENT_COOLOFF_BASE_MS, maxMs: env.AGENT_COOLOFF_MAX_MS },
  });

  const subs = [deps.pubsub.subscribe<Nudge>(agentTopics.schedule), deps.pubsub.subscribe<Nudge>(agentTopics.command)];
  void (async () => {
    for await (const n of subs[0]!) if (n.from !== origin) sched.kick();
  })();
  void (async () => {
    for await (const n of subs[1]!) if (n.from !== origin && n.command) await sched.pushCommand(n.tenantId, n.runId, n.command).catch(() => {});
  })();
  // Work left pending while no api was up.
  setTimeout(() => sched.kick(), 500).unref();

  return {
    timers,
    tasks,
    hooks,
    gateway,
    scheduler: sched,
    async close() {
      sched.close();
      for (const s of subs) await s.return?.();
      await gateway.close();
    },
  };
}
