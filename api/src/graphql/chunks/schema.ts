export const chunksTypeDefs = /* GraphQL */ `
  enum JobChunkState {
    PENDING
    ASSIGNED
    RUNNING
    PAUSED
    COMPLETED
    FAILED
    CANCELLED
  }

  "The agent that holds (or last held) a chunk."
  type JobChunkHolder {
    id: ID!
    name: String!
  }

  "One chunk of a spread full load (job spec placement.spread): a chunk task any eligible agent of the tenant leases."
  type JobChunk {
    "The chunk's checkpoint stream, chunk:<schema.table>:<n>."
    stream: String!
    "Source table, schema.table."
    table: String!
    index: Int!
    state: JobChunkState!
    agent: JobChunkHolder
    "Leases so far (more than 1: it moved, e.g. its agent died, and resumed from its checkpoint)."
    attempts: Int!
    "Rows the chunk committed so far."
    rows: Float!
    error: String
  }

  extend type Job {
    "The chunk tasks of the newest spread full load (empty when the load was not spread), in plan order."
    chunks: [JobChunk!]!
  }
`;
