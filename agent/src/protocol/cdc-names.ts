/**
 * Names of a job's CDC objects on the source (PG: slot and publication). Shared with
 * the control plane, which shows them (and the SQL to drop them) after a job is deleted.
 */
export function defaultSlotName(jobId: string): string {
  return `sluice_${jobId.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}
