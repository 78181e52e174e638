/** Driver configs built from a protocol Connection. Secrets never leave these objects. */
import type { ClientConfig } from 'pg';
import type { ConnectionOptions } from 'mysql2';
import type { Connection } from '../protocol';
import { mysqlTls, pgTls } from '../tls/client-tls';

export type PgConnection = Extract<Connection, { kind: 'postgres' }>;
export type MysqlConnection = Extract<Connection, { kind: 'mysql' }>;

export function pgConfig(conn: PgConnection, extra: Partial<ClientConfig> = {}): ClientConfig {
  const c = conn.config;
  return {
    host: c.host,
    port: c.port,
    user: c.user,
    database: c.database,
    password: conn.secret,
    ...pgTls(conn),
    application_name: 'sluice-cdc',
    ...extra,
  };
}

/** Session settings under which PostgreSQL prints every value as exact, unambiguous text (the replication stream's and its lookups'). */
export const PG_TEXT_OPTIONS = '-c DateStyle=ISO -c TimeZone=UTC -c IntervalStyle=postgres -c extra_float_digits=3 -c bytea_output=hex';

export function mysqlConfig(conn: MysqlConnection, extra: Partial<ConnectionOptions> = {}): ConnectionOptions {
  const c = conn.config;
  return {
    host: c.host,
    port: c.port,
    user: c.user,
    database: c.database,
    password: conn.secret,
    ...mysqlTls(conn),
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    jsonStrings: true,
    timezone: 'Z',
    charset: 'utf8mb4',
    ...extra,
  } as ConnectionOptions;
}

export function qi(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function mi(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

export function pgLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
