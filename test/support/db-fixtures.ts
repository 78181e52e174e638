/**
 * Per-test databases on the private test instances (test/services/up.sh): each call creates a fresh,
 * uniquely named database and returns its connection info plus a `drop()` that removes it again.
 *
 *   const src = await createPgDatabase('h9_cdc');      // on 127.0.0.1:$TEST_PG_PORT, wal_level=logical
 *   const dst = await createMariaDatabase('h9_cdc');   // on 127.0.0.1:$TEST_MARIADB_PORT, ROW binlog
 *   afterAll(() => Promise.all([src.drop(), dst.drop()]));
 *
 * Use your helper prefix so leftovers are attributable. `drop()` is idempotent; for Postgres it first
 * drops the logical replication slots of that database (Postgres refuses to drop a database that has
 * slots) and then drops the database WITH (FORCE), so open connections do not block it.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { pgUrl, services, uniqueName } from './services';

export interface PgDatabase {
  database: string;
  host: string;
  port: number;
  user: string;
  /** postgres://user@host:port/database (no password: the test instance trusts loopback). */
  url: string;
  drop(): Promise<void>;
}

export interface MariaDatabase {
  database: string;
  host: string;
  port: number;
  user: string;
  /** mysql://user@host:port/database (no password). */
  url: string;
  drop(): Promise<void>;
}

const PREFIX = /^[a-z][a-z0-9_]{0,30}$/;

function checkPrefix(prefix: string): void {
  if (!PREFIX.test(prefix)) {
    throw new Error(`database prefix "${prefix}" is invalid: use 1-31 lowercase letters, digits or underscores, starting with a letter (e.g. "h9_cdc")`);
  }
}

async function withPgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: pgUrl('postgres') });
  try {
    await c.connect();
  } catch (e) {
    throw new Error(
      `cannot reach the private PostgreSQL at ${services.pg.host}:${services.pg.port} (${(e as Error).message}); start it with "bash test/services/up.sh postgres"`,
    );
  }
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function withMariaAdmin<T>(fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  let c: mysql.Connection;
  try {
    c = await mysql.createConnection({ host: services.mariadb.host, port: services.mariadb.port, user: services.mariadb.user });
  } catch (e) {
    throw new Error(
      `cannot reach the private MariaDB at ${services.mariadb.host}:${services.mariadb.port} (${(e as Error).message}); start it with "bash test/services/up.sh mariadb"`,
    );
  }
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates a fresh database on the private PostgreSQL (logical decoding enabled). */
export async function createPgDatabase(prefix: string): Promise<PgDatabase> {
  checkPrefix(prefix);
  const database = uniqueName(prefix);
  await withPgAdmin((c) => c.query(`CREATE DATABASE "${database}"`));
  let dropped = false;
  return {
    database,
    host: services.pg.host,
    port: services.pg.port,
    user: services.pg.user,
    url: pgUrl(database),
    async drop() {
      if (dropped) return;
      await withPgAdmin(async (c) => {
        // Slots pin the database; stop any walsender still streaming from one, then drop them all.
        await c.query(`SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = $1 AND active_pid IS NOT NULL`, [database]);
        const { rows } = await c.query<{ slot_name: string }>('SELECT slot_name FROM pg_replication_slots WHERE database = $1', [database]);
        for (const { slot_name } of rows) {
          // A terminated walsender releases its slot asynchronously; retry briefly.
          for (let attempt = 0; ; attempt++) {
            try {
              await c.query('SELECT pg_drop_replication_slot($1)', [slot_name]);
              break;
            } catch (e) {
              if (attempt >= 50 || !/is active/.test((e as Error).message)) throw e;
              await new Promise((r) => setTimeout(r, 100));
            }
          }
        }
        await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      });
      dropped = true;
    },
  };
}

/** Creates a fresh database on the private MariaDB (ROW binlog, GTIDs, local_infile). */
export async function createMariaDatabase(prefix: string): Promise<MariaDatabase> {
  checkPrefix(prefix);
  const database = uniqueName(prefix);
  await withMariaAdmin((c) => c.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`));
  let dropped = false;
  return {
    database,
    host: services.mariadb.host,
    port: services.mariadb.port,
    user: services.mariadb.user,
    url: `mysql://${services.mariadb.user}@${services.mariadb.host}:${services.mariadb.port}/${database}`,
    async drop() {
      if (dropped) return;
      await withMariaAdmin((c) => c.query(`DROP DATABASE IF EXISTS \`${database}\``));
      dropped = true;
    },
  };
}
