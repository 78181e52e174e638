/** Connector registry: Connection -> Source / Target. */
import type { Connection } from '../protocol';
import { ConnectorError, type Source, type Target, type CheckResult } from './spi';
import { PgSource, PgTarget, checkPg } from './postgres';
import { MysqlSource, MysqlTarget, checkMysql } from './mysql';

export * from './spi';

export function createSource(conn: Connection): Source {
  if (conn.kind === 'postgres') return new PgSource(conn);
  if (conn.kind === 'mysql') return new MysqlSource(conn);
  throw new ConnectorError(`${conn.kind} is not supported as a full-load source`, { class: 'config', code: 'UNSUPPORTED', retryable: false, fix: 'use a mysql or postgres data source' });
}

export function createTarget(conn: Connection, opts: { maxConnections?: number; loadData?: boolean } = {}): Target {
  if (conn.kind === 'postgres') return new PgTarget(conn, opts);
  if (conn.kind === 'mysql') return new MysqlTarget(conn, opts);
  throw new ConnectorError(`${conn.kind} is not supported as a target yet`, { class: 'config', code: 'UNSUPPORTED', retryable: false, fix: 'use a mysql or postgres data source' });
}

export function checkConnection(conn: Connection, role: 'source' | 'target'): Promise<CheckResult> {
  if (conn.kind === 'postgres') return checkPg(conn, role);
  if (conn.kind === 'mysql') return checkMysql(conn, role);
  return Promise.resolve({ ok: false, checks: [{ name: 'kind', ok: false, message: `${conn.kind} connections are tested by the Kafka connector`, fix: 'not supported here' }] });
}

export { PgSource, PgTarget, MysqlSource, MysqlTarget };
