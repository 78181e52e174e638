import { op } from '../gql';
import { graphql } from '../gql/generated';

export const OVERVIEW = op(
  graphql(`
    query Overview {
      agents {
        ...AgentFields
      }
      dataSources {
        id
        name
        kind
      }
      jobs(first: 8) {
        edges {
          node {
            ...JobFields
          }
        }
      }
    }
  `),
);
