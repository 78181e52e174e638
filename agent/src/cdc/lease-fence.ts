/**
 * Fencing at the target. Every target write transaction made under a lease
 * (full-load chunk writes, CDC batches) first checks and advances the task's
 * lease epoch in `_sluice_checkpoints` (row `job_id`, stream `lease:<taskId>`,
 * position `{"epoch": N}`), inside the same transaction as the rows:
 *
 * - stored epoch == ours: a shared row lock (concurrent writers of the same
 *   lease do not block each other) and go on;
 * - stored epoch > ours: a newer lease exists, the control plane moved the
 *   task; the transaction fails with ConnectorError code 'FENCED' and the
 *   agent stops the task (runtime/supervisor.ts);
 * - no row or an older epoch: advance it (an exclusive row lock: it waits for
 *   every in-flight transaction of the older lease to finish, and from its
 *   commit on every transaction of the older lease fails).
 *
 * The check is a plain read first so two writers of the same new epoch never
 * both hold a shared lock they then try to upgrade (no deadlock).
 */
import type { LeaseFence } from '../connectors/changes';
import { ConnectorError } from '../connectors/connector-error';
import { CHECKPOINT_TABLE } from './checkpoint-table';
import { mi, qi } from './connections';

/** Runs one statement and returns its rows (one adapter per driver). */
export type FenceSql = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

export function fencedError(lease: LeaseFence, stored: number): ConnectorError {
  return new ConnectorError(
    `this agent's lease (epoch ${lease.epoch}) is stale: the target was written under epoch ${stored}, so the task was moved to another agent; the write was refused`,
    {
      class: 'config',
      code: 'FENCED',
      retryable: false,
      fix: 'nothing to do: the agent stops this task; the agent holding the newer lease carries on (check this agent reaches the control plane)',
    },
  );
}

const epochOf = (rows: Record<string, unknown>[]): number | null => {
  const v = rows[0]?.epoch;
  return v === undefined || v === null ? null : Number(v);
};

/** PG: call right after BEGIN (READ COMMITTED), on the transaction's connection. */
export async function pgCheckLease(run: FenceSql, schema: string, jobId: string, lease: LeaseFence): Promise<void> {
  const t = `${qi(schema)}.${qi(CHECKPOINT_TABLE)}`;
  const read = `SELECT (position->>'epoch')::bigint AS epoch FROM ${t} WHERE job_id = $1 AND stream = $2`;
  const seen = epochOf(await run(read, [jobId, lease.key]));
  if (seen !== null && seen > lease.epoch) throw fencedError(lease, seen);
  if (seen === lease.epoch) {
    // The locking read sees the newest committed version: re-check under the shared lock.
    const locked = epochOf(await run(`${read} FOR SHARE`, [jobId, lease.key]));
    if (locked === lease.epoch) return;
    if (locked !== null && locked > lease.epoch) throw fencedError(lease, locked);
  }
  const r = await run(
    `INSERT INTO ${t} AS c (job_id, stream, position, updated_at) VALUES ($1, $2, jsonb_build_object('epoch', $3::bigint), now())
     ON CONFLICT (job_id, stream) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at
     WHERE (c.position->>'epoch')::bigint <= $3::bigint
     RETURNING (c.position->>'epoch')::bigint AS epoch`,
    [jobId, lease.key, lease.epoch],
  );
  if (epochOf(r) === lease.epoch) return;
  const now = epochOf(await run(read, [jobId, lease.key]));
  throw fencedError(lease, now ?? lease.epoch + 1);
}

/**
 * MySQL/MariaDB (InnoDB): call right after START TRANSACTION. A plain read in
 * REPEATABLE READ is a snapshot, so the decisions are taken on locking reads,
 * which see the newest committed version.
 */
export async function mysqlCheckLease(run: FenceSql, database: string, jobId: string, lease: LeaseFence): Promise<void> {
  const t = `${mi(database)}.${mi(CHECKPOINT_TABLE)}`;
  const epochExpr = `CAST(JSON_UNQUOTE(JSON_EXTRACT(position, '$.epoch')) AS UNSIGNED)`;
  const read = `SELECT ${epochExpr} AS epoch FROM ${t} WHERE job_id = ? AND stream = ?`;
  const seen = epochOf(await run(read, [jobId, lease.key]));
  if (seen !== null && seen > lease.epoch) throw fencedError(lease, seen);
  if (seen === lease.epoch) {
    const locked = epochOf(await run(`${read} LOCK IN SHARE MODE`, [jobId, lease.key]));
    if (locked === lease.epoch) return;
    if (locked !== null && locked > lease.epoch) throw fencedError(lease, locked);
  }
  await run(
    `INSERT INTO ${t} (job_id, stream, position, updated_at) VALUES (?, ?, JSON_OBJECT('epoch', ?), UTC_TIMESTAMP(6))
     ON DUPLICATE KEY UPDATE position = IF(${epochExpr} <= ?, VALUES(position), position), updated_at = VALUES(updated_at)`,
    [jobId, lease.key, lease.epoch, lease.epoch],
  );
  const now = epochOf(await run(`${read} FOR UPDATE`, [jobId, lease.key]));
  if (now !== lease.epoch) throw fencedError(lease, now ?? lease.epoch + 1);
}
