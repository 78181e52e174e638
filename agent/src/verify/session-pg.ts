/** Verification's PostgreSQL session: every value as text, snapshots and the WAL position (see session.ts). */
import pg from 'pg';
import type { Connection } from '../protocol';
import { pgTls } from '../tls/client-tls';
import { unreachable, type SqlSession } from './session';

export async function openPgSession(conn: Connection): Promise<SqlSession> {
  if (conn.kind !== 'postgres') throw new Error(`the PostgreSQL verification session was given a ${conn.kind} connection`);
  const c = conn.config;
  const client = new pg.Client({
    host: c.host,
    port: c.port,
    user: c.user,
    database: c.database,
    ...(conn.secret !== undefined ? { password: conn.secret } : {}),
    ...pgTls(conn),
    application_name: 'sluice-verify',
  });
  // Return every value as text: verification compares text forms only.
  const asText = { getTypeParser: () => (v: string) => v };
  try {
    await client.connect();
  } catch (e) {
    throw unreachable(conn, e);
  }
  client.on('error', () => {});
  const session: SqlSession = {
    engine: 'postgres',
    flavor: 'postgres',
    namespace: c.schema,
    async query(sql, params) {
      const r = await client.query({ text: sql, values: params ?? [], types: asText as never });
      return r.rows as Record<string, string | null>[];
    },
    async beginSnapshot() {
      await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    },
    // PG takes the snapshot at the first statement: this one.
    async snapshotPosition() {
      const r = await session.query('SELECT pg_current_wal_lsn()::text AS lsn');
      return { v: 1, kind: 'pg', lsn: r[0]?.lsn ?? '0/0' };
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
  return session;
}
