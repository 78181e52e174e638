/** A CDC job's tables and their live operations (issue 14 §5): Job.tables and the four mutations. */
import { op } from '../gql';
import { graphql } from '../gql/generated';
import type { JobTablesQuery } from '../gql/generated/graphql';

export type JobTableRow = NonNullable<JobTablesQuery['job']>['tables'][number];

export const JOB_TABLES = op(
  graphql(`
    query JobTables($id: ID!) {
      job(id: $id) {
        id
        tables {
          table
          state
          reason
          rowsCopied
          resyncRequestedAt
          updatedAt
        }
      }
    }
  `),
);

export const ADD_JOB_TABLES = op(
  graphql(`
    mutation AddJobTables($jobId: ID!, $tables: [String!]!) {
      addJobTables(jobId: $jobId, tables: $tables) {
        id
      }
    }
  `),
);

export const REMOVE_JOB_TABLE = op(
  graphql(`
    mutation RemoveJobTable($jobId: ID!, $table: String!) {
      removeJobTable(jobId: $jobId, table: $table) {
        id
      }
    }
  `),
);

export const RESYNC_JOB_TABLE = op(
  graphql(`
    mutation ResyncJobTable($jobId: ID!, $table: String!) {
      resyncJobTable(jobId: $jobId, table: $table) {
        table
        state
      }
    }
  `),
);

export const UNQUARANTINE_JOB_TABLE = op(
  graphql(`
    mutation UnquarantineJobTable($jobId: ID!, $table: String!) {
      unquarantineJobTable(jobId: $jobId, table: $table) {
        table
        state
      }
    }
  `),
);
