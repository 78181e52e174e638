/** The plan's schema objects (issue 15 item 3): typed by the api (JobRun.schemaObjects). */
import { graphql } from '../gql/generated';
import type { SchemaObjectFieldsFragment } from '../gql/generated/graphql';

graphql(`
  fragment SchemaObjectFields on SchemaObject {
    id
    kind
    name
    table
    status
    when
    ddl
    sourceDdl
    reason
    fix
    note
    result
    error
  }
`);

export type SchemaObject = SchemaObjectFieldsFragment;
