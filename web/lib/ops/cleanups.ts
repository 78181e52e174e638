import { op } from '../gql';
import { graphql } from '../gql/generated';
import type { DataSourcePendingCleanupsQuery } from '../gql/generated/graphql';

/** What deleted CDC jobs left on a data source (slot, publication, target checkpoint rows), with the SQL to finish by hand. */
export type PendingCleanup = NonNullable<DataSourcePendingCleanupsQuery['dataSource']>['pendingCleanups'][number];

export const DATA_SOURCE_PENDING_CLEANUPS = op(
  graphql(`
    query DataSourcePendingCleanups($id: ID!) {
      dataSource(id: $id) {
        id
        pendingCleanups {
          id
          jobId
          jobName
          slot
          publication
          sourceClean
          targetClean
          targetName
          reason
          attempts
          sql
          updatedAt
        }
      }
    }
  `),
);
