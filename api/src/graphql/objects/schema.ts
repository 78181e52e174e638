export const objectsTypeDefs = /* GraphQL */ `
  "A kind of schema object the plan accounts for (issue 15 item 3). INDEX: another index the target does not build the same (expression, partial, GIN...)."
  enum SchemaObjectKind {
    TABLE
    VIEW
    MATERIALIZED_VIEW
    TRIGGER
    PROCEDURE
    FUNCTION
    SEQUENCE
    ENUM
    SET
    DOMAIN
    CHECK
    GENERATED_COLUMN
    ON_UPDATE
    COMMENT
    FULLTEXT_INDEX
    SPATIAL_INDEX
    INDEX
  }

  enum SchemaObjectStatus {
    "The source's own DDL runs on the target (same dialect)."
    CARRIED
    "A faithful translation runs on the target: see ddl."
    TRANSLATED
    "Not created on the target: see reason, fix and sourceDdl."
    NOT_CARRIED
  }

  enum SchemaObjectWhen {
    "Part of the tables and indexes the load creates."
    WITH_TABLES
    "Created after the data is loaded (triggers then do not fire on the loaded rows)."
    AFTER_LOAD
  }

  enum SchemaObjectResult {
    CREATED
    EXISTS
    FAILED
  }

  "One object of the selected schema and what the job does with it."
  type SchemaObject {
    id: String!
    kind: SchemaObjectKind!
    "The source name; column-level objects are table.column."
    name: String!
    table: String
    status: SchemaObjectStatus!
    when: SchemaObjectWhen
    "The target DDL (carried and translated objects)."
    ddl: [String!]!
    "The source's DDL or SQL."
    sourceDdl: String
    "Why it is not carried, or what a translation changes."
    reason: String
    "What to do about an object not carried."
    fix: String
    note: String
    "After the run: whether the target has it."
    result: SchemaObjectResult
    error: String
  }

  extend type JobRun {
    "Every schema object of the plan (plan.objects): carried, translated or not carried; null when the run has none or it does not parse (see schemaObjectsProblem)."
    schemaObjects: [SchemaObject!]
    "Why plan.objects could not be read, when it could not."
    schemaObjectsProblem: String
  }
`;
