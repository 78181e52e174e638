/**
 * Verification's own database sessions. Verification only runs aggregate and
 * key/hash queries, so it keeps a small dedicated session per side instead of
 * borrowing the connectors' bulk sessions. Row data never passes through here
 * for matching chunks.
 */
import pg from 'pg';
import mysql from 'mysql2/promise';
import type { Connection } from '../protocol';
import { mysqlTls, pgTls, tlsFailure } from '../tls/client-tls';
import { ConnectorError } from '../connectors/spi';
import type { Flavor, Side } from './canonical';

export interface SqlSession extends Side {
  /** Runs SQL and returns rows as string maps (every value as text or null). */
  query(sql: string, params?: string[]): Promise<Record<string, string | null>[]>;
  /** Runs SQL and streams rows in chunks (used for key/hash listings of mismatched chunks). */
  close(): Promise<void>;
  /** Database (MySQL) or schema (PG) holding the tables. */
  namespace: string;
}

function unreachable(conn: Connection, e: unknown): ConnectorError {
  const msg = e instanceof Error ? e.message : String(e);
  const tls = tlsFailure(e);
  if (tls) return new ConnectorError(`verification could not connect to ${conn.kind}: ${tls.message}`, { class: 'config', code: 'TLS_FAILED', retryable: false, fix: tls.fix, cause: e });
  return new ConnectorError(`verification could not connect to ${conn.kind} at ${'host' in conn.config ? `${conn.config.host}:${conn.config.port}` : '?'}: ${msg}`, {
    class: 'transient',
    code: 'UNREACHABLE',
    fix: 'check that the database is reachable from the agent and the credentials are right',
    cause: e,
  });
}

export async function openSession(conn: Connection): Promise<SqlSession> {
  if (conn.kind === 'postgres') {
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
    return {
      engine: 'postgres',
      flavor: 'postgres',
      namespace: c.schema,
      async query(sql, params) {
        const r = await client.query({ text: sql, values: params ?? [], types: asText as never });
        return r.rows as Record<string, string | null>[];
      },
      async close() {
        await client.end().catch(() => {});
      },
    };
  }
  if (conn.kind === 'mysql') {
    const c = conn.config;
    let cx: mysql.Connection;
    try {
      cx = await mysql.createConnection({
        host: c.host,
        port: c.port,
        user: c.user,
        database: c.database,
        ...(conn.secret !== undefined ? { password: conn.secret } : {}),
        ...mysqlTls(conn),
        charset: 'utf8mb4',
        supportBigNumbers: true,
        bigNumberStrings: true,
        dateStrings: true,
        decimalNumbers: false,
        typeCast: (field, next) => {
          const v = field.string('utf8');
          return v === null ? null : v;
        },
      });
    } catch (e) {
      throw unreachable(conn, e);
    }
    cx.on('error', () => {});
    const [vrows] = await cx.query('SELECT VERSION() AS v');
    const version = String((vrows as { v: string }[])[0]?.v ?? '');
    const flavor: Flavor = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
    return {
      engine: 'mysql',
      flavor,
      namespace: c.database,
      async query(sql, params) {
        const [rows] = await cx.query({ sql, values: params ?? [] });
        return rows as Record<string, string | null>[];
      },
      async close() {
        await cx.end().catch(() => {});
      },
    };
  }
  throw new ConnectorError(`verification supports MySQL/MariaDB and PostgreSQL, not ${conn.kind}`, { class: 'config', code: 'UNSUPPORTED', fix: 'verify only database-to-database jobs' });
}
