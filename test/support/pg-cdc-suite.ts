/**
 * The setup of the PG -> PG CDC suites driven through GraphQL and real agents (api-live-tables,
 * api-schema-approval, cdc-cleanup): an api with fast agent timings and its owner, a source (with
 * its tables) and a target database on the shared PostgreSQL, and the teardown that kills the
 * suite's agents, drops the slots it left and its databases, and stops the api.
 */
import pg from 'pg';
import { startApi, type ApiHarness, type SignedUp } from './api-harness';
import { createDataSource } from './api-fixtures';
import { FAST_AGENT_ENV, type AgentProcess } from './agents-helpers';
import { pgDataSourceConfig, services, uniqueName } from './services';

/** Rows of `sql` on database `db` of the shared PostgreSQL (as `user`), on a connection of its own. */
export async function pgRows<R extends pg.QueryResultRow>(db: string, sql: string, params: unknown[] = [], user = services.pg.user): Promise<R[]> {
  const c = new pg.Client({ host: services.pg.host, port: services.pg.port, user, database: db });
  await c.connect();
  try {
    return (await c.query<R>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** The slot (and publication) name Sluice gives a CDC job from PostgreSQL. */
export const slotOf = (jobId: string) => `sluice_${jobId.replace(/-/g, '_')}`;

/** Creates a POSTGRES data source for `db` on the shared PostgreSQL; returns its id. */
export async function createPgDataSource(api: ApiHarness, owner: SignedUp, name: string, db: string): Promise<string> {
  return (await createDataSource(api, owner.token, { name, kind: 'POSTGRES', config: pgDataSourceConfig(db) })).id;
}

export interface PgCdcSuite {
  api: ApiHarness;
  owner: SignedUp;
  srcDb: string;
  dstDb: string;
}

/**
 * Starts the api (prefixes `dbPrefix`, `redisPrefix`) and signs the owner up, then creates `<dbLabel>_src` and
 * `<dbLabel>_dst`; in the source, each of `tables` (name: [prefix, n]) as (id int primary key, v text not null)
 * holding rows 1..n with v = '<prefix><id>'. On an error, what it made is dropped and the api stopped before the
 * error is thrown (the suite's afterAll never got them).
 */
export async function startPgCdcSuite(opts: {
  dbPrefix: string;
  redisPrefix: string;
  dbLabel: string;
  tables: Record<string, [string, number]>;
}): Promise<PgCdcSuite> {
  const api = await startApi({ dbPrefix: opts.dbPrefix, redisPrefix: opts.redisPrefix, env: { ...FAST_AGENT_ENV, LOG_LEVEL: 'info' } });
  const dbs: string[] = [];
  try {
    const owner = await api.signUp();
    const [srcDb, dstDb] = [uniqueName(`${opts.dbLabel}_src`), uniqueName(`${opts.dbLabel}_dst`)];
    for (const db of [srcDb, dstDb]) {
      await pgRows('postgres', `create database ${db}`);
      dbs.push(db);
    }
    for (const [table, [prefix, n]] of Object.entries(opts.tables)) {
      await pgRows(srcDb, `create table ${table} (id int primary key, v text not null)`);
      await pgRows(srcDb, `insert into ${table} select g, '${prefix}' || g from generate_series(1, ${n}) g`);
    }
    return { api, owner, srcDb, dstDb };
  } catch (e) {
    await endPgCdcSuite(api, [], dbs);
    throw e;
  }
}

/**
 * The suite's afterAll: kills `procs`, drops the inactive Sluice slots of `dbs` (undefined: never created), then
 * `dbs`, and stops `api`.
 */
export async function endPgCdcSuite(api: ApiHarness | undefined, procs: AgentProcess[], dbs: (string | undefined)[]): Promise<void> {
  const made = dbs.filter((db): db is string => db !== undefined);
  for (const p of procs) p.kill();
  // Whatever a failed test left behind: no slot may outlive the suite.
  await pgRows(
    'postgres',
    `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name like 'sluice_%' and database = any($1) and not active`,
    [made],
  ).catch(() => {});
  for (const db of made) await pgRows('postgres', `drop database if exists ${db} with (force)`).catch(() => {});
  await api?.stop();
}
