import { op } from '../gql';
import { graphql } from '../gql/generated';
import type { JobSchemaChangesQuery } from '../gql/generated/graphql';

/** Schema changes a CDC job holds for approval (its table's schemaChanges policy is pause). */
export const JOB_SCHEMA_CHANGES = op(
  graphql(`
    query JobSchemaChanges($id: ID!) {
      job(id: $id) {
        id
        pendingSchemaChanges {
          changeId
          table
          statement
          proposal
          targetTable
          pausedAt
          approved
          approvedAt
        }
      }
    }
  `),
);

export const APPROVE_SCHEMA_CHANGE = op(
  graphql(`
    mutation ApproveSchemaChange($jobId: ID!, $changeId: String!) {
      approveSchemaChange(jobId: $jobId, changeId: $changeId) {
        changeId
        approved
      }
    }
  `),
);

export type PendingSchemaChange = NonNullable<JobSchemaChangesQuery['job']>['pendingSchemaChanges'][number];
