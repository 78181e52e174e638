import pg from 'pg';
import type { PostgresConfig, TlsMaterialShape } from '../../protocol';
import { classifyPgError } from '../errors';
import { pgTls } from '../../tls/client-tls';

export type PgConn = { kind: 'postgres'; config: PostgresConfig; secret?: string | undefined; tls?: TlsMaterialShape | undefined };

/** Every value arrives as exact text: no JS numbers or Dates. */
const rawTypes = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;

export const PG_SESSION_OPTIONS =
  '-c TimeZone=UTC -c DateStyle=ISO -c IntervalStyle=postgres -c extra_float_digits=3 -c bytea_output=hex -c client_encoding=UTF8';

export function pgClientConfig(c: PgConn, extra: Partial<pg.ClientConfig> = {}): pg.ClientConfig {
  return {
    host: c.config.host,
    port: c.config.port,
    user: c.config.user,
    database: c.config.database,
    ...(c.secret !== undefined ? { password: c.secret } : {}),
    ...pgTls(c),
    types: rawTypes,
    options: PG_SESSION_OPTIONS,
    connectionTimeoutMillis: 10_000,
    application_name: 'sluice',
    ...extra,
  };
}

export function errCtx(c: PgConn, what?: string, table?: string) {
  return { host: c.config.host, port: c.config.port, user: c.config.user, database: c.config.database, ...(what ? { what } : {}), ...(table ? { table } : {}) };
}

export async function connectPg(c: PgConn, what = 'connect'): Promise<pg.Client> {
  const client = new pg.Client(pgClientConfig(c));
  client.on('error', () => {
    /* surfaced on the next query */
  });
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => {});
    throw classifyPgError(e, errCtx(c, what));
  }
  return client;
}

export function qi(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}
export function ql(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
export function qt(schema: string, table: string): string {
  return `${qi(schema)}.${qi(table)}`;
}
