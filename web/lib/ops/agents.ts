import { op } from '../gql';
import { graphql } from '../gql/generated';
import type { AgentFieldsFragment, AgentStatus as Status, AgentRegistrationTokensQuery, CreateAgentRegistrationTokenMutation } from '../gql/generated/graphql';

export type AgentStatus = Status;
/**
 * `outdated`: connected with a version older than the api serves (latestAgentVersion); `cpu`: cores
 * busy at the last heartbeat; `violationStrikes`: disconnects for ownership violations;
 * `coolingOffUntil`: connects are refused until then.
 */
export type Agent = AgentFieldsFragment;
export type AgentTask = Agent['runningTasks'][number];

graphql(`
  fragment AgentFields on Agent {
    id
    name
    status
    online
    version
    outdated
    capacity
    inFlight
    freeSlots
    cpu
    rssBytes
    group
    lastSeenAt
    connectedAt
    revokedAt
    violationStrikes
    coolingOffUntil
    createdAt
    runningTasks {
      id
      jobId
      runId
      kind
      state
      command
      progress
    }
  }
`);

export const AGENTS = op(
  graphql(`
    query Agents($includeRevoked: Boolean) {
      agents(includeRevoked: $includeRevoked) {
        ...AgentFields
      }
      latestAgentVersion
    }
  `),
);

export const AGENTS_UPDATED = op(
  graphql(`
    subscription AgentsUpdated {
      agentsUpdated {
        agentId
        agents {
          ...AgentFields
        }
      }
    }
  `),
);

/**
 * installCommand: curl ... | sh, installs the agent from the api on a host with only Node 20, registers
 * it and starts it; registerCommand: npx register + start, for a machine with a checkout.
 */
export type CreatedRegistrationToken = CreateAgentRegistrationTokenMutation['createAgentRegistrationToken'];

export const CREATE_REGISTRATION_TOKEN = op(
  graphql(`
    mutation CreateAgentRegistrationToken($name: String, $ttlMinutes: Int) {
      createAgentRegistrationToken(name: $name, ttlMinutes: $ttlMinutes) {
        token
        installCommand
        systemdInstallCommand
        registerCommand
        registrationToken {
          id
          expiresAt
        }
      }
    }
  `),
);

export const RENAME_AGENT = op(
  graphql(`
    mutation RenameAgent($id: ID!, $name: String!) {
      renameAgent(id: $id, name: $name) {
        ...AgentFields
      }
    }
  `),
);

export const REVOKE_AGENT = op(
  graphql(`
    mutation RevokeAgent($id: ID!) {
      revokeAgent(id: $id) {
        ...AgentFields
      }
    }
  `),
);

/** Names for the jobs agents are running (tasks carry only the job id). */
export const JOB_NAMES = op(
  graphql(`
    query JobNames {
      jobs(first: 100) {
        edges {
          node {
            id
            name
          }
        }
      }
    }
  `),
);

export type RegistrationToken = AgentRegistrationTokensQuery['agentRegistrationTokens'][number];
/** Admins and owners only. */
export const REGISTRATION_TOKENS = op(
  graphql(`
    query AgentRegistrationTokens {
      agentRegistrationTokens {
        id
        name
        status
        expiresAt
        usedAt
        usedByAgentId
        createdAt
      }
    }
  `),
);
