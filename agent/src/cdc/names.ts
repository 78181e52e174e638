/** Names of CDC objects on the source (kept free of heavy imports: the full-load engine uses it). */
export function defaultSlotName(jobId: string): string {
  return `sluice_${jobId.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}
