/**
 * The agents side's per-app objects (installed by the `agents` extension).
 * Kept off AppDeps so the core stays unaware of them; looked up by deps.
 */
import type { CoreDeps } from '../../deps';
import type { AgentGateway } from '../../gateway/gateway';
import type { LeaseTimers } from '../scheduling/lease-timers';
import type { Scheduler } from '../scheduling/scheduler';
import type { TaskService } from '../scheduling/task-service';

export interface AgentsRuntime {
  timers: LeaseTimers;
  tasks: TaskService;
  /** Only in a process that serves HTTP (it holds the agent sockets). */
  gateway: AgentGateway | null;
  scheduler: Scheduler | null;
}

const runtimes = new WeakMap<CoreDeps, AgentsRuntime>();

export function setAgentsRuntime(deps: CoreDeps, r: AgentsRuntime): void {
  runtimes.set(deps, r);
}

export function agentsRuntime(deps: CoreDeps): AgentsRuntime {
  const r = runtimes.get(deps);
  if (!r) throw new Error('the agents extension is not installed in this app (api/src/extensions.ts)');
  return r;
}
