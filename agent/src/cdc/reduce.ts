/**
 * Batch reduction: the changes of a batch (whole source transactions, in
 * commit order) collapse to one final action per key and table. Applying the
 * final actions is equivalent to applying every change in order, so per-key
 * order is preserved while the target does set-based work.
 *
 * - insert / update  -> upsert of the newest row image
 * - update changing the key -> delete of the old key + upsert of the new key
 * - delete           -> delete (drops an earlier upsert of the same key)
 * - truncate         -> forget every earlier action of the table, truncate first
 * - unchanged TOAST columns (PG) are filled from an earlier image of the same
 *   key in the batch when there is one; otherwise they stay "unchanged" and the
 *   target keeps its current value (after a key move: the value of the row at the
 *   key it came from, `fromKey`, or at a key it passed through, `viaKeys`).
 */
import type { CdcRow, CdcValue, Change, TableKey } from './types';

export type KeyAction =
  /**
   * `fromKey`: the row moved here from another key (PK update) and some columns
   * were not sent (unchanged TOAST): the applier copies them from the target's
   * row at `fromKey` before that row is deleted.
   * `viaKeys`: the keys the row held after `fromKey` in this batch (moved more than once), oldest first.
   * A target ahead of the stream (the overlap after a snapshot read after T0: a resumed full_cdc snapshot,
   * a live snapshot) may hold the row at one of them and not at `fromKey`; the applier looks there next.
   */
  { kind: 'upsert'; row: CdcRow; unchanged?: string[]; fromKey?: CdcRow; viaKeys?: CdcRow[] } | { kind: 'delete'; key: CdcRow };

export interface TablePlan {
  table: TableKey;
  truncate: boolean;
  actions: Map<string, KeyAction>;
  /** Row changes folded into this plan (for metrics). */
  changes: number;
}

function valueKey(v: CdcValue | undefined): string {
  if (v === null || v === undefined) return '\u0000null';
  if (Buffer.isBuffer(v)) return `\u0000x${v.toString('hex')}`;
  return v;
}

export function keyOf(row: CdcRow, keyColumns: string[]): string {
  if (keyColumns.length === 1) return valueKey(row[keyColumns[0]!]);
  return keyColumns.map((c) => valueKey(row[c])).join('\u0001');
}

function pick(row: CdcRow, cols: string[]): CdcRow {
  const out: CdcRow = {};
  for (const c of cols) out[c] = row[c] ?? null;
  return out;
}

export function reduceChanges(changes: Change[], keyColumnsOf: (table: TableKey) => string[]): Map<TableKey, TablePlan> {
  const plans = new Map<TableKey, TablePlan>();
  const planOf = (table: TableKey): TablePlan => {
    let p = plans.get(table);
    if (!p) {
      p = { table, truncate: false, actions: new Map(), changes: 0 };
      plans.set(table, p);
    }
    return p;
  };
  for (const ch of changes) {
    const plan = planOf(ch.table);
    plan.changes++;
    if (ch.op === 'truncate') {
      plan.truncate = true;
      plan.actions.clear();
      continue;
    }
    const keyCols = keyColumnsOf(ch.table);
    if (ch.op === 'insert') {
      const row = ch.after!;
      plan.actions.set(keyOf(row, keyCols), { kind: 'upsert', row });
    } else if (ch.op === 'delete') {
      const before = ch.before!;
      plan.actions.set(keyOf(before, keyCols), { kind: 'delete', key: pick(before, keyCols) });
    } else {
      const after = ch.after!;
      const newKey = keyOf(after, keyCols);
      let unchanged = ch.unchanged;
      let row = after;
      let fromKey: CdcRow | undefined;
      let viaKeys: CdcRow[] | undefined;
      // The image this update builds on: the same key, or the old key when the key changed.
      let prev = plan.actions.get(newKey);
      if (ch.before) {
        const oldKey = keyOf(ch.before, keyCols);
        if (oldKey !== newKey) {
          prev = plan.actions.get(oldKey);
          plan.actions.set(oldKey, { kind: 'delete', key: pick(ch.before, keyCols) });
          if (unchanged?.length) {
            if (prev?.kind === 'upsert' && prev.fromKey) {
              // moved again in this batch: the first key, and every key it passed through since
              fromKey = prev.fromKey;
              viaKeys = [...(prev.viaKeys ?? []), pick(ch.before, keyCols)];
            } else fromKey = pick(ch.before, keyCols);
          }
        }
      }
      if (unchanged?.length && prev?.kind === 'upsert') {
        row = { ...prev.row, ...after };
        const prevUnchanged = new Set(prev.unchanged ?? []);
        unchanged = unchanged.filter((c) => prevUnchanged.has(c) || !(c in prev.row));
        if (!fromKey && prev.fromKey && unchanged.length) {
          fromKey = prev.fromKey;
          viaKeys = prev.viaKeys;
        }
        if (unchanged.length === 0) fromKey = viaKeys = undefined;
      }
      const action: KeyAction = { kind: 'upsert', row };
      if (unchanged?.length) {
        action.unchanged = unchanged;
        if (fromKey) action.fromKey = fromKey;
        if (fromKey && viaKeys?.length) action.viaKeys = viaKeys;
      }
      // Keep the key's position stable (Map.set on an existing key does).
      plan.actions.set(newKey, action);
    }
  }
  return plans;
}

function rowBytes(r: CdcRow | null | undefined): number {
  if (!r) return 0;
  let n = 16;
  for (const v of Object.values(r)) n += v === null ? 1 : v.length;
  return n;
}

/** About how many bytes a change holds (the loop's batch size limit). */
export function changeBytes(c: Change): number {
  return c.op === 'truncate' ? 16 : rowBytes(c.before) + rowBytes(c.after);
}
