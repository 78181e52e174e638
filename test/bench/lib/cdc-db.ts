/** Databases, data and the CDC task process shared by the CDC benchmarks (cdc-bench.ts, --partitions). */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { jobSpecSchema, type Connection } from '../../../agent/src/protocol';
import type { EngineTaskInput } from '../../../agent/src/engine/hooks';
import type { PgConnection } from '../../../agent/src/cdc/connections';
import { cleanupPgCdc, setupPgCdc } from '../../../agent/src/cdc/pg-logical';
import { mysqlCurrentPosition } from '../../../agent/src/cdc/run-cdc';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(here, '../..');
export const PG_PORT = Number(process.env.TEST_PG_PORT ?? 55432);
export const MY_PORT = Number(process.env.TEST_MARIADB_PORT ?? 33306);
export type Kind = 'postgres' | 'mysql';

export interface Db {
  kind: Kind;
  name: string;
  conn: Connection;
  q(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
  drop(): Promise<void>;
}

export async function makeDb(kind: Kind, label: string): Promise<Db> {
  const name = `h6_bench_${label}_${Date.now().toString(36)}`;
  if (kind === 'postgres') {
    const admin = new pg.Client({ host: '127.0.0.1', port: PG_PORT, user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const c = new pg.Client({ host: '127.0.0.1', port: PG_PORT, user: 'postgres', database: name });
    c.on('error', () => undefined);
    await c.connect();
    await c.query("SET TIME ZONE 'UTC'");
    return {
      kind,
      name,
      conn: { kind: 'postgres', config: { host: '127.0.0.1', port: PG_PORT, user: 'postgres', database: name, schema: 'public', ssl: false } },
      q: async (sql, params) => (await c.query(sql, params as never[])).rows,
      close: () => c.end(),
      drop: async () => {
        const a = new pg.Client({ host: '127.0.0.1', port: PG_PORT, user: 'postgres', database: 'postgres' });
        await a.connect();
        await a.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active', [name]).catch(() => undefined);
        await a.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await a.query(`DROP DATABASE IF EXISTS "${name}"`).catch(() => undefined);
        await a.end();
      },
    };
  }
  const admin = await mysql.createConnection({ host: '127.0.0.1', port: MY_PORT, user: 'root' });
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  const c = await mysql.createConnection({
    host: '127.0.0.1',
    port: MY_PORT,
    user: 'root',
    database: name,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  await c.query("SET time_zone = '+00:00'");
  return {
    kind,
    name,
    conn: { kind: 'mysql', config: { host: '127.0.0.1', port: MY_PORT, user: 'root', database: name, ssl: false } },
    q: async (sql, params) => (await c.query(sql.replace(/\$\d+/g, '?'), params as never[]))[0] as Record<string, unknown>[],
    close: () => c.end(),
    drop: async () => {
      const a = await mysql.createConnection({ host: '127.0.0.1', port: MY_PORT, user: 'root' });
      await a.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await a.end();
    },
  };
}

export const ddl = (kind: Kind, target: boolean) =>
  kind === 'postgres'
    ? `CREATE TABLE bench (id bigint PRIMARY KEY, v integer, s varchar(64), ts timestamp(6)${target ? ', applied_at timestamp(6) DEFAULT clock_timestamp()' : ''})`
    : `CREATE TABLE bench (id bigint PRIMARY KEY, v int, s varchar(64), ts datetime(6)${target ? ', applied_at datetime(6) DEFAULT CURRENT_TIMESTAMP(6)' : ''}) ENGINE=InnoDB`;

export const nowTs = () => new Date().toISOString().replace('T', ' ').replace('Z', '');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function bulk(src: Db, startId: number, n: number): Promise<void> {
  for (let done = 0; done < n; done += 10_000) {
    const k = Math.min(10_000, n - done);
    const base = startId + done;
    if (src.kind === 'postgres') {
      await src.q(`INSERT INTO bench (id, v, s, ts) SELECT ${base} + g, g, 'bulk ' || g, now() FROM generate_series(0, ${k - 1}) g`);
    } else {
      await src.q(`INSERT INTO bench (id, v, s, ts) SELECT ${base} + seq, seq, CONCAT('bulk ', seq), UTC_TIMESTAMP(6) FROM seq_0_to_${k - 1}`);
    }
  }
}

export async function count(tgt: Db): Promise<number> {
  const r = await tgt.q('SELECT count(*) AS n FROM bench');
  return Number(r[0]?.n ?? 0);
}

export function startCdcChild(input: EngineTaskInput): { stop: () => Promise<{ hwmKb: number; progress: unknown }>; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'cdc-bench-child.ts')], {
    cwd: root,
    env: { ...process.env, H6_CDC_BENCH: JSON.stringify({ input }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ready = new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (out.includes('STREAMING')) {
        clearInterval(t);
        resolve();
      }
    }, 50);
    child.once('exit', () => {
      clearInterval(t);
      reject(new Error(`cdc child exited early: ${err.slice(0, 500)}`));
    });
  });
  ready.catch(() => undefined);
  return {
    ready,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      const hwm = /VmHWM_KB=(\d+)/.exec(out);
      const prog = /PROGRESS (.*)/.exec(out);
      return { hwmKb: hwm ? Number(hwm[1]) : 0, progress: prog ? JSON.parse(prog[1]!) : null };
    },
  };
}

/**
 * The CDC task of job `slot` from `src`'s bench table into `tgt`, starting here: a new slot and publication `slot`
 * (PostgreSQL) or the binlog position now (MariaDB). `job`: the job spec (mode cdc, options).
 */
export async function cdcTaskFromNow(src: Db, tgt: Db, slot: string, job: Record<string, unknown>): Promise<EngineTaskInput> {
  const tables = [src.kind === 'postgres' ? 'public.bench' : `${src.name}.bench`];
  let cdcStart: Record<string, unknown>;
  if (src.kind === 'postgres') {
    const { lsn } = await setupPgCdc(src.conn as PgConnection, { slot, publication: slot, tables });
    cdcStart = { v: 1, kind: 'pg', lsn, slot, publication: slot };
  } else {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: MY_PORT, user: 'root' });
    cdcStart = await mysqlCurrentPosition(c);
    await c.end();
  }
  return {
    jobId: slot,
    runId: `${slot}-r`,
    taskId: `${slot}-t`,
    kind: 'cdc',
    job: jobSpecSchema.parse(job),
    source: src.conn,
    target: tgt.conn,
    taskSpec: { cdcStart, tables, slot, publication: slot, heartbeatMs: 1000, batchMaxChanges: 20_000 },
  };
}

/** A run's end, whatever happened: the slot and publication `slot` (PostgreSQL source), the sessions, the databases. */
export async function dropBenchPair(src: Db, tgt: Db, slot: string): Promise<void> {
  if (src.kind === 'postgres') await cleanupPgCdc(src.conn as PgConnection, { slot, publication: slot }).catch(() => undefined);
  await src.close().catch(() => undefined);
  await tgt.close().catch(() => undefined);
  await src.drop().catch(() => undefined);
  await tgt.drop().catch(() => undefined);
}
