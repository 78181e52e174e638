import { gql } from '../gql';

export interface Agent {
  id: string;
  name: string;
  online: boolean;
  version: string | null;
  capacity: number;
  inFlight: number;
  cpu: number | null;
  rssBytes: number | null;
  lastSeenAt: string | null;
  connectedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
  runningTasks: Array<{ id: string; kind: string; job: { id: string; name: string } }>;
}
export const AGENT_FIELDS = 'id name online version capacity inFlight cpu rssBytes lastSeenAt connectedAt revokedAt createdAt runningTasks { id kind job { id name } }';

export const AGENTS = gql<{ agents: Agent[] }>(`
  query Agents { agents { ${AGENT_FIELDS} } }
`);

export const AGENTS_UPDATED = gql<{ agentsUpdated: Agent }>(`
  subscription AgentsUpdated { agentsUpdated { ${AGENT_FIELDS} } }
`);

export const CREATE_REGISTRATION_TOKEN = gql<
  { createAgentRegistrationToken: { token: string; expiresAt: string } },
  { input: { name?: string } }
>(`
  mutation CreateAgentRegistrationToken($input: CreateAgentRegistrationTokenInput!) {
    createAgentRegistrationToken(input: $input) { token expiresAt }
  }
`);

export const RENAME_AGENT = gql<{ renameAgent: Agent }, { id: string; name: string }>(`
  mutation RenameAgent($id: ID!, $name: String!) { renameAgent(id: $id, name: $name) { ${AGENT_FIELDS} } }
`);

export const REVOKE_AGENT = gql<{ revokeAgent: Agent }, { id: string }>(`
  mutation RevokeAgent($id: ID!) { revokeAgent(id: $id) { ${AGENT_FIELDS} } }
`);
