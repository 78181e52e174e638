/**
 * The `agents` extension: installs the lease timers and the task service in
 * every process, and in a process that serves HTTP also the `/agent` gateway
 * and the scheduler. Scheduling nudges (`tasksPending`, `jobCommand`) reach
 * the process holding the sockets through Redis pub/sub, so a separate worker
 * process works too.
 */
import type { AppDeps } from '../deps';
import type { Extension } from '../extensions';
import { agentTopics } from '../services/agents/identity';
import { setAgentsRuntime, type AgentsRuntime } from '../services/agents/runtime';
import { LeaseTimers } from '../services/scheduling/lease-timers';
import { Scheduler } from '../services/scheduling/scheduler';
import { TaskService } from '../services/scheduling/task-service';
import { AgentGateway } from './gateway';
import { createGatewayMetrics } from './metrics';

interface Nudge {
  from: string;
  tenantId: string;
  jobId: string;
  runId: string;
  command?: 'run' | 'pause' | 'stop';
}

export const agentsExtension: Extension = {
  name: 'agents',
  install(deps: AppDeps, role) {
    const env = deps.env;
    const timers = new LeaseTimers(deps.queue.queue);
    const metrics = createGatewayMetrics(deps.metrics.registry);
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
    const rt: AgentsRuntime = { timers, tasks, gateway: null, scheduler: null };
    setAgentsRuntime(deps, rt);

    deps.hooks = {
      async tasksPending(e) {
        rt.scheduler?.kick();
        await deps.pubsub.publish(agentTopics.schedule, { from: origin, ...e } satisfies Nudge);
      },
      async jobCommand(e) {
        if (rt.scheduler) await rt.scheduler.pushCommand(e.tenantId, e.runId, e.command);
        await deps.pubsub.publish(agentTopics.command, { from: origin, ...e } satisfies Nudge);
      },
    };

    if (!role.http) return;
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
    scheduler = new Scheduler(
      deps,
      gateway,
      timers,
      tasks,
      { leaseTtlMs: env.AGENT_LEASE_TTL_MS, assignTimeoutMs: 15_000 },
      deps.logger.child({ component: 'scheduler' }),
    );
    const sched = scheduler;
    gateway.scheduler = sched;
    gateway.tasks = tasks;
    rt.gateway = gateway;
    rt.scheduler = scheduler;
    deps.upgradeRoutes.set('/agent', gateway.handleUpgrade);

    const subs = [deps.pubsub.subscribe<Nudge>(agentTopics.schedule), deps.pubsub.subscribe<Nudge>(agentTopics.command)];
    void (async () => {
      for await (const n of subs[0]!) if (n.from !== origin) sched.kick();
    })();
    void (async () => {
      for await (const n of subs[1]!)
        if (n.from !== origin && n.command) await sched.pushCommand(n.tenantId, n.runId, n.command).catch(() => {});
    })();
    // Work left pending while no api was up.
    setTimeout(() => sched.kick(), 500).unref();

    deps.onClose(async () => {
      sched.close();
      for (const s of subs) await s.return?.();
      await gateway.close();
    });
  },
};
