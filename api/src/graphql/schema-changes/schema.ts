export const schemaChangesTypeDefs = /* GraphQL */ `
  "A source schema change a CDC job holds for approval (its table's policy is pause): the table's changes wait until it is approved."
  type PendingSchemaChange {
    changeId: String!
    "Source table, schema.table."
    table: String!
    "The source's DDL, as captured."
    statement: String
    "The target DDL that runs on approval (may be empty: nothing to change on the target)."
    proposal: [String!]!
    targetTable: String
    pausedAt: DateTime!
    "Approved and waiting for the running task to apply it (it does at its next lease renewal)."
    approved: Boolean!
    approvedAt: DateTime
  }

  extend type Job {
    "Schema changes held for approval, oldest first; empty when none."
    pendingSchemaChanges: [PendingSchemaChange!]!
  }

  extend type Mutation {
    "Operator or above: apply a held schema change (Job.pendingSchemaChanges) and release its table's changes."
    approveSchemaChange(jobId: ID!, changeId: String!): PendingSchemaChange!
  }
`;
