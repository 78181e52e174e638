/**
 * Full-load benchmark environment (see ../fullload.ts): directions, the
 * measurement shape, database server CPU sampling, admin connections and the
 * generated source tables.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { services } from '../../support/services';
import { rowsFor, MYSQL_DDL, PG_DDL, PG_PRE, mysqlFill, pgFill, type BenchTable } from './fullload-data';
import { serverCpuMs, timed } from './util';
import type { Repeated } from './repeat';

/** test/bench (this file lives in test/bench/lib). */
export const here = join(dirname(fileURLToPath(import.meta.url)), '..');
export const root = join(here, '..', '..');
/** Database names and the export directory; SLUICE_BENCH_PREFIX keeps two checkouts' runs apart on shared servers. */
export const PREFIX = process.env.SLUICE_BENCH_PREFIX ?? 'h7_bench';
export const FILE_DIR = process.env.SLUICE_BENCH_PREFIX ? `/var/tmp/${process.env.SLUICE_BENCH_PREFIX}` : '/var/tmp/h7-bench';

export type Dir = 'm2p' | 'p2m' | 'p2p' | 'm2m';
export const DIRS: Record<Dir, { label: string; from: 'mysql' | 'postgres'; to: 'mysql' | 'postgres'; peer: string | null }> = {
  m2p: { label: 'MySQL→PG', from: 'mysql', to: 'postgres', peer: 'pgloader' },
  p2m: { label: 'PG→MySQL', from: 'postgres', to: 'mysql', peer: null },
  p2p: { label: 'PG→PG', from: 'postgres', to: 'postgres', peer: 'pg_dump | psql' },
  m2m: { label: 'MySQL→MySQL', from: 'mysql', to: 'mysql', peer: 'mariadb-dump | mariadb' },
};

/** One figure: with `--runs` > 1, the median run's, with every run's figures (Repeated). */
export interface Measurement extends Repeated {
  direction: Dir;
  table: BenchTable;
  tool: 'sluice' | 'sluice-verify' | 'limit' | 'peer';
  name: string;
  rows: number;
  seconds: number;
  rowsPerSec: number;
  peakRssMb?: number;
  /** CPU time spent during the measurement: the agent process (Sluice only) and each database server. */
  cpu?: { agentMs?: number; pgMs: number; mariadbMs: number };
  ok: boolean;
  error?: string;
  detail?: Record<string, unknown>;
}

// ------------------------------------------------------------------ server CPU

let serverPids: { pg: number | null; my: number | null } = { pg: null, my: null };

export async function findServerPids(): Promise<void> {
  const pgPid = await pgAdmin('postgres', async (c) => String((await c.query('SHOW data_directory')).rows[0].data_directory)).then(
    (dir) => Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]),
    () => null,
  );
  const myPid = await myAdmin(undefined, async (c) => String(((await c.query('SELECT @@pid_file AS f')) as unknown as [{ f: string }[]])[0][0]!.f)).then(
    (f) => Number(readFileSync(f, 'utf8').trim()),
    () => null,
  );
  serverPids = { pg: pgPid && Number.isFinite(pgPid) ? pgPid : null, my: myPid && Number.isFinite(myPid) ? myPid : null };
}

export async function serverCpu(): Promise<{ pg: number; my: number }> {
  const [pgMs, myMs] = await Promise.all([serverPids.pg ? serverCpuMs(serverPids.pg) : 0, serverPids.my ? serverCpuMs(serverPids.my) : 0]);
  return { pg: pgMs, my: myMs };
}

/** Runs fn and returns the CPU both database servers used meanwhile. */
export async function withServerCpu<T>(fn: () => Promise<T>): Promise<{ value: T; pgMs: number; mariadbMs: number }> {
  const a = await serverCpu();
  const value = await fn();
  const b = await serverCpu();
  return { value, pgMs: b.pg - a.pg, mariadbMs: b.my - a.my };
}

