/**
 * Shared fixtures for the CDC integration tests: per-test databases (prefix h6_),
 * hooks that record what the engine reports, a random workload, and a
 * source-vs-target comparison computed from the databases themselves.
 */
import pg from 'pg';
import mysql from 'mysql2/promise';
import type { Connection } from '@sluice/agent/protocol';
import { jobSpecSchema, type JobSpecInput } from '../../agent/src/protocol';
import type { EngineTaskInput } from '../../agent/src/engine/hooks';
import { services, uniqueName } from './services';
import { waitFor } from './wait';

export type Kind = 'postgres' | 'mysql';

export interface Db {
  kind: Kind;
  name: string;
  conn: Connection;
  drop(): Promise<void>;
}

export async function pgAdmin(db = 'postgres'): Promise<pg.Client> {
  const c = new pg.Client({ host: services.pg.host, port: services.pg.port, user: services.pg.user, database: db });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

export async function myAdmin(db?: string): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: services.mariadb.host,
    port: services.mariadb.port,
    user: services.mariadb.user,
    database: db,
    multipleStatements: true,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
}

export async function createDb(kind: Kind, label: string): Promise<Db> {
  const name = uniqueName(`h6_${label}`).toLowerCase();
  if (kind === 'postgres') {
    const a = await pgAdmin();
    await a.query(`CREATE DATABASE "${name}"`);
    await a.end();
    return {
      kind,
      name,
      conn: { kind: 'postgres', config: { host: services.pg.host, port: services.pg.port, user: 'postgres', database: name, schema: 'public', ssl: false } },
      drop: async () => {
        const b = await pgAdmin();
        await b.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active`, [name]);
        await b.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
        await b.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1`, [name]).catch(() => undefined);
        await b.query(`DROP DATABASE IF EXISTS "${name}"`).catch(() => undefined);
        await b.end();
      },
    };
  }
  const a = await myAdmin();
  await a.query(`CREATE DATABASE \`${name}\``);
  await a.end();
  return {
    kind,
    name,
    conn: { kind: 'mysql', config: { host: services.mariadb.host, port: services.mariadb.port, user: 'root', database: name, ssl: false } },
    drop: async () => {
      const b = await myAdmin();
      await b.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await b.end();
    },
  };
}

/** DDL for the workload tables, per engine. `items.note` is large enough to be TOASTed on PG. */
export function workloadDdl(kind: Kind): string[] {
  if (kind === 'postgres') {
    return [
      `CREATE TABLE items (id bigint PRIMARY KEY, qty integer NOT NULL, name varchar(100), price numeric(12,3), ts timestamp(6), big bigint, note text)`,
      `CREATE TABLE order_lines (order_id bigint, line integer, amount numeric(14,2) NOT NULL, PRIMARY KEY (order_id, line))`,
    ];
  }
  return [
    'CREATE TABLE items (id bigint PRIMARY KEY, qty int NOT NULL, name varchar(100), price decimal(12,3), ts datetime(6), big bigint, note longtext) ENGINE=InnoDB',
    'CREATE TABLE order_lines (order_id bigint, line int, amount decimal(14,2) NOT NULL, PRIMARY KEY (order_id, line)) ENGINE=InnoDB',
  ];
}

