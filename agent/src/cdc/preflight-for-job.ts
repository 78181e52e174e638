/**
 * The CDC preflight for a job's table selection: what the engine runs before streaming (mode cdc)
 * or before the snapshot (mode full_cdc), and what the portal's wizard runs before Start through
 * `datasource.test`, so that both report the same checks for the same job.
 */
import pg from 'pg';
import mysql from 'mysql2/promise';
import { ConnectorError } from '../connectors/spi';
import type { Connection, JobSpec } from '../protocol';
import { mysqlConfig, pgConfig } from './connections';
import { selectTables } from './mapping';
import { preflightCdc, type PreflightCheck } from './preflight';
import type { TableKey } from './types';

/** The source tables (`schema.table`) a job with this selection captures. */
export async function listCapturedTables(src: Connection, job: Pick<JobSpec, 'tables'>): Promise<TableKey[]> {
  if (src.kind === 'postgres') {
    const c = new pg.Client(pgConfig(src));
    await c.connect();
    try {
      const r = await c.query<{ t: string }>("SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname = $1 ORDER BY 1", [src.config.schema]);
      return selectTables(job, r.rows.map((x) => x.t));
    } finally {
      await c.end();
    }
  }
  if (src.kind === 'mysql') {
    const c = await mysql.createConnection(mysqlConfig(src));
    try {
      const [rows] = await c.query<mysql.RowDataPacket[]>(
        "SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1",
        [src.config.database],
      );
      return selectTables(job, rows.map((x) => String(x.t)));
    } finally {
      await c.end();
    }
  }
  throw new ConnectorError(`CDC from a ${src.kind} source is not supported`, { class: 'config', code: 'UNSUPPORTED_SOURCE', retryable: false, fix: 'choose a MySQL/MariaDB or PostgreSQL source for CDC' });
}

/**
 * The checks a new job of this mode and selection meets at Start. Mode cdc streams without a snapshot
 * (no WAL/binlog retention is needed for one); full_cdc keeps the log for the estimated snapshot.
 */
export async function preflightCdcForJob(src: Connection, job: Pick<JobSpec, 'tables' | 'mode'>): Promise<PreflightCheck[]> {
  const tables = await listCapturedTables(src, job);
  return preflightCdc(src, { tables, ...(job.mode === 'cdc' ? { estimatedSnapshotSeconds: 0 } : {}) });
}
