import { gql } from '../gql';

export type AgentStatus = 'ONLINE' | 'OFFLINE' | 'REVOKED';

export interface AgentTask {
  id: string;
  jobId: string;
  runId: string;
  kind: string;
  state: string;
  command: string;
  progress: Record<string, unknown>;
}

export interface Agent {
  id: string;
  name: string;
  status: AgentStatus;
  online: boolean;
  version: string | null;
  /** Connected with a version older than the api serves (latestAgentVersion). */
  outdated: boolean;
  capacity: number;
  inFlight: number;
  freeSlots: number;
  /** CPU cores busy at the last heartbeat. */
  cpu: number | null;
  rssBytes: number | null;
  group: string | null;
  lastSeenAt: string | null;
  connectedAt: string | null;
  revokedAt: string | null;
  /** Disconnects for ownership violations. */
  violationStrikes: number;
  /** Connects are refused until then. */
  coolingOffUntil: string | null;
  createdAt: string;
  runningTasks: AgentTask[];
}
export const AGENT_FIELDS =
  'id name status online version outdated capacity inFlight freeSlots cpu rssBytes group lastSeenAt connectedAt revokedAt violationStrikes coolingOffUntil createdAt runningTasks { id jobId runId kind state command progress }';

export const AGENTS = gql<{ agents: Agent[]; latestAgentVersion: string }, { includeRevoked?: boolean }>(`
  query Agents($includeRevoked: Boolean) { agents(includeRevoked: $includeRevoked) { ${AGENT_FIELDS} } latestAgentVersion }
`);

export const AGENTS_UPDATED = gql<{ agentsUpdated: { agentId: string | null; agents: Agent[] } }>(`
  subscription AgentsUpdated { agentsUpdated { agentId agents { ${AGENT_FIELDS} } } }
`);

export interface CreatedRegistrationToken {
  token: string;
  /** curl ... | sh: installs the agent from the api on a host with only Node 20, registers it and starts it. */
  installCommand: string;
  systemdInstallCommand: string;
  /** npx register + start, for a machine with a checkout. */
  registerCommand: string;
  registrationToken: { id: string; expiresAt: string };
}

export const CREATE_REGISTRATION_TOKEN = gql<
  { createAgentRegistrationToken: CreatedRegistrationToken },
  { name?: string | null; ttlMinutes?: number }
>(`
  mutation CreateAgentRegistrationToken($name: String, $ttlMinutes: Int) {
    createAgentRegistrationToken(name: $name, ttlMinutes: $ttlMinutes) { token installCommand systemdInstallCommand registerCommand registrationToken { id expiresAt } }
  }
`);

export const RENAME_AGENT = gql<{ renameAgent: Agent }, { id: string; name: string }>(`
  mutation RenameAgent($id: ID!, $name: String!) { renameAgent(id: $id, name: $name) { ${AGENT_FIELDS} } }
`);

export const REVOKE_AGENT = gql<{ revokeAgent: Agent }, { id: string }>(`
  mutation RevokeAgent($id: ID!) { revokeAgent(id: $id) { ${AGENT_FIELDS} } }
`);

/** Names for the jobs agents are running (tasks carry only the job id). */
export const JOB_NAMES = gql<{ jobs: { edges: Array<{ node: { id: string; name: string } }> } }>(`
  query JobNames { jobs(first: 100) { edges { node { id name } } } }
`);

export interface RegistrationToken {
  id: string;
  name: string | null;
  status: 'ACTIVE' | 'USED' | 'EXPIRED';
  expiresAt: string;
  usedAt: string | null;
  usedByAgentId: string | null;
  createdAt: string;
}
/** Admins and owners only. */
export const REGISTRATION_TOKENS = gql<{ agentRegistrationTokens: RegistrationToken[] }>(`
  query AgentRegistrationTokens { agentRegistrationTokens { id name status expiresAt usedAt usedByAgentId createdAt } }
`);
