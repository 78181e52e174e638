'use client';

import { Empty } from '../ui';
import { formatDateTime } from '../../lib/format';
import type { Checkpoint } from '../../lib/ops/jobs';
import { checkpointRowsForDisplay } from '../../lib/progress';

/** The last committed position per stream, as a GTID set, file:pos or LSN; the raw JSON behind a toggle. */
export function CheckpointsCard({ checkpoints }: { checkpoints: Checkpoint[] }) {
  return (
    <div className="card">
      <div className="card-head">
        <div>
          <h2>Checkpoints</h2>
          <p>The last committed position per stream; a restarted task resumes from here.</p>
        </div>
      </div>
      {checkpoints.length === 0 ? (
        <Empty title="No checkpoints yet" />
      ) : (
        <div className="table-wrap">
          <table className="table stacked" data-testid="checkpoints">
            <thead>
              <tr>
                <th>Stream</th>
                <th>Position</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {checkpointRowsForDisplay(checkpoints).map((c) => (
                <tr key={c.key}>
                  <td data-label="Stream" className="break">
                    {c.stream}
                  </td>
                  <td data-label="Position" className="small break">
                    <span className="mono" data-testid="position">
                      {c.summary}
                    </span>
                    {c.position ? (
                      <details>
                        <summary className="muted">Raw JSON</summary>
                        <pre className="block">{c.position}</pre>
                      </details>
                    ) : null}
                  </td>
                  <td data-label="Updated" className="muted nowrap">
                    {formatDateTime(c.updatedAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
