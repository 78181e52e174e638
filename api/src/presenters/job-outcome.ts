/**
 * How a completed job ended, as its verification says (issue 15: states that don't lie). A job whose run
 * completed is not "fine" when the verification of that run left differences or could not complete:
 * `differences` (a table still differs after repair, or repair was off), `verification_failed` (a table
 * could not be compared), `verified` (every table ok or repaired), `not_verified` (the run verified
 * nothing). Null while the job has not completed. The state machine stays as it is: the outcome is read
 * from the verification results the newest run stored.
 */
export type JobOutcome = 'verified' | 'differences' | 'verification_failed' | 'not_verified';

export function jobOutcome(state: string, latestRunId: string | null, rows: { runId: string | null; status: string }[]): JobOutcome | null {
  if (state !== 'completed') return null;
  const mine = rows.filter((r) => latestRunId !== null && r.runId === latestRunId);
  if (mine.length === 0) return 'not_verified';
  if (mine.some((r) => r.status === 'failed')) return 'verification_failed';
  if (mine.some((r) => r.status === 'mismatch')) return 'differences';
  return 'verified';
}