export interface Exec {
  kind: Kind;
  query(sql: string, params?: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

export async function exec(db: Db): Promise<Exec> {
  if (db.kind === 'postgres') {
    const c = await pgAdmin(db.name);
    return { kind: 'postgres', query: (s, p) => c.query(s, p as never[]), close: () => c.end() };
  }
  const c = await myAdmin(db.name);
  return {
    kind: 'mysql',
    query: async (s, p) => (await c.query(s.replace(/\$\d+/g, '?'), p as never[]))[0],
    close: () => c.end(),
  };
}

/** Seeded PRNG so a failing run can be replayed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random workload: inserts, updates, deletes, multi-row transactions,
 * primary-key updates and composite-key rows. The generator is the only writer,
 * so it knows which ids exist.
 */
export class Workload {
  private nextId = 1;
  private nextOrder = 1;
  readonly ids = new Set<number>();
  readonly orders = new Map<number, number>();
  ops = 0;
  private readonly r: () => number;

  constructor(
    private readonly x: Exec,
    seed: number,
  ) {
    this.r = rng(seed);
  }

  private pick(): number | undefined {
    if (this.ids.size === 0) return undefined;
    const k = Math.floor(this.r() * this.ids.size);
    let i = 0;
    for (const id of this.ids) if (i++ === k) return id;
    return undefined;
  }

  private values(id: number): unknown[] {
    const r = this.r;
    const qty = Math.floor(r() * 1_000_000) - 500_000;
    const name = r() < 0.1 ? null : `n-${id}-${Math.floor(r() * 1e6)} ünï\ttab`;
    const price = r() < 0.1 ? null : `${Math.floor(r() * 1e8)}.${String(Math.floor(r() * 1000)).padStart(3, '0')}`;
    const us = String(Math.floor(r() * 1e6)).padStart(6, '0');
    const ts = `2024-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)} 1${Math.floor(r() * 9)}:2${Math.floor(r() * 9)}:3${Math.floor(r() * 9)}.${us}`;
    const big = r() < 0.5 ? '9007199254740993' : `-${Math.floor(r() * 1e15)}${Math.floor(r() * 9)}`;
    // Incompressible and > 2 kB: stored out of line (TOAST) on PG, so updates that do not touch it send it as "unchanged".
    let note = `note ${id}`;
    if (r() < 0.25) {
      const parts: string[] = [];
      for (let i = 0; i < 700; i++)
        parts.push(
          Math.floor(r() * 0xffffffff)
            .toString(16)
            .padStart(8, '0'),
        );
      note = parts.join('');
    }
    return [id, qty, name, price, ts, big, note];
  }

  /** `n` rows in multi-row INSERTs (fast seeding). */
  async bulk(n: number): Promise<void> {
    for (let done = 0; done < n;) {
      const k = Math.min(500, n - done);
      const params: unknown[] = [];
      const tuples: string[] = [];
      for (let i = 0; i < k; i++) {
        const id = this.nextId++;
        const v = this.values(id);
        tuples.push(`(${v.map((_, j) => `$${params.length + j + 1}`).join(', ')})`);
        params.push(...v);
        this.ids.add(id);
      }
      await this.x.query(`INSERT INTO items (id, qty, name, price, ts, big, note) VALUES ${tuples.join(', ')}`, params);
      done += k;
    }
  }

  async insert(): Promise<void> {
    const id = this.nextId++;
    await this.x.query('INSERT INTO items (id, qty, name, price, ts, big, note) VALUES ($1, $2, $3, $4, $5, $6, $7)', this.values(id));
    this.ids.add(id);
  }

  private async one(): Promise<void> {
    const p = this.r();
    this.ops++;
    if (p < 0.4 || this.ids.size < 5) return this.insert();
    if (p < 0.6) {
      const id = this.pick()!;
      await this.x.query('UPDATE items SET qty = qty + 1, price = $2 WHERE id = $1', [id, `${Math.floor(this.r() * 1000)}.5`]);
      return;
    }
    if (p < 0.68) {
      // Touches only small columns: on PG the TOASTed note goes out as "unchanged".
      const id = this.pick()!;
      await this.x.query('UPDATE items SET name = $2 WHERE id = $1', [id, `renamed ${this.r()}`]);
      return;
    }
    if (p < 0.78) {
      const id = this.pick()!;
      await this.x.query('DELETE FROM items WHERE id = $1', [id]);
      this.ids.delete(id);
      return;
    }
    if (p < 0.84) {
      const id = this.pick()!;
      const to = this.nextId++;
      await this.x.query('UPDATE items SET id = $2 WHERE id = $1', [id, to]);
      this.ids.delete(id);
      this.ids.add(to);
      return;
    }
    // Composite-key rows.
    if (p < 0.93 || this.orders.size === 0) {
      const o = this.nextOrder++;
      const n = 1 + Math.floor(this.r() * 4);
      for (let l = 1; l <= n; l++) {
        await this.x.query('INSERT INTO order_lines (order_id, line, amount) VALUES ($1, $2, $3)', [
          o,
          l,
          `${Math.floor(this.r() * 1e6)}.${Math.floor(this.r() * 90) + 10}`,
        ]);
      }
      this.orders.set(o, n);
      return;
    }
    const [o] = [...this.orders.keys()].slice(Math.floor(this.r() * this.orders.size));
    if (o === undefined) return;
    if (this.r() < 0.5) {
      await this.x.query('DELETE FROM order_lines WHERE order_id = $1', [o]);
      this.orders.delete(o);
    } else await this.x.query('UPDATE order_lines SET amount = amount + 1 WHERE order_id = $1', [o]);
  }

  /** `n` operations; about a quarter of them grouped into multi-statement transactions. */
  async run(n: number): Promise<void> {
    let done = 0;
    while (done < n) {
      if (this.r() < 0.25) {
        const k = 2 + Math.floor(this.r() * 6);
        await this.x.query(this.x.kind === 'postgres' ? 'BEGIN' : 'START TRANSACTION');
        for (let i = 0; i < k; i++) await this.one();
        const rollback = this.r() < 0.1;
        await this.x.query(rollback ? 'ROLLBACK' : 'COMMIT');
        done += k;
        // A rolled-back transaction leaves no trace in the source; resync our view of ids.
        if (rollback) await this.resync();
      } else {
        await this.one();
        done++;
      }
    }
  }

  private async resync(): Promise<void> {
    const rows = (await this.x.query('SELECT id FROM items')) as { rows?: { id: string }[] } | { id: string }[];
    const list = Array.isArray(rows) ? rows : (rows.rows ?? []);
    this.ids.clear();
    for (const r of list) this.ids.add(Number(r.id));
    const ol = (await this.x.query('SELECT order_id, count(*) AS n FROM order_lines GROUP BY order_id')) as
      { rows?: { order_id: string; n: string }[] } | { order_id: string; n: string }[];
    const ol2 = Array.isArray(ol) ? ol : (ol.rows ?? []);
    this.orders.clear();
    for (const r of ol2) this.orders.set(Number(r.order_id), Number(r.n));
  }
}

/** Rows of both workload tables as normalised text, ordered by key: computed in the database. */
export async function dumpTables(db: Db): Promise<{ items: string[]; lines: string[] }> {
  const x = await exec(db);
  try {
    const norm = (v: unknown): string => {
      if (v === null || v === undefined) return '∅';
      let s = String(v);
      // timestamps: PG trims trailing fractional zeros, MySQL pads them.
      if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(s)) s = s.replace(/\.?0+$/, (m) => (m.startsWith('.') || s.includes('.') ? '' : m));
      return s;
    };
    const q = async (sql: string) => {
      const r = (await x.query(sql)) as { rows?: Record<string, unknown>[] } | Record<string, unknown>[];
      const rows = Array.isArray(r) ? r : (r.rows ?? []);
      return rows.map((row) => Object.values(row).map(norm).join('|'));
    };
    if (db.kind === 'postgres') {
      return {
        items: await q('SELECT id::text, qty::text, name, price::text, ts::text, big::text, md5(note) FROM items ORDER BY items.id'),
        lines: await q('SELECT order_id::text, line::text, amount::text FROM order_lines ORDER BY order_lines.order_id, order_lines.line'),
      };
    }
    return {
      items: await q(
        'SELECT CAST(id AS CHAR), CAST(qty AS CHAR), name, CAST(price AS CHAR), CAST(ts AS CHAR), CAST(big AS CHAR), md5(note) FROM items ORDER BY items.id',
      ),
      lines: await q('SELECT CAST(order_id AS CHAR), CAST(line AS CHAR), CAST(amount AS CHAR) FROM order_lines ORDER BY order_id, line'),
    };
  } finally {
    await x.close();
  }
}

export function diff(a: string[], b: string[]): { missing: string[]; extra: string[] } {
  const sa = new Set(a);
  const sb = new Set(b);
  return { missing: a.filter((r) => !sb.has(r)), extra: b.filter((r) => !sa.has(r)) };
}
export { recordingHooks, type RecordingHooks } from './cdc-recording-hooks';

export function taskInput(jobId: string, source: Db, target: Db, job: JobSpecInput, taskSpec: Record<string, unknown>): EngineTaskInput {
  return {
    jobId,
    runId: `${jobId}-run`,
    taskId: `${jobId}-cdc`,
    kind: 'cdc',
    job: jobSpecSchema.parse(job),
    source: source.conn,
    target: target.conn,
    taskSpec,
  };
}

/** The one polling helper (test/support/wait.ts), re-exported for this suite's files. */
export { waitFor };

/**
 * A source and a target database (tracked in `dbs` for the suite's cleanup), both holding the workload
 * tables; returns an open session on the source for the workload (the target's session is closed).
 */
export async function workloadPair(srcKind: Kind, tgtKind: Kind, srcLabel: string, tgtLabel: string, dbs: Db[]): Promise<{ src: Db; tgt: Db; sx: Exec }> {
  const src = await createDb(srcKind, srcLabel);
  const tgt = await createDb(tgtKind, tgtLabel);
  dbs.push(src, tgt);
  const sx = await exec(src);
  const tx = await exec(tgt);
  for (const s of workloadDdl(srcKind)) await sx.query(s);
  for (const s of workloadDdl(tgtKind)) await tx.query(s);
  await tx.close();
  return { src, tgt, sx };
}

/** Waits (polling every 500 ms) until the source and the target hold the same rows, as dumpTables sees them. */
export async function waitForSameRows(src: Db, tgt: Db, timeoutMs: number, what = 'target to match source'): Promise<void> {
  await waitFor(
    what,
    async () => {
      const [a, b] = await Promise.all([dumpTables(src), dumpTables(tgt)]);
      return JSON.stringify(a) === JSON.stringify(b);
    },
    timeoutMs,
    500,
  );
}

/** Runs the workload in the background, `ops` operations at a time, until the returned stop() (which waits for the last round). */
export function writeInBackground(wl: Workload, ops: number): { stop: () => Promise<void> } {
  let writing = true;
  const writer = (async () => {
    while (writing) await wl.run(ops);
  })();
  return {
    stop: async () => {
      writing = false;
      await writer;
    },
  };
}

export function sourceTables(db: Db): string[] {
  const schema = db.kind === 'postgres' ? 'public' : db.name;
  return [`${schema}.items`, `${schema}.order_lines`];
}
