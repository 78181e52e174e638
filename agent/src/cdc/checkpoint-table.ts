/**
 * `_sluice_checkpoints(job_id, stream, position, updated_at)` in the TARGET.
 * The CDC applier writes its source position here in the same transaction as
 * the rows, so after any crash the target itself says where to resume.
 */
import type pg from 'pg';
import type mysql from 'mysql2/promise';
import { mi, qi } from './connections';

export const CHECKPOINT_TABLE = '_sluice_checkpoints';

export function pgCheckpointTableDdl(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qi(schema)}.${qi(CHECKPOINT_TABLE)} (
       job_id text NOT NULL, stream text NOT NULL, position jsonb NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (job_id, stream))`;
}

export async function ensurePgCheckpointTable(client: pg.ClientBase, schema: string): Promise<void> {
  try {
    await client.query(pgCheckpointTableDdl(schema));
  } catch (e) {
    // Two sessions creating it at once: one loses on the catalog's unique index; the table exists.
    if ((e as { code?: string }).code !== '23505' && (e as { code?: string }).code !== '42P07') throw e;
  }
}

export function pgCheckpointUpsert(schema: string): string {
  return `INSERT INTO ${qi(schema)}.${qi(CHECKPOINT_TABLE)} (job_id, stream, position, updated_at)
          VALUES ($1, $2, $3::jsonb, now())
          ON CONFLICT (job_id, stream) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`;
}

export async function readPgCheckpoint(client: pg.Client, schema: string, jobId: string, stream: string): Promise<Record<string, unknown> | null> {
  const r = await client.query<{ position: Record<string, unknown> }>(
    `SELECT position FROM ${qi(schema)}.${qi(CHECKPOINT_TABLE)} WHERE job_id = $1 AND stream = $2`,
    [jobId, stream],
  );
  return r.rows[0]?.position ?? null;
}

/** DDL: run it outside a transaction (MySQL commits implicitly). */
export function mysqlCheckpointTableDdl(database: string): string {
  return `CREATE TABLE IF NOT EXISTS ${mi(database)}.${mi(CHECKPOINT_TABLE)} (
       job_id varchar(128) NOT NULL, stream varchar(255) NOT NULL, position json NOT NULL,
       updated_at datetime(6) NOT NULL, PRIMARY KEY (job_id, stream)) ENGINE=InnoDB`;
}

export async function ensureMysqlCheckpointTable(conn: mysql.Connection, database: string): Promise<void> {
  await conn.query(mysqlCheckpointTableDdl(database));
}

export function mysqlCheckpointUpsert(database: string): string {
  return `INSERT INTO ${mi(database)}.${mi(CHECKPOINT_TABLE)} (job_id, stream, position, updated_at)
          VALUES (?, ?, ?, UTC_TIMESTAMP(6))
          ON DUPLICATE KEY UPDATE position = VALUES(position), updated_at = VALUES(updated_at)`;
}

export async function readMysqlCheckpoint(conn: mysql.Connection, database: string, jobId: string, stream: string): Promise<Record<string, unknown> | null> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(`SELECT position FROM ${mi(database)}.${mi(CHECKPOINT_TABLE)} WHERE job_id = ? AND stream = ?`, [
    jobId,
    stream,
  ]);
  const v = rows[0]?.position;
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : (v as Record<string, unknown>);
}

/** Removes a deleted job's rows; returns how many there were. */
export async function deletePgCheckpoints(client: pg.Client, schema: string, jobId: string): Promise<number> {
  const r = await client.query(`DELETE FROM ${qi(schema)}.${qi(CHECKPOINT_TABLE)} WHERE job_id = $1`, [jobId]);
  return r.rowCount ?? 0;
}

/** Removes a deleted job's rows; returns how many there were. */
export async function deleteMysqlCheckpoints(conn: mysql.Connection, database: string, jobId: string): Promise<number> {
  const [r] = await conn.query<mysql.ResultSetHeader>(`DELETE FROM ${mi(database)}.${mi(CHECKPOINT_TABLE)} WHERE job_id = ?`, [jobId]);
  return r.affectedRows;
}

/**
 * Parallel apply: partition 0 keeps the stream's own row, partition i >= 1 writes `<stream>@p<i>`.
 * One apply partition (today's behaviour) therefore reads and writes exactly the rows it always did.
 */
export function partitionStream(stream: string, index: number): string {
  return index === 0 ? stream : `${stream}@p${index}`;
}

/** The extra rows a write covering `partitions` partitions sets (`@p1 … @p<n-1>`). */
export function extraPartitionStreams(stream: string, partitions: number): string[] {
  return Array.from({ length: Math.max(0, partitions - 1) }, (_, i) => partitionStream(stream, i + 1));
}

/** PG: `$1` job, `$2` the `<stream>@p` prefix, `$3` the rows to keep (text[]). */
export function pgDropOtherPartitionsSql(schema: string): string {
  return `DELETE FROM ${qi(schema)}.${qi(CHECKPOINT_TABLE)} WHERE job_id = $1 AND left(stream, length($2)) = $2 AND NOT (stream = ANY($3::text[]))`;
}

export async function readPgPartitionCheckpoints(client: pg.Client, schema: string, jobId: string, stream: string): Promise<unknown[]> {
  const r = await client.query<{ position: unknown }>(
    `SELECT position FROM ${qi(schema)}.${qi(CHECKPOINT_TABLE)} WHERE job_id = $1 AND left(stream, length($2)) = $2`,
    [jobId, `${stream}@p`],
  );
  return r.rows.map((x) => x.position);
}

/** MySQL: job, the `<stream>@p` prefix (twice), then the rows to keep (at least one). */
export function mysqlDropOtherPartitionsSql(database: string, keep: number): string {
  const list = Array.from({ length: Math.max(1, keep) }, () => '?').join(', ');
  return `DELETE FROM ${mi(database)}.${mi(CHECKPOINT_TABLE)} WHERE job_id = ? AND LEFT(stream, CHAR_LENGTH(?)) = ? AND stream NOT IN (${list})`;
}

export async function readMysqlPartitionCheckpoints(conn: mysql.Connection, database: string, jobId: string, stream: string): Promise<unknown[]> {
  const prefix = `${stream}@p`;
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT position FROM ${mi(database)}.${mi(CHECKPOINT_TABLE)} WHERE job_id = ? AND LEFT(stream, CHAR_LENGTH(?)) = ?`,
    [jobId, prefix, prefix],
  );
  return rows.map((r) => (typeof r.position === 'string' ? (JSON.parse(r.position) as unknown) : (r.position as unknown)));
}
