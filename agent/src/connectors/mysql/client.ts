import mysql from 'mysql2';
import type { Connection as CoreConnection, ConnectionOptions } from 'mysql2';
import type { Connection as PromiseConnection } from 'mysql2/promise';
import type { MysqlConfig, TlsMaterialShape } from '../../protocol';
import { classifyMysqlError } from '../errors';
import { mysqlTls } from '../../tls/client-tls';

export type MyConn = { kind: 'mysql'; config: MysqlConfig; secret?: string | undefined; tls?: TlsMaterialShape | undefined };

export interface MyClient {
  core: CoreConnection;
  p: PromiseConnection;
  /** Set once the connection failed or closed: mysql2 queues commands on a dead connection forever. */
  dead: boolean;
}

/** Exact values: no JS numbers for big ints or decimals, dates as strings. */
export function mysqlOptions(c: MyConn, extra: Partial<ConnectionOptions> = {}): ConnectionOptions {
  return {
    host: c.config.host,
    port: c.config.port,
    user: c.config.user,
    database: c.config.database,
    ...(c.secret !== undefined ? { password: c.secret } : {}),
    ...mysqlTls(c),
    charset: 'utf8mb4_general_ci',
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    timezone: 'Z',
    connectTimeout: 10_000,
    multipleStatements: false,
    ...extra,
  };
}

export function errCtx(c: MyConn, what?: string, table?: string) {
  return { host: c.config.host, port: c.config.port, user: c.config.user, database: c.config.database, ...(what ? { what } : {}), ...(table ? { table } : {}) };
}

export async function connectMysql(c: MyConn, what = 'connect', session: string[] = []): Promise<MyClient> {
  const core = mysql.createConnection(mysqlOptions(c));
  const client: MyClient = { core, p: core.promise(), dead: false };
  core.on('error', () => {
    client.dead = true;
  });
  core.on('end', () => {
    client.dead = true;
  });
  const p = client.p;
  try {
    await p.connect();
    await p.query("SET time_zone = '+00:00'");
    for (const s of session) await p.query(s);
  } catch (e) {
    core.destroy();
    throw classifyMysqlError(e, errCtx(c, what));
  }
  return client;
}

export function qi(s: string): string {
  return '`' + s.replace(/`/g, '``') + '`';
}
export function qt(schema: string, table: string): string {
  return `${qi(schema)}.${qi(table)}`;
}
export const ql = (s: string): string => mysql.escape(s);

export async function endMysql(c: MyClient | null | undefined): Promise<void> {
  if (!c) return;
  try {
    await Promise.race([c.p.end(), new Promise((r) => setTimeout(r, 2000))]);
  } catch {
    /* ignore */
  }
  c.core.destroy();
}
