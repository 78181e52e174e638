import { op } from '../gql';
import { graphql } from '../gql/generated';
import type { AuditActorType, AuditEntryFieldsFragment, AuditFilter as AuditFilterInput, AuditOutcome as Outcome } from '../gql/generated/graphql';

export type AuditOutcome = Outcome;
export type ActorType = AuditActorType;
export type AuditEntry = AuditEntryFieldsFragment;
export type AuditFilter = AuditFilterInput;

graphql(`
  fragment AuditEntryFields on AuditEntry {
    id
    actorType
    actorId
    actorLabel
    action
    targetType
    targetId
    outcome
    requestId
    ip
    detail
    createdAt
  }
`);

export const AUDIT_LOG = op(
  graphql(`
    query AuditLog($filter: AuditFilter, $first: Int!, $after: String) {
      auditLog(filter: $filter, first: $first, after: $after) {
        edges {
          cursor
          node {
            ...AuditEntryFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `),
);
