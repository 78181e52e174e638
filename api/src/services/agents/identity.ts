import type { AuditSubject } from '../audit/audit';

/** Who is speaking on an agent socket. The tenant comes from the agent's row (its credential), never from a payload. */
export interface AgentIdentity {
  tenantId: string;
  agentId: string;
  name: string;
  /** This socket's id (`<api instance>/<n>`), for logs and to tell a reconnect from a stale close. */
  connectionId: string;
  ip: string | null;
}

export function agentSubject(a: AgentIdentity): AuditSubject {
  return { tenantId: a.tenantId, actor: { type: 'agent', id: a.agentId }, requestId: a.connectionId, ip: a.ip };
}

export const systemSubject = (tenantId: string | null, requestId: string | null = null): AuditSubject => ({
  tenantId,
  actor: { type: 'system', id: null },
  requestId,
  ip: null,
});

/** Topics for agent events (tenant-scoped) and for cross-process nudges to whichever process holds the sockets. */
export const agentTopics = {
  agentsUpdated: (tenantId: string) => `t:${tenantId}:agents:updated`,
  schedule: 'sys:agents:schedule',
  command: 'sys:agents:command',
};
