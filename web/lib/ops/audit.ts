import { gql } from '../gql';

export type AuditOutcome = 'OK' | 'DENIED' | 'ERROR';
export type ActorType = 'USER' | 'API_KEY' | 'AGENT' | 'SYSTEM' | 'ANONYMOUS';

export interface AuditEntry {
  id: string;
  actorType: ActorType;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  requestId: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
  createdAt: string;
}

export interface AuditFilter {
  actorId?: string;
  actorType?: ActorType;
  action?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditOutcome;
  from?: string;
  to?: string;
}

export const AUDIT_LOG = gql<
  { auditLog: { edges: Array<{ cursor: string; node: AuditEntry }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } },
  { filter: AuditFilter; first: number; after?: string | null }
>(`
  query AuditLog($filter: AuditFilter, $first: Int!, $after: String) {
    auditLog(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id actorType actorId actorLabel action targetType targetId outcome requestId ip detail createdAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);
