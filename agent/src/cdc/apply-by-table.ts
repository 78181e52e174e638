/**
 * When the target rejects a CDC batch for a reason of one table's own (a value its column no longer holds after
 * a schema change the policy ignored, a NOT NULL column the source dropped, a column it lacks), only that table
 * stops: each table's plan is applied alone, still at the previous position, a table the target rejects is
 * quarantined with the error, and then the batch's position is committed on its own. A crash in between
 * replays the batch from the previous position (row images are whole, so the replay lands the same rows).
 */
import type { CheckpointWrite, ResolvedPlan } from './applier';
import type { Applier, CdcPosition, TableKey } from './types';

/** Apply errors that belong to one table's rows (not the connection, the lease or the server). */
export const TABLE_ERRORS = new Set(['DATA_REJECTED', 'COLUMN_MISSING']);

/** A source table that no longer exists (PG, MySQL/MariaDB, and the describe helpers' own wording). */
export const SOURCE_TABLE_GONE = /does not exist|doesn't exist|not found|unknown table/i;

export interface ByTable {
  applier: Pick<Applier, 'apply' | 'classifyError'>;
  write(position: CdcPosition): CheckpointWrite;
  quarantine(table: TableKey, reason: string): Promise<void>;
}

/** Returns the position committed: `after()`, read once the failing tables are quarantined. */
export async function applyByTable(
  d: ByTable,
  plans: ResolvedPlan[],
  sourceOf: Map<ResolvedPlan, TableKey>,
  before: CdcPosition,
  after: () => CdcPosition,
): Promise<CdcPosition> {
  for (const rp of plans) {
    try {
      await d.applier.apply([rp], d.write(before));
    } catch (e) {
      const err = d.applier.classifyError(e, 'cdc: apply to the target');
      const table = sourceOf.get(rp);
      if (!TABLE_ERRORS.has(err.code) || !table) throw err;
      await d.quarantine(table, `the target rejected its changes (${err.message}); fix the target table and resync this table`);
    }
  }
  const position = after();
  await d.applier.apply([], d.write(position)).catch((e: unknown) => {
    throw d.applier.classifyError(e, 'cdc: apply to the target');
  });
  return position;
}

/** The whole batch in one transaction at `position`; a rejection of one table's own goes table by table (above). */
export async function applySerial(
  d: ByTable,
  plans: ResolvedPlan[],
  sourceOf: Map<ResolvedPlan, TableKey>,
  position: CdcPosition,
  before: () => CdcPosition,
  after: () => CdcPosition,
): Promise<CdcPosition> {
  try {
    await d.applier.apply(plans, d.write(position));
    return position;
  } catch (e) {
    const err = d.applier.classifyError(e, 'cdc: apply to the target');
    if (!TABLE_ERRORS.has(err.code)) throw err;
    return applyByTable(d, plans, sourceOf, before(), after);
  }
}
