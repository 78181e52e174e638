import { op } from '../gql';
import { graphql } from '../gql/generated';
import type { JobChunksQuery } from '../gql/generated/graphql';

/** The chunk tasks of a spread full load (job spec placement.spread): which agent holds which chunk. */
export const JOB_CHUNKS = op(
  graphql(`
    query JobChunks($id: ID!) {
      job(id: $id) {
        id
        chunks {
          stream
          table
          index
          state
          attempts
          rows
          error
          agent {
            id
            name
          }
        }
      }
    }
  `),
);

/** Job spec `placement`: the agent group and labels a job's tasks need, and whether its full load is spread over them. */
export interface Placement {
  group?: string;
  labels?: Record<string, string>;
  spread?: boolean;
}

export type JobChunk = NonNullable<JobChunksQuery['job']>['chunks'][number];

/** Per agent: the chunks it holds now and the chunks it finished (the last holder of a completed chunk). */
export function chunksByAgent(chunks: JobChunk[]): { agent: string; holding: number; done: number; rows: number }[] {
  const by = new Map<string, { agent: string; holding: number; done: number; rows: number }>();
  for (const c of chunks) {
    if (!c.agent) continue;
    const a = by.get(c.agent.id) ?? { agent: c.agent.name, holding: 0, done: 0, rows: 0 };
    if (c.state === 'COMPLETED') a.done += 1;
    else if (c.state === 'ASSIGNED' || c.state === 'RUNNING' || c.state === 'PAUSED') a.holding += 1;
    a.rows += c.rows;
    by.set(c.agent.id, a);
  }
  return [...by.values()].sort((x, y) => x.agent.localeCompare(y.agent));
}
