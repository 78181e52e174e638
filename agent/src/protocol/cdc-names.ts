/**
 * Names of a job's CDC objects on the source (PG: slot, publication, and the DDL capture
 * shared by a database's jobs). Shared with the control plane, which shows them (and the
 * SQL to drop them) after a job is deleted.
 */
export function defaultSlotName(jobId: string): string {
  return `sluice_${jobId.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/** PG DDL capture (cdc/pg-ddl-capture.ts): its event triggers and own schema, one set per database. */
export const DDL_CAPTURE = { triggers: ['sluice_ddl_end', 'sluice_ddl_drop'], schema: '_sluice' } as const;

/** The SQL that removes the PG DDL capture from a database (run by a cleanup, or shown when it cannot). */
export function ddlCaptureDropSql(): string[] {
  const s = `"${DDL_CAPTURE.schema}"`;
  return [
    ...DDL_CAPTURE.triggers.map((t) => `DROP EVENT TRIGGER IF EXISTS ${t};`),
    `DROP FUNCTION IF EXISTS ${s}._sluice_ddl_capture();`,
    `DROP TABLE IF EXISTS ${s}._sluice_ddl_state;`,
    `DROP SCHEMA IF EXISTS ${s};`,
  ];
}
