/**
 * MySQL / MariaDB target: rows with unchanged (PG TOAST) columns, i.e. only some columns sent. They are UPDATEs, never
 * INSERTs: an INSERT ... ON DUPLICATE KEY UPDATE of the sent columns writes NULL (or the default) in the others for a
 * row the target does not hold, and fails in strict mode for a NOT NULL column without default even when it does.
 * One UPDATE per chunk sets each row's sent columns (`CASE WHEN key = ? THEN ? ...`, the key compared to the value as
 * the DELETE and the upsert compare it). When it matches fewer rows than it carries, one primary-key lookup per row of
 * that chunk says which ones the target does not hold: those are made whole from the source (current-rows.ts).
 */
import type { CdcValue, ResolvedPlan, ResolvedUpsert } from './types';
import { mi } from './connections';

/** Each WHEN is tried in turn for every matched row: small chunks keep that quadratic cost low. */
const ROWS_PER_UPDATE = 200;

type Run = (sql: string, params: CdcValue[]) => Promise<unknown>;

/** Rows matched by an UPDATE (not only the changed ones): from the server's info text, else affectedRows (FOUND_ROWS). */
function matched(r: unknown): number {
  const h = r as { info?: string; affectedRows?: number };
  const m = /Rows matched:\s*(\d+)/.exec(h.info ?? '');
  return m ? Number(m[1]) : (h.affectedRows ?? 0);
}

/** Updates the sent columns of `partial` (grouped by the columns they carry); returns the rows the target does not hold. */
export async function updatePartial(
  run: Run,
  target: string,
  keys: string[],
  partial: ResolvedUpsert[],
  convert: (v: CdcValue | undefined, col: string) => CdcValue,
  has: (col: string) => boolean,
): Promise<ResolvedUpsert[]> {
  const groups = new Map<string, ResolvedUpsert[]>();
  for (const u of partial) {
    const skip = new Set(u.unchanged);
    const sig = Object.keys(u.row)
      .filter((k) => has(k) && !skip.has(k) && !keys.includes(k))
      .join('\u0001');
    (groups.get(sig) ?? groups.set(sig, []).get(sig)!).push(u);
  }
  const where = `(${keys.map((k) => `${mi(k)} = ?`).join(' AND ')})`;
  const keyParams = (u: ResolvedUpsert) => keys.map((k) => convert(u.row[k], k));
  const missing: ResolvedUpsert[] = [];
  for (const [sig, rows] of groups) {
    const cols = sig ? sig.split('\u0001') : [];
    for (let i = 0; i < rows.length; i += ROWS_PER_UPDATE) {
      const chunk = rows.slice(i, i + ROWS_PER_UPDATE);
      const params: CdcValue[] = [];
      // no column to set but the key: set the key to itself, so the match count still says which rows are there
      const sets = cols.length
        ? cols.map((col) => {
            for (const u of chunk) params.push(...keyParams(u), convert(u.row[col], col));
            return `${mi(col)} = CASE ${chunk.map(() => `WHEN ${where} THEN ?`).join(' ')} ELSE ${mi(col)} END`;
          })
        : [`${mi(keys[0]!)} = ${mi(keys[0]!)}`];
      for (const u of chunk) params.push(...keyParams(u));
      const n = matched(await run(`UPDATE ${target} SET ${sets.join(', ')} WHERE ${chunk.map(() => where).join(' OR ')}`, params));
      if (n >= chunk.length) continue;
      // one primary-key lookup per row: which ones the target does not hold
      const probe = chunk.map((_, j) => `SELECT ${j} AS n FROM ${target} WHERE ${where}`).join(' UNION ALL ');
      const found = new Set(((await run(probe, chunk.flatMap(keyParams))) as { n: unknown }[]).map((r) => Number(r.n)));
      missing.push(...chunk.filter((_, j) => !found.has(j)));
    }
  }
  return missing;
}

/**
 * The rows to upsert whole for `missing`: the source's current row at the key, or nothing when the source has no row
 * there any more (it was deleted or moved on later: that DELETE or move follows in the stream). Without a way to read
 * the source (a Kafka source), the row is upserted with the columns it carries, as before.
 */
export async function missingRows(p: ResolvedPlan, missing: ResolvedUpsert[]): Promise<ResolvedUpsert[]> {
  if (!missing.length) return [];
  if (!p.currentRows) return missing;
  const current = await p.currentRows(missing);
  return current.flatMap((row) => (row ? [{ row }] : []));
}
