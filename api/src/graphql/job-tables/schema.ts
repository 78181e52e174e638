export const jobTablesTypeDefs = /* GraphQL */ `
  "A table's state in a CDC job (issue 14 §5)."
  enum JobTableState {
    "Added to the running job: copied live (chunk by chunk) while the other tables stream."
    SNAPSHOTTING
    STREAMING
    "Held for a schema change awaiting approval."
    PAUSED
    "Stopped after a change CDC could not apply; reason says why. Un-quarantine resyncs it."
    QUARANTINED
    "Copied again live (a resync or an un-quarantine), while its changes keep applying."
    RESYNCING
    "Removed from the job: its changes are no longer applied (the target table is kept)."
    REMOVED
  }

  "One source table of a cdc or full_cdc job, as the agent last reported it."
  type JobTable {
    "schema.table (PG schema or MySQL database)."
    table: String!
    state: JobTableState!
    "Why it is quarantined or paused, or the last table operation's error."
    reason: String
    "Rows copied by the live snapshot in progress (or the last one)."
    rowsCopied: Float
    resyncRequestedAt: DateTime
    updatedAt: DateTime!
  }

  extend type Job {
    "Each table of a CDC job with its state (empty for other modes, and until the agent first reports)."
    tables: [JobTable!]!
  }

  extend type Mutation {
    "Adds tables (names or schema.table) to a cdc/full_cdc job; a running job snapshots them live without a restart. Operator role."
    addJobTables(jobId: ID!, tables: [String!]!): Job!
    "Removes a table from a cdc/full_cdc job without a restart; its changes stop, the target table is kept. Operator role."
    removeJobTable(jobId: ID!, table: String!): Job!
    "Copies one table again live (chunk by chunk) while the others stream, fixing whatever the target has wrong. Operator role."
    resyncJobTable(jobId: ID!, table: String!): JobTable!
    "Resumes a quarantined table: a live resync, after which its changes apply again. Operator role."
    unquarantineJobTable(jobId: ID!, table: String!): JobTable!
  }
`;