export const pgHost = services.pg;
export const myHost = services.mariadb;
export const pgCli = `-h ${pgHost.host} -p ${pgHost.port} -U ${pgHost.user}`;
export const myCli = `-h${myHost.host} -P${myHost.port} -u${myHost.user}`;

export async function pgAdmin<T>(db: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ host: pgHost.host, port: pgHost.port, user: pgHost.user, database: db });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function myAdmin<T>(db: string | undefined, fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const c = await mysql.createConnection({
    host: myHost.host,
    port: myHost.port,
    user: myHost.user,
    ...(db ? { database: db } : {}),
    multipleStatements: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function pgRecreateDb(db: string): Promise<void> {
  await pgAdmin('postgres', async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${db}`);
  });
}
export async function pgDropDb(db: string): Promise<void> {
  await pgAdmin('postgres', (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
}
export async function myRecreateDb(db: string): Promise<void> {
  await myAdmin(undefined, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${db}`);
    await c.query(`CREATE DATABASE ${db} CHARACTER SET utf8mb4`);
  });
}
export async function myDropDb(db: string): Promise<void> {
  await myAdmin(undefined, (c) => c.query(`DROP DATABASE IF EXISTS ${db}`));
}

export async function countRows(engine: 'mysql' | 'postgres', db: string, table: string, schema = 'public'): Promise<number> {
  if (engine === 'postgres') return pgAdmin(db, async (c) => Number((await c.query(`SELECT count(*)::text AS n FROM ${schema}.${table}`)).rows[0].n));
  return myAdmin(db, async (c) => Number(((await c.query(`SELECT COUNT(*) AS n FROM \`${table}\``)) as unknown as [{ n: string }[]])[0][0]!.n));
}

// ------------------------------------------------------------------ sources

export const SRC = `${PREFIX}_src`;

export async function ensureSources(tables: BenchTable[], n: number, regen: boolean, needMy: boolean, needPg: boolean): Promise<void> {
  const step = 500_000;
  if (needMy) {
    await myAdmin(undefined, (c) => c.query(`CREATE DATABASE IF NOT EXISTS ${SRC} CHARACTER SET utf8mb4`));
    for (const t of tables) {
      const want = rowsFor(t, n);
      const have = await countRows('mysql', SRC, t).catch(() => -1);
      if (have === want && !regen) continue;
      const tm = await timed(() =>
        myAdmin(SRC, async (c) => {
          await c.query(`DROP TABLE IF EXISTS ${t}`);
          await c.query(MYSQL_DDL[t]);
          await c.query("SET time_zone = '+00:00'");
          for (let lo = 1; lo <= want; lo += step) await c.query(mysqlFill(t, lo, Math.min(want, lo + step - 1)));
          await c.query(`ANALYZE TABLE ${t}`);
        }),
      );
      console.log(`  generated MariaDB ${SRC}.${t}: ${want} rows in ${tm.seconds.toFixed(1)} s`);
    }
  }
  if (needPg) {
    const exists = await pgAdmin('postgres', async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [SRC])).rowCount === 1);
    if (!exists) await pgAdmin('postgres', (c) => c.query(`CREATE DATABASE ${SRC}`));
    for (const t of tables) {
      const want = rowsFor(t, n);
      const have = await countRows('postgres', SRC, t).catch(() => -1);
      if (have === want && !regen) continue;
      const tm = await timed(() =>
        pgAdmin(SRC, async (c) => {
          await c.query(`DROP TABLE IF EXISTS ${t}`);
          for (const s of PG_PRE[t]) await c.query(s);
          await c.query(PG_DDL[t]);
          await c.query("SET TimeZone = 'UTC'");
          for (let lo = 1; lo <= want; lo += step) await c.query(pgFill(t, lo, Math.min(want, lo + step - 1)));
          await c.query(`VACUUM ANALYZE ${t}`);
        }),
      );
      console.log(`  generated PostgreSQL ${SRC}.${t}: ${want} rows in ${tm.seconds.toFixed(1)} s`);
    }
  }
}
