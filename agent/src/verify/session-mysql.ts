/** Verification's MySQL/MariaDB session: every value as text, consistent snapshots and their binlog position (see session.ts). */
import mysql from 'mysql2/promise';
import type { Connection } from '../protocol';
import type { SourcePosition } from '../connectors/spi';
import { mysqlTls } from '../tls/client-tls';
import type { Flavor } from './canonical';
import { unreachable, type SqlSession } from './session';

/** MariaDB reports the binlog position of its snapshot; MySQL only the executed GTID set. */
async function snapshotPosition(sess: SqlSession): Promise<SourcePosition> {
  if (sess.flavor === 'mariadb') {
    const st = await sess.query("SHOW STATUS LIKE 'binlog_snapshot_%'");
    const file = st.find((r) => /file/i.test(r.Variable_name ?? ''))?.Value ?? undefined;
    const pos = st.find((r) => /position/i.test(r.Variable_name ?? ''))?.Value ?? undefined;
    let gtidSet: string | undefined;
    if (file && pos) {
      const g = await sess.query('SELECT BINLOG_GTID_POS(?, ?) AS g', [file, pos]);
      gtidSet = g[0]?.g ?? undefined;
    }
    return { v: 1, kind: 'mysql', ...(gtidSet ? { gtidSet } : {}), ...(file ? { file } : {}), ...(pos ? { pos: Number(pos) } : {}) };
  }
  const g = await sess.query('SELECT @@GLOBAL.gtid_executed AS g');
  return { v: 1, kind: 'mysql', gtidSet: g[0]?.g ?? '' };
}

export async function openMysqlSession(conn: Connection): Promise<SqlSession> {
  if (conn.kind !== 'mysql') throw new Error(`the MySQL verification session was given a ${conn.kind} connection`);
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
  const session: SqlSession = {
    engine: 'mysql',
    flavor,
    namespace: c.database,
    async query(sql, params) {
      const [rows] = await cx.query({ sql, values: params ?? [] });
      return rows as Record<string, string | null>[];
    },
    async beginSnapshot() {
      await session.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
    },
    snapshotPosition: () => snapshotPosition(session),
    async close() {
      await cx.end().catch(() => {});
    },
  };
  return session;
}
