'use client';

import { formatNumber } from '../../lib/format';
import { useQuery } from '../../lib/hooks';
import { JOB_CHUNKS, chunksByAgent, type JobChunk } from '../../lib/ops/chunks';

/**
 * A spread full load (placement.spread): per agent the chunks it holds and finished, then every chunk with its
 * holder, leases (more than one: it moved to another agent and resumed) and rows. Hidden when the load was not spread.
 */
export function ChunksCard({ jobId, live }: { jobId: string; live: boolean }) {
  const q = useQuery(JOB_CHUNKS, { id: jobId }, live ? { pollMs: 3_000 } : {});
  const chunks: JobChunk[] = q.data?.job?.chunks ?? [];
  if (chunks.length === 0) return null;
  const done = chunks.filter((c) => c.state === 'COMPLETED').length;
  return (
    <div className="card" data-testid="chunks">
      <div className="card-head">
        <div>
          <h2>Chunks across agents</h2>
          <p>
            {done} of {chunks.length} chunks done. Each chunk is a task any eligible agent leases; a chunk whose agent stops resumes on another.
          </p>
        </div>
      </div>
      <div className="table-wrap">
        <table className="table stacked" data-testid="chunks-by-agent">
          <thead>
            <tr>
              <th>Agent</th>
              <th>Holding</th>
              <th>Done</th>
              <th>Rows</th>
            </tr>
          </thead>
          <tbody>
            {chunksByAgent(chunks).map((a) => (
              <tr key={a.agent}>
                <td data-label="Agent">{a.agent}</td>
                <td data-label="Holding">{a.holding}</td>
                <td data-label="Done">{a.done}</td>
                <td data-label="Rows">{formatNumber(a.rows)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary className="muted">Every chunk</summary>
        <div className="table-wrap">
          <table className="table stacked" data-testid="chunk-list">
            <thead>
              <tr>
                <th>Chunk</th>
                <th>State</th>
                <th>Agent</th>
                <th>Leases</th>
                <th>Rows</th>
              </tr>
            </thead>
            <tbody>
              {chunks.map((c) => (
                <tr key={c.stream}>
                  <td data-label="Chunk" className="break">
                    {c.table} #{c.index}
                  </td>
                  <td data-label="State" title={c.error ?? undefined}>
                    {c.state.toLowerCase()}
                  </td>
                  <td data-label="Agent">{c.agent?.name ?? '—'}</td>
                  <td data-label="Leases">{c.attempts}</td>
                  <td data-label="Rows">{formatNumber(c.rows)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
