/**
 * Database -> Kafka: a PostgreSQL update that moves a row to another primary key while its TOAST columns
 * did not change (REPLICA IDENTITY DEFAULT) carries no value for them (`unchanged`). Written as is, the
 * create of the new key would lack them and a reader (Debezium, Canal, or any consumer without the old
 * row) would store NULL. Before such a transaction is encoded, the missing columns are read from the
 * source's current row at the NEW key (`streaming.currentRows`), so every create the job writes is whole.
 *
 * Why the current row is right: logical decoding hands out transactions in commit order, and the lookup
 * runs after the moving transaction T committed, so it sees the state after a prefix of the stream that
 * contains T. A column the source left out was not changed by T, so its value after T is the old row's.
 * If a later transaction L (already committed when we look) changed that column, deleted the row or moved
 * it on, L comes after T in the stream and its own records set the column, delete the key or move it: the
 * looked-up value is at least as new as T's and never newer than what the stream brings next. A key with
 * no row any more (deleted or moved on by such an L) keeps the gap; L's delete follows in the same stream.
 * A consumer may therefore see, between T and L, a value from L's time (never an older one and never
 * NULL for a row that holds a value); once it has read L, the state is exact.
 */
import type { CdcRow, CdcValue, RowChange, SourceTable, SourceTx, TableKey } from '../../changes';
import type { StreamingCapability } from '../../streaming';

const same = (a: CdcValue | undefined, b: CdcValue | undefined): boolean =>
  Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : (a ?? null) === (b ?? null);

/** Updates of `tx` that move a row to another key and leave columns out. */
export function movedWithGaps(tx: SourceTx, describe: (table: TableKey) => SourceTable): RowChange[] {
  const out: RowChange[] = [];
  for (const ch of tx.changes) {
    if (ch.op !== 'update' || !ch.unchanged?.length || !ch.before || !ch.after) continue;
    const keys = describe(ch.table).keyColumns;
    const before = ch.before;
    if (keys.some((k) => k in before && !same(before[k], ch.after![k]))) out.push(ch);
  }
  return out;
}

/**
 * Fills, in place, the left-out columns of `tx`'s key-moving updates from the source's current rows.
 * Returns how many changes were filled. Sources without `currentRows` never leave columns out.
 */
export async function fillMovedRows(
  tx: SourceTx,
  describe: (table: TableKey) => SourceTable,
  streaming: Pick<StreamingCapability, 'currentRows'>,
): Promise<number> {
  const moved = movedWithGaps(tx, describe);
  if (!moved.length || !streaming.currentRows) return 0;
  const byTable = new Map<TableKey, RowChange[]>();
  for (const ch of moved) (byTable.get(ch.table) ?? byTable.set(ch.table, []).get(ch.table)!).push(ch);
  let filled = 0;
  for (const [table, changes] of byTable) {
    const keyCols = describe(table).keyColumns;
    const columns = [...new Set(changes.flatMap((c) => c.unchanged ?? []))];
    const keys = changes.map((c) => Object.fromEntries(keyCols.map((k) => [k, c.after![k] ?? null])) as CdcRow);
    const rows = await streaming.currentRows(table, keys, columns);
    changes.forEach((ch, i) => {
      const row = rows[i];
      if (!row) return;
      const after = { ...ch.after! };
      for (const c of ch.unchanged ?? []) after[c] = row[c] ?? null;
      ch.after = after;
      delete ch.unchanged;
      filled++;
    });
  }
  return filled;
}
