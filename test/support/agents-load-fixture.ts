/**
 * A real full load to run on agents (agents integration tests): a MariaDB
 * source with `orders` and an empty Postgres target registered as data
 * sources, plus the job/task queries the suites assert on.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { ApiHarness, SignedUp } from './api-harness';
import { pgUrl, services, uniqueName } from './services';

export interface LoadFixture {
  mysqlDb: string;
  pgDb: string;
  rows: number;
  sourceId: string;
  targetId: string;
  drop(): Promise<void>;
  targetCount(): Promise<number>;
  targetChecksum(): Promise<string>;
  sourceChecksum(): Promise<string>;
}

/** A MariaDB source with `orders` (rows rows) and an empty Postgres target, registered as data sources of the owner's tenant. */
export async function loadFixture(api: ApiHarness, owner: SignedUp, rows: number): Promise<LoadFixture> {
  const mysqlDb = uniqueName('sluice_h4_src');
  const pgDb = uniqueName('sluice_h4_dst');
  const my = await mysql.createConnection({ host: services.mariadb.host, port: services.mariadb.port, user: services.mariadb.user, multipleStatements: true });
  await my.query(`create database ${mysqlDb}`);
  await my.query(`use ${mysqlDb}`);
  await my.query(
    `create table ${mysqlDb}.orders (id bigint primary key, customer varchar(64) not null, amount decimal(12,2) not null, note text, created_at datetime(6) not null)`,
  );
  await my.query(
    `insert into ${mysqlDb}.orders select seq, concat('customer-', seq % 997), round(seq * 1.37, 2), repeat('x', seq % 50), timestamp('2024-01-01') + interval seq second from seq_1_to_${rows}`,
  );
  await my.end();
  const admin = new pg.Client({ connectionString: pgUrl('postgres') });
  await admin.connect();
  await admin.query(`create database ${pgDb}`);
  await admin.end();
  const ds = async (name: string, kind: string, config: Record<string, unknown>) =>
    (
      await api.gqlOk<{ createDataSource: { id: string } }>(
        `mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) { id } }`,
        { input: { name, kind, config } },
        owner.token,
      )
    ).createDataSource.id;
  const sourceId = await ds(`src-${mysqlDb}`, 'MYSQL', {
    host: services.mariadb.host,
    port: services.mariadb.port,
    user: services.mariadb.user,
    database: mysqlDb,
  });
  const targetId = await ds(`dst-${pgDb}`, 'POSTGRES', {
    host: services.pg.host,
    port: services.pg.port,
    user: services.pg.user,
    database: pgDb,
    schema: 'public',
  });
  const pgq = async (sql: string) => {
    const c = new pg.Client({ connectionString: pgUrl(pgDb) });
    await c.connect();
    try {
      return (await c.query(sql)).rows;
    } finally {
      await c.end();
    }
  };
  return {
    mysqlDb,
    pgDb,
    rows,
    sourceId,
    targetId,
    async targetCount() {
      const r = await pgq('select count(*)::int as n from public.orders');
      return (r[0] as { n: number }).n;
    },
    async targetChecksum() {
      const r = await pgq(`select md5(string_agg(id::text || ':' || customer || ':' || amount::text, ',' order by id)) as h from public.orders`);
      return (r[0] as { h: string }).h;
    },
    async sourceChecksum() {
      const c = await mysql.createConnection({ host: services.mariadb.host, port: services.mariadb.port, user: services.mariadb.user });
      try {
        await c.query('set session group_concat_max_len = 1073741824');
        const [r] = await c.query(`select md5(group_concat(concat(id, ':', customer, ':', amount) order by id separator ',')) as h from ${mysqlDb}.orders`);
        return (r as { h: string }[])[0]!.h;
      } finally {
        await c.end();
      }
    },
    async drop() {
      const c = await mysql.createConnection({ host: services.mariadb.host, port: services.mariadb.port, user: services.mariadb.user });
      await c.query(`drop database if exists ${mysqlDb}`).finally(() => c.end());
      const a = new pg.Client({ connectionString: pgUrl('postgres') });
      await a.connect();
      await a.query(`drop database if exists ${pgDb} with (force)`).finally(() => a.end());
    },
  };
}

export async function createAndStartJob(api: ApiHarness, owner: SignedUp, f: LoadFixture, options: Record<string, unknown> = {}): Promise<string> {
  const job = await api.gqlOk<{ createJob: { id: string } }>(
    `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
    {
      input: {
        name: `load-${f.mysqlDb}`,
        sourceId: f.sourceId,
        targetId: f.targetId,
        spec: {
          mode: 'full',
          tables: { include: ['orders'] },
          options: { chunkSize: 1000, parallelism: 1, verifyAfterLoad: false, createForeignKeys: false, ...options },
        },
      },
    },
    owner.token,
  );
  await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id state } }`, { id: job.createJob.id }, owner.token);
  return job.createJob.id;
}

export async function jobState(
  api: ApiHarness,
  owner: SignedUp,
  jobId: string,
): Promise<{ state: string; lastError: string | null; progress: Record<string, unknown> }> {
  const d = await api.gqlOk<{ job: { state: string; lastError: string | null; progress: Record<string, unknown> } }>(
    `query($id: ID!) { job(id: $id) { state lastError progress } }`,
    { id: jobId },
    owner.token,
  );
  return d.job;
}

/** How many chunk checkpoints the job has stored. */
export async function chunkCheckpointCount(api: ApiHarness, jobId: string): Promise<number> {
  return (await api.sql<{ n: number }>(`select count(*)::int as n from checkpoints where job_id = $1 and stream like 'chunk:%'`, [jobId])).rows[0]!.n;
}

export async function runTask(api: ApiHarness, jobId: string) {
  const r = await api.sql<{ id: string; state: string; agent_id: string | null; lease_id: string | null; attempts: number; command: string }>(
    'select id, state, agent_id, lease_id, attempts, command from tasks where job_id = $1',
    [jobId],
  );
  return r.rows[0];
}
