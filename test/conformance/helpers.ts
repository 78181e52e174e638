/** Shared helpers for the engine's conformance and integration tests (real databases only). */
import pg from 'pg';
import mysql from 'mysql2/promise';
import type { Connection } from '../../agent/src/protocol';
import { jobSpecSchema, type JobSpecInput } from '../../agent/src/protocol';
import type { EngineHooks, EngineProgress, Position } from '../../agent/src/engine';
import type { MariaDatabase, PgDatabase } from '../support/db-fixtures';

export function pgConnection(db: PgDatabase, schema = 'public'): Extract<Connection, { kind: 'postgres' }> {
  return { kind: 'postgres', config: { host: db.host, port: db.port, user: db.user, database: db.database, schema, ssl: false } };
}

export function mysqlConnection(db: MariaDatabase): Extract<Connection, { kind: 'mysql' }> {
  return { kind: 'mysql', config: { host: db.host, port: db.port, user: db.user, database: db.database, ssl: false } };
}

export interface MemHooks extends EngineHooks {
  checkpoints: Record<string, Position>;
  progressEvents: EngineProgress[];
  logs: { level: string; message: string }[];
  abort: AbortController;
}

/** Hooks that keep checkpoints in memory (like the control plane would). */
export function memHooks(resume: Record<string, Position> = {}): MemHooks {
  const abort = new AbortController();
  const h: MemHooks = {
    signal: abort.signal,
    abort,
    resume,
    checkpoints: { ...resume },
    progressEvents: [],
    logs: [],
    async checkpoint(stream, position) {
      h.checkpoints[stream] = JSON.parse(JSON.stringify(position)) as Position;
    },
    progress(p) {
      h.progressEvents.push(p);
    },
    log(level, message) {
      h.logs.push({ level, message });
    },
    event(type, message) {
      h.logs.push({ level: 'event', message: `${type}: ${message}` });
    },
    waitIfPaused: () => Promise.resolve(),
  };
  return h;
}

export function job(input: Partial<JobSpecInput> & { options?: Record<string, unknown> } = {}) {
  return jobSpecSchema.parse({ mode: 'full', ...input, options: { verifyAfterLoad: false, ...(input.options ?? {}) } });
}

export async function withPg<T>(db: PgDatabase, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function withMy<T>(db: MariaDatabase, fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const c = await mysql.createConnection({
    host: db.host,
    port: db.port,
    user: db.user,
    database: db.database,
    multipleStatements: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    charset: 'utf8mb4_general_ci',
  });
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * An order-independent fingerprint of a table computed inside the database
 * over a canonical text form of the given expressions (not by the engine).
 */
export async function pgTableHash(db: PgDatabase, table: string, exprs: string[], schema = 'public'): Promise<{ count: number; hash: string }> {
  return withPg(db, async (c) => {
    const r = await c.query<{ n: string; h: string | null }>(
      `SELECT count(*)::text AS n, md5(string_agg(md5(concat_ws('|', ${exprs.join(', ')})), '' ORDER BY md5(concat_ws('|', ${exprs.join(', ')})))) AS h FROM "${schema}"."${table}"`,
    );
    return { count: Number(r.rows[0]!.n), hash: r.rows[0]!.h ?? '' };
  });
}

export async function myTableHash(db: MariaDatabase, table: string, exprs: string[]): Promise<{ count: number; hash: string }> {
  return withMy(db, async (c) => {
    await c.query('SET SESSION group_concat_max_len = 1073741824');
    const [rows] = (await c.query(
      `SELECT COUNT(*) AS n, MD5(GROUP_CONCAT(MD5(CONCAT_WS('|', ${exprs.join(', ')})) ORDER BY MD5(CONCAT_WS('|', ${exprs.join(', ')})) SEPARATOR '')) AS h FROM \`${table}\``,
    )) as unknown as [{ n: string; h: string | null }[]];
    return { count: Number(rows[0]!.n), hash: rows[0]!.h ?? '' };
  });
}
