/**
 * The connector conformance suite (DESIGN.md §5 rule 7), run against every
 * connector that is both a Source and a Target. CDC cases join when CDC lands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase } from '../support/db-fixtures';
import { createSource, createTarget, type Batch, type Connection, type Row, type SchemaChange, type Source, type Target, type TableInfo } from '../../agent/src/connectors';
import { mapTable } from '../../agent/src/engine/type-mapping';
import { mysqlConnection, pgConnection, withMy, withPg } from './helpers';

interface Fixture {
  name: string;
  conn: Connection;
  /** Create table `items` (id int PK, name text, payload bytes, amount decimal) with `n` rows. */
  seed(n: number): Promise<void>;
  countSessions(): Promise<number>;
  exec(sql: string): Promise<(string | null)[][]>;
  drop(): Promise<void>;
}

const N = 2500;

async function pgFixture(): Promise<Fixture> {
  const db = await createPgDatabase('h3_conf');
  return {
    name: 'postgres',
    conn: pgConnection(db),
    seed: (n) =>
      withPg(db, async (c) => {
        await c.query(`CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, payload bytea, amount numeric(20,4), at timestamptz)`);
        await c.query(`CREATE INDEX items_name ON items (name)`);
        await c.query(`INSERT INTO items SELECT g, 'item ' || g || ' ✓', decode(md5(g::text), 'hex'), g * 1.0001, TIMESTAMPTZ '2021-01-01 00:00:00+00' + g * interval '1 second' FROM generate_series(1, ${n}) g`);
        await c.query('ANALYZE items');
      }),
    countSessions: () => withPg(db, async (c) => Number((await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'sluice'`, [db.database])).rows[0].n)),
    exec: (sql) => withPg(db, async (c) => (await c.query({ text: sql, rowMode: 'array' })).rows.map((r: unknown[]) => r.map((v) => (v === null ? null : String(v))))),
    drop: db.drop,
  };
}

async function myFixture(): Promise<Fixture> {
  const db = await createMariaDatabase('h3_conf');
  return {
    name: 'mysql',
    conn: mysqlConnection(db),
    seed: (n) =>
      withMy(db, async (c) => {
        await c.query(`CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, payload VARBINARY(16), amount DECIMAL(20,4), at TIMESTAMP(0) NULL, KEY items_name (name))`);
        const rows = Array.from({ length: n }, (_, i) => `(${i + 1}, 'item ${i + 1} ✓', UNHEX(MD5(${i + 1})), ${i + 1} * 1.0001, TIMESTAMPADD(SECOND, ${i + 1}, '2021-01-01 00:00:00'))`);
        await c.query(`INSERT INTO items VALUES ${rows.join(',')}`);
        await c.query('ANALYZE TABLE items');
      }),
    countSessions: () =>
      withMy(db, async (c) => {
        const [r] = (await c.query(`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()`, [db.database])) as unknown as [{ n: string }[]];
        return Number(r[0]!.n);
      }),
    exec: (sql) =>
      withMy(db, async (c) => {
        const [rows] = (await c.query({ sql, rowsAsArray: true })) as unknown as [unknown[][]];
        return rows.map((r) => r.map((v) => (v === null ? null : Buffer.isBuffer(v) ? v.toString('hex') : String(v))));
      }),
    drop: db.drop,
  };
}

async function readAll(src: Source, table: TableInfo, chunkSize: number) {
  const plan = await src.plan([table], { snapshot: true, cdc: false, chunkSize });
  await src.openSnapshot(2);
  const batches: { task: string; batch: Batch }[] = [];
  for (const task of plan.tasks) {
    for await (const b of src.readTask(task, undefined, { worker: task.index % 2, batchRows: 100, batchBytes: 1 << 20 })) batches.push({ task: task.id, batch: b });
  }
  return { plan, batches };
}

const ids = (rows: Row[]) => rows.map((r) => Number(r[0]));

for (const [label, make] of [['postgres', pgFixture], ['mysql', myFixture]] as const) {
  describe(`connector conformance: ${label}`, () => {
    let f: Fixture;
    let other: Fixture;
    beforeAll(async () => {
      f = await make();
      other = await make();
      await f.seed(N);
    });
    afterAll(async () => {
      await f?.drop().catch(() => {});
      await other?.drop().catch(() => {});
    });

    it('reads everything exactly once across chunks', async () => {
      const src = createSource(f.conn);
      try {
        const cat = await src.discover((_s, t) => t === 'items');
        const t = cat.tables[0]!;
        expect(t.primaryKey).toEqual(['id']);
        expect(t.columns.map((c) => c.name)).toEqual(['id', 'name', 'payload', 'amount', 'at']);
        expect(t.indexes.map((i) => i.name)).toContain('items_name');
        const { plan, batches } = await readAll(src, t, 600);
        expect(plan.tasks.length).toBeGreaterThan(2);
        const all = batches.flatMap((b) => ids(b.batch.rows)).sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: N }, (_, i) => i + 1));
        // values travel as exact text or bytes
        const row = batches[0]!.batch.rows[0]!;
        expect(typeof row[0]).toBe('string');
        expect(Buffer.isBuffer(row[2])).toBe(true);
        expect(row[3]).toBe('1.0001');
      } finally {
        await src.close();
      }
    });

    it('acks half, resumes from the cursor and gets exactly the rest', async () => {
      const src = createSource(f.conn);
      try {
        const t = (await src.discover((_s, x) => x === 'items')).tables[0]!;
        const plan = await src.plan([t], { snapshot: true, cdc: false, chunkSize: 100_000 });
        expect(plan.tasks).toHaveLength(1);
        await src.openSnapshot(1);
        const task = plan.tasks[0]!;
        const first: number[] = [];
        let acked: Batch['cursor'] | undefined;
        for await (const b of src.readTask(task, undefined, { worker: 0, batchRows: 250, batchBytes: 1 << 20 })) {
          first.push(...ids(b.rows));
          if (first.length >= N / 2) {
            acked = b.cursor;
            break;
          }
        }
        expect(acked?.done).toBe(false);
        expect(acked?.rows).toBe(first.length);
        const rest: number[] = [];
        let last: Batch['cursor'] | undefined;
        for await (const b of src.readTask(task, JSON.parse(JSON.stringify(acked)), { worker: 0, batchRows: 250, batchBytes: 1 << 20 })) {
          rest.push(...ids(b.rows));
          last = b.cursor;
        }
        expect(last?.done).toBe(true);
        expect(last?.rows).toBe(N);
        expect([...first, ...rest]).toEqual(Array.from({ length: N }, (_, i) => i + 1));
        // a finished chunk yields nothing
        const again: Batch[] = [];
        for await (const b of src.readTask(task, last, { worker: 0, batchRows: 250, batchBytes: 1 << 20 })) again.push(b);
        expect(again).toEqual([]);
      } finally {
        await src.close();
      }
    });

    it('applying the schema twice changes nothing, and the same batch written twice gives the same target', async () => {
      const src = createSource(f.conn);
      const tgt: Target = createTarget(other.conn);
      try {
        const t = (await src.discover((_s, x) => x === 'items')).tables[0]!;
        const schema = other.conn.kind === 'postgres' ? other.conn.config.schema : other.conn.kind === 'mysql' ? other.conn.config.database : '';
        const m = mapTable(t, src.engine, tgt.engine, schema, undefined);
        const changes: SchemaChange[] = [
          { op: 'createTable', table: m.target, existing: 'upsert' },
          { op: 'createIndexes', table: m.target },
          { op: 'syncIdentity', table: m.target },
        ];
        const r1 = await tgt.applySchema(changes);
        expect(Object.values(r1.tables)).toEqual(['created']);
        const before = await tgt.discover((_s, x) => x === 'items');
        const r2 = await tgt.applySchema(changes);
        expect(Object.values(r2.tables)).toEqual(['exists']);
        const after = await tgt.discover((_s, x) => x === 'items');
        expect(after.tables).toEqual(before.tables);

        const { batches } = await readAll(src, t, 1000);
        const w = { schema, table: 'items', columns: m.columns.map((c) => c.target.name), types: m.columns.map((c) => c.target.type), primaryKey: m.target.primaryKey };
        const conv = (rows: Row[]) => rows.map((r) => r.map((v, i) => (m.columns[i]!.convert ? m.columns[i]!.convert!(v) : v)));
        const half = batches.slice(0, Math.ceil(batches.length / 2));
        for (const b of half) await tgt.writeBatch(w, conv(b.batch.rows.map((r) => [...r])), { jobId: 'c', stream: b.task, mayExist: false });
        const snap = async () => other.exec(`SELECT COUNT(*), SUM(id), MIN(name), MAX(amount) FROM items`);
        const once = await snap();
        // the same batches again, first as if fresh (duplicate keys), then as a declared retry
        for (const b of half) await tgt.writeBatch(w, conv(b.batch.rows.map((r) => [...r])), { jobId: 'c', stream: b.task, mayExist: false });
        expect(await snap()).toEqual(once);
        for (const b of half) await tgt.writeBatch(w, conv(b.batch.rows.map((r) => [...r])), { jobId: 'c', stream: b.task, mayExist: true });
        expect(await snap()).toEqual(once);
        for (const b of batches) await tgt.writeBatch(w, conv(b.batch.rows.map((r) => [...r])), { jobId: 'c', stream: b.task, mayExist: true });
        const full = await snap();
        expect(Number(full[0]![0])).toBe(N);
        expect(Number(full[0]![1])).toBe((N * (N + 1)) / 2);
      } finally {
        await Promise.all([src.close(), tgt.close()]);
      }
    });

    it.skipIf(label !== 'postgres')('passes COPY text straight through (PostgreSQL) and resumes from its cursor', async () => {
      const src = createSource(f.conn);
      try {
        const t = (await src.discover((_s, x) => x === 'items')).tables[0]!;
        const plan = await src.plan([t], { snapshot: true, cdc: false, chunkSize: 100_000 });
        await src.openSnapshot(1);
        const task = plan.tasks[0]!;
        let firstRows = 0;
        let acked: Batch['cursor'] | undefined;
        for await (const b of src.readTask(task, undefined, { worker: 0, batchRows: 300, batchBytes: 1 << 20, passthrough: 'pg-copy-text' })) {
          expect(b.rows).toEqual([]);
          const text = Buffer.concat(b.encoded!.chunks).toString('utf8');
          const lines = text.split('\n').filter(Boolean);
          expect(lines.length).toBe(b.encoded!.rows);
          firstRows += lines.length;
          expect(b.cursor.after).toEqual([lines[lines.length - 1]!.split('\t')[0]]);
          acked = b.cursor;
          if (firstRows >= N / 2) break;
        }
        let rest = 0;
        for await (const b of src.readTask(task, acked, { worker: 0, batchRows: 300, batchBytes: 1 << 20, passthrough: 'pg-copy-text' })) rest += b.encoded!.rows;
        expect(firstRows + rest).toBe(N);
      } finally {
        await src.close();
      }
    });

    it.skipIf(label !== 'mysql')('multi-row INSERT fallback (no LOAD DATA LOCAL) writes the same rows idempotently', async () => {
      const src = createSource(f.conn);
      const fb = await make();
      const tgt = createTarget(fb.conn, { loadData: false });
      try {
        const t = (await src.discover((_s, x) => x === 'items')).tables[0]!;
        const schema = fb.conn.kind === 'mysql' ? fb.conn.config.database : '';
        const m = mapTable(t, src.engine, tgt.engine, schema, undefined);
        await tgt.applySchema([{ op: 'createTable', table: m.target, existing: 'fail' }]);
        const { batches } = await readAll(src, t, 1000);
        const w = { schema, table: 'items', columns: m.columns.map((c) => c.target.name), types: m.columns.map((c) => c.target.type), primaryKey: m.target.primaryKey };
        for (let k = 0; k < 2; k++) for (const b of batches) await tgt.writeBatch(w, b.batch.rows.map((r) => [...r]), { jobId: 'c', stream: b.task, mayExist: k > 0 });
        const q = `SELECT COUNT(*), SUM(id), MD5(GROUP_CONCAT(CONCAT_WS('|', id, name, HEX(payload), amount, at) ORDER BY id)) FROM items`;
        expect(await fb.exec(q)).toEqual(await f.exec(q));
      } finally {
        await Promise.all([src.close(), tgt.close()]);
        await fb.drop();
      }
    });

    it('leaves no handle open after close', async () => {
      const src = createSource(f.conn);
      const tgt = createTarget(f.conn);
      const t = (await src.discover((_s, x) => x === 'items')).tables[0]!;
      const plan = await src.plan([t], { snapshot: true, cdc: false, chunkSize: 500 });
      await src.openSnapshot(3);
      // stop one read half-way: the connector must still release its session
      for await (const b of src.readTask(plan.tasks[0]!, undefined, { worker: 0, batchRows: 50, batchBytes: 1 << 20 })) {
        expect(b.rows.length).toBeGreaterThan(0);
        break;
      }
      await tgt.check();
      expect(await f.countSessions()).toBeGreaterThan(0);
      await Promise.all([src.close(), tgt.close()]);
      let n = -1;
      for (let i = 0; i < 50 && n !== 0; i++) {
        n = await f.countSessions();
        if (n) await new Promise((r) => setTimeout(r, 100));
      }
      expect(n).toBe(0);
    });
  });
}
