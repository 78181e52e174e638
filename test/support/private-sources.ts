/**
 * Private source instances for tests that must RESET MASTER, PURGE binlogs,
 * drop slots or restart the server (never the shared 33306 / 55432, which
 * other suites use). Made by test/services/{mariadb,postgres}.sh on their own
 * ports and data directory (default /var/tmp/sluice-lifecycle).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Db, Exec } from './cdc-support';
import { uniqueName } from './services';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** One set of private instances: a data root (each server in its own dir below it, with its own log) and ports. */
export interface PrivateSet {
  root: string;
  mariadb: number;
  pg: number;
}

export const PRIVATE: PrivateSet = {
  root: process.env.LIFECYCLE_ROOT ?? '/var/tmp/sluice-lifecycle',
  mariadb: Number(process.env.LIFECYCLE_MARIADB_PORT ?? 33391),
  pg: Number(process.env.LIFECYCLE_PG_PORT ?? 55491),
};

/**
 * up/down of the private MariaDB or PostgreSQL (idempotent); `serverId` sets MariaDB's server_id for that start;
 * `at` is another set of instances (default: the lifecycle set above).
 */
export async function privateService(svc: 'mariadb' | 'postgres', cmd: 'up' | 'down', opts: { serverId?: number; at?: PrivateSet } = {}): Promise<void> {
  const at = opts.at ?? PRIVATE;
  const env = {
    ...process.env,
    SLUICE_TEST_ROOT: at.root,
    TEST_MARIADB_PORT: String(at.mariadb),
    TEST_PG_PORT: String(at.pg),
    ...(opts.serverId !== undefined ? { TEST_MARIADB_SERVER_ID: String(opts.serverId) } : {}),
  };
  await run('bash', [path.join(ROOT, `test/services/${svc}.sh`), cmd], { env, timeout: 120_000 });
}

export async function privateMy(db?: string, at: PrivateSet = PRIVATE): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: '127.0.0.1',
    port: at.mariadb,
    user: 'root',
    database: db,
    multipleStatements: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
}

export async function privatePg(db = 'postgres', at: PrivateSet = PRIVATE): Promise<pg.Client> {
  const c = new pg.Client({ host: '127.0.0.1', port: at.pg, user: 'postgres', database: db });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

/** Rows of `sql` on `db` of the private PostgreSQL, on a connection of its own. */
export async function privatePgRows<T extends pg.QueryResultRow>(db: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = await privatePg(db);
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** A suite's teardown: starts the private PostgreSQL if a test left it down, drops `db`'s inactive slots, then `db`. Never throws. */
export async function dropPrivatePgDb(db: string): Promise<void> {
  await privateService('postgres', 'up').catch(() => {});
  await privatePgRows('postgres', `select pg_drop_replication_slot(slot_name) from pg_replication_slots where database = $1 and not active`, [db]).catch(
    () => {},
  );
  await privatePgRows('postgres', `drop database if exists ${db} with (force)`).catch(() => {});
}

/** A POSTGRES data source's config for `db` on the private PostgreSQL. */
export const privatePgConfig = (db: string) => ({ host: '127.0.0.1', port: PRIVATE.pg, user: 'postgres', database: db, schema: 'public' });

/** A database on a private instance, shaped like cdc-support's Db (drop() also drops its slots). */
export async function privateDb(kind: 'postgres' | 'mysql', label: string, at: PrivateSet = PRIVATE): Promise<Db> {
  const name = uniqueName(`lc_${label}`).toLowerCase();
  if (kind === 'postgres') {
    const a = await privatePg('postgres', at);
    await a.query(`CREATE DATABASE "${name}"`);
    await a.end();
    return {
      kind,
      name,
      conn: { kind: 'postgres', config: { host: '127.0.0.1', port: at.pg, user: 'postgres', database: name, schema: 'public', ssl: false } },
      drop: async () => {
        const b = await privatePg('postgres', at);
        await b.query(`SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = $1 AND active`, [name]);
        await new Promise((r) => setTimeout(r, 200));
        await b.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1`, [name]).catch(() => undefined);
        await b.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
        await b.end();
      },
    };
  }
  const a = await privateMy(undefined, at);
  await a.query(`CREATE DATABASE \`${name}\``);
  await a.end();
  return {
    kind,
    name,
    conn: { kind: 'mysql', config: { host: '127.0.0.1', port: at.mariadb, user: 'root', database: name, ssl: false } },
    drop: async () => {
      const b = await privateMy(undefined, at);
      await b.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await b.end();
    },
  };
}

/** A session on any Db by its own connection (private or shared instance), shaped like cdc-support's Exec. */
export async function execOn(db: Db): Promise<Exec> {
  const cfg = db.conn.config as { host: string; port: number; user: string; database: string };
  if (db.kind === 'postgres') {
    const c = new pg.Client({ host: cfg.host, port: cfg.port, user: cfg.user, database: cfg.database });
    c.on('error', () => undefined);
    await c.connect();
    return { kind: 'postgres', query: (s, p) => c.query(s, p as never[]), close: () => c.end() };
  }
  const c = await mysql.createConnection({
    host: cfg.host,
    port: cfg.port,
    user: cfg.user,
    database: cfg.database,
    multipleStatements: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  c.on('error', () => undefined); // a server that goes away fails the next query instead of crashing the process
  return { kind: 'mysql', query: async (s, p) => (await c.query(s.replace(/\$\d+/g, '?'), p as never[]))[0], close: () => c.end() };
}
