import { gql } from '../gql';
import { AGENT_FIELDS, type Agent } from './agents';
import type { DataSource } from './data-sources';
import { JOB_FIELDS, type Job } from './jobs';

export const OVERVIEW = gql<{
  agents: Agent[];
  dataSources: Array<Pick<DataSource, 'id' | 'name' | 'kind'>>;
  jobs: { edges: Array<{ node: Job }> };
}>(`
  query Overview {
    agents { ${AGENT_FIELDS} }
    dataSources { id name kind }
    jobs(first: 8) { edges { node { ${JOB_FIELDS} } } }
  }
`);
