/**
 * An agent's session as the control plane records it. The gateway only
 * decodes frames and calls these methods:
 * - `open`: reconcile what the agent says it runs with what the leases say, in
 *   ONE transaction (extend the reported leases it still holds, release the
 *   ones it did not report, mark it connected, audit each release and the
 *   connect), then the effects after commit (lease timers, roll-ups of
 *   cancelled work, the alert evaluator).
 * - `close`: mark it disconnected (unless a newer socket took over) and audit,
 *   in one transaction; then tell the alert evaluator.
 */
import type { AlertSignals, Persistence } from '../../core/ports';
import type { TaskRow } from '../../repositories/tasks';
import { writeAudit, type AuditSubject } from '../audit/audit';
import type { LeaseTimers } from '../scheduling/lease-timers';

export interface SessionRef {
  tenantId: string;
  agentId: string;
  connectionId: string;
  ip: string | null;
}

export interface SessionOpen extends SessionRef {
  agentVersion: string;
  protocolVersion: number;
  capacity: number;
  /** The tasks (and leases) the agent says it runs. */
  inFlight: Array<{ taskId: string; leaseId: string }>;
}

export type AgentSessionsDeps = Persistence & {
  timers: Pick<LeaseTimers, 'arm' | 'disarm'>;
  tasks: { rollUp(tenantId: string, t: TaskRow): Promise<void> };
  alerts: Pick<AlertSignals, 'agentOnline' | 'agentOffline'>;
  leaseTtlMs: number;
  coolOff: { baseMs: number; maxMs: number };
};

function subject(s: SessionRef): AuditSubject {
  return { tenantId: s.tenantId, actor: { type: 'agent', id: s.agentId }, requestId: s.connectionId, ip: s.ip };
}

export class AgentSessions {
  constructor(private readonly d: AgentSessionsDeps) {}

  /** The agent a connect names (with its public key), for the signature check; revoked ones too. */
  agentForAuth(agentId: string) {
    return this.d.repos.agentAuth.agentForAuth(agentId);
  }

  /**
   * Disconnected for ownership violations: a cooling-off period during which connects are refused,
   * doubling with each further disconnect; audited with the end of the period.
   */
  async coolOff(s: SessionRef, detail: Record<string, unknown>): Promise<Date | null> {
    const until = await this.d.uow(async (r) => {
      const c = await r.agents.coolOff(s.tenantId, s.agentId, this.d.coolOff.baseMs, this.d.coolOff.maxMs, new Date());
      await writeAudit(r, subject(s), {
        action: 'agent.disconnected_for_violations',
        targetType: 'agent',
        targetId: s.agentId,
        outcome: 'denied',
        detail: { ...detail, strikes: c?.strikes ?? null, coolingOffUntil: c?.until.toISOString() ?? null },
      });
      return c?.until ?? null;
    });
    // The agents page hears of it through the disconnect that follows (agentsUpdated).
    return until;
  }

  /** Returns the reported tasks the agent must stop (it no longer holds their lease). */
  async open(s: SessionOpen): Promise<{ revokedTasks: string[] }> {
    const who = subject(s);
    const { kept, orphans, revokedTasks } = await this.d.uow(async (r) => {
      const kept = await r.tasks.extendMany(s.tenantId, s.agentId, s.inFlight, this.d.leaseTtlMs);
      const keptIds = new Set(kept.map((t) => t.id));
      const revokedTasks = s.inFlight.filter((f) => !keptIds.has(f.taskId)).map((f) => f.taskId);
      // Leases this agent holds but did not report: it restarted without them. Hand them on now.
      const orphans = await r.tasks.releaseNotReported(s.tenantId, s.agentId, [...keptIds]);
      for (const t of orphans) {
        await writeAudit(r, who, {
          action: 'task.released',
          targetType: 'task',
          targetId: t.id,
          detail: { jobId: t.jobId, runId: t.runId, reason: 'the agent reconnected without this task in flight (it restarted)', next: t.state },
        });
      }
      await r.agents.markConnected(
        s.tenantId,
        s.agentId,
        {
          version: s.agentVersion.slice(0, 64),
          protocolVersion: s.protocolVersion,
          capacity: s.capacity,
          inFlight: s.inFlight.length,
          connectionId: s.connectionId,
        },
        new Date(),
      );
      await writeAudit(r, who, {
        action: 'agent.connected',
        targetType: 'agent',
        targetId: s.agentId,
        detail: {
          agentVersion: s.agentVersion,
          protocolVersion: s.protocolVersion,
          capacity: s.capacity,
          inFlight: s.inFlight.length,
          revokedTasks: revokedTasks.length,
        },
      });
      return { kept, orphans, revokedTasks };
    });
    for (const t of kept) await this.d.timers.arm(s.tenantId, t.id, t.leaseId!, this.d.leaseTtlMs);
    for (const t of orphans) {
      await this.d.timers.disarm(t.id);
      if (t.state === 'cancelled') await this.d.tasks.rollUp(s.tenantId, t);
    }
    void this.d.alerts.agentOnline(s.tenantId, s.agentId);
    return { revokedTasks };
  }

  /** Returns false when a newer socket of the agent already took over (nothing is marked then). */
  async close(s: SessionRef, why: { code: number; reason: string; shuttingDown: boolean }): Promise<boolean> {
    const current = await this.d.uow(async (r) => {
      const current = await r.agents.markDisconnected(s.tenantId, s.agentId, s.connectionId, new Date());
      await writeAudit(r, subject(s), {
        action: 'agent.disconnected',
        targetType: 'agent',
        targetId: s.agentId,
        detail: { code: why.code, reason: why.reason.slice(0, 200), replaced: !current },
      });
      return current;
    });
    if (current && !why.shuttingDown) await this.d.alerts.agentOffline(s.tenantId, s.agentId);
    return !!current;
  }
}
