/**
 * The last resort for an update with unchanged TOAST columns (PG source: not sent) when the target holds its row at
 * none of its keys (not at its key, nor at `fromKey` / `viaKeys` for a moved row): e.g. the catch-up of a resumed
 * full_cdc whose later snapshot copy is ahead of the stream. Updating only the sent columns would drop the row (PG
 * target) or write NULL in the unsent ones (MySQL target). Instead the applier asks the source for the row as it is
 * now, by its (new) key, and upserts that whole row, in the same target transaction as the batch.
 *
 * Why the current row is safe (the same argument as kafka/from-db/fill-moved-rows.ts): the lookup runs after the batch's
 * transactions committed at the source, so it sees a state at or after them. A column the source left out was not
 * changed by them. Any later change of that key (an update, a move away, a delete) is after the batch in the stream
 * and is applied next, so the target converges to the exact source state. If the source has no row at that key any
 * more, it was deleted or moved on later, and that DELETE (or move) follows in the stream: skipping the row is right.
 * Only these rare rows cost a source round trip (one per table per batch); a target that holds the row pays nothing.
 */
import type { CdcRow, CdcSource, ResolvedPlan, ResolvedUpsert, TableKey } from './types';

/**
 * Gives `rp` its `currentRows`: `sourceRows` maps each upsert row with unchanged columns (target names) to its source
 * row (source names); `toTarget` maps a source row to target names as the loop does.
 */
export function attachCurrentRows(
  rp: ResolvedPlan,
  source: Pick<CdcSource, 'currentRows'>,
  table: TableKey,
  keyColumns: string[],
  sourceRows: Map<CdcRow, { row: CdcRow; unchanged: string[] }>,
  toTarget: (row: CdcRow) => CdcRow,
): void {
  if (!sourceRows.size || !source.currentRows) return;
  rp.currentRows = async (upserts: ResolvedUpsert[]) => {
    const src = upserts.map((u) => sourceRows.get(u.row));
    const known = src.filter((s) => s !== undefined);
    const columns = [...new Set(known.flatMap((s) => [...Object.keys(s.row), ...s.unchanged]))];
    const keys = known.map((s) => Object.fromEntries(keyColumns.map((k) => [k, s.row[k] ?? null])));
    const rows = keys.length ? await source.currentRows!(table, keys, columns) : [];
    let i = 0;
    return src.map((s) => {
      if (!s) return null;
      const r = rows[i++];
      return r ? toTarget(r) : null;
    });
  };
}
