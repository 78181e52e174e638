/** A job run's signed correctness receipt (JobRun.receipt, issue 15 item 6): fetched only when downloaded. */
import { graphql } from '../gql/generated';
import { op, request } from '../gql';

export const JOB_RUN_RECEIPTS = op(
  graphql(`
    query JobRunReceipts($id: ID!) {
      job(id: $id) {
        id
        runs {
          id
          receipt {
            text
          }
        }
      }
    }
  `),
);

/** Fetches the run's receipt and saves it as <runId>.receipt.json (checked offline by sluice-agent receipt verify FILE). */
export async function downloadReceipt(jobId: string, runId: string): Promise<void> {
  const d = await request(JOB_RUN_RECEIPTS, { id: jobId });
  const text = d.job.runs.find((r) => r.id === runId)?.receipt?.text;
  if (!text) throw new Error('This run has no receipt yet: the agent sends it when the run ends.');
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${runId}.receipt.json`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
