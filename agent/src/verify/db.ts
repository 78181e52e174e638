/**
 * Opens verification's session on a data source: one module per engine
 * (session-pg.ts, session-mysql.ts), looked up by the connection's connector kind;
 * nothing here names an engine. A kind without one is refused with a fix.
 */
import type { Connection } from '../protocol';
import { ConnectorError, type ConnectorKind } from '../connectors/spi';
import { openMysqlSession } from './session-mysql';
import { openPgSession } from './session-pg';
import type { SqlSession } from './session';

export type { SqlSession } from './session';

/** The connector kinds verification can read, each with its session. */
const sessions: Partial<Record<ConnectorKind, (conn: Connection) => Promise<SqlSession>>> = {
  postgres: openPgSession,
  mysql: openMysqlSession,
};

export async function openSession(conn: Connection): Promise<SqlSession> {
  const open = sessions[conn.kind];
  if (!open) {
    throw new ConnectorError(`verification supports MySQL/MariaDB and PostgreSQL, not ${conn.kind}`, {
      class: 'config',
      code: 'UNSUPPORTED',
      fix: 'verify only database-to-database jobs',
    });
  }
  return open(conn);
}
