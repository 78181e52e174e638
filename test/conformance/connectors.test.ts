/**
 * MySQL/MariaDB and PostgreSQL run the connector acceptance suite (acceptance.ts)
 * with the capabilities they declare, plus the cases only their engine has.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase } from '../support/db-fixtures';
import { createSource, createTarget } from '../../agent/src/connectors';
import { mapTable } from '../../agent/src/engine/type-mapping';
import { runAcceptance, type AcceptanceFixture, type ConnectorUnderTest } from './acceptance';
import { mysqlConnection, pgConnection, withMy, withPg } from './helpers';

interface Fixture extends AcceptanceFixture {
  exec(sql: string): Promise<(string | null)[][]>;
}

const FINGERPRINT = 'SELECT COUNT(*), SUM(id), MIN(name), MAX(amount) FROM items';

async function pgFixture(): Promise<Fixture> {
  const db = await createPgDatabase('h3_conf');
  const exec = (sql: string) =>
    withPg(db, async (c) => (await c.query({ text: sql, rowMode: 'array' })).rows.map((r: unknown[]) => r.map((v) => (v === null ? null : String(v)))));
  return {
    conn: pgConnection(db),
    stream: { schema: 'public', table: 'items' },
    seed: (n) =>
      withPg(db, async (c) => {
        await c.query(`CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, payload bytea, amount numeric(20,4), at timestamptz)`);
        await c.query(`CREATE INDEX items_name ON items (name)`);
        await c.query(
          `INSERT INTO items SELECT g, 'item ' || g || ' ✓', decode(md5(g::text), 'hex'), g * 1.0001, TIMESTAMPTZ '2021-01-01 00:00:00+00' + g * interval '1 second' FROM generate_series(1, ${n}) g`,
        );
        await c.query('ANALYZE items');
      }),
    change: (ops) =>
      withPg(db, async (c) => {
        for (const id of ops.insert ?? []) await c.query(`INSERT INTO items VALUES ($1::int, 'new ' || $1::text, NULL, $1::int * 1.5, now())`, [id]);
        for (const id of ops.update ?? []) await c.query(`UPDATE items SET name = 'changed' WHERE id = $1`, [id]);
        for (const id of ops.remove ?? []) await c.query(`DELETE FROM items WHERE id = $1`, [id]);
      }),
    countSessions: () =>
      withPg(db, async (c) =>
        Number((await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'sluice'`, [db.database])).rows[0].n),
      ),
    fingerprint: () => exec(FINGERPRINT),
    count: async () => Number((await exec('SELECT COUNT(*) FROM items'))[0]![0]),
    exec,
    drop: db.drop,
  };
}

async function myFixture(): Promise<Fixture> {
  const db = await createMariaDatabase('h3_conf');
  const exec = (sql: string) =>
    withMy(db, async (c) => {
      const [rows] = (await c.query({ sql, rowsAsArray: true })) as unknown as [unknown[][]];
      return rows.map((r) => r.map((v) => (v === null ? null : Buffer.isBuffer(v) ? v.toString('hex') : String(v))));
    });
  return {
    conn: mysqlConnection(db),
    stream: { schema: db.database, table: 'items' },
    seed: (n) =>
      withMy(db, async (c) => {
        await c.query(
          `CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, payload VARBINARY(16), amount DECIMAL(20,4), at TIMESTAMP(0) NULL, KEY items_name (name))`,
        );
        const rows = Array.from(
          { length: n },
          (_, i) => `(${i + 1}, 'item ${i + 1} ✓', UNHEX(MD5(${i + 1})), ${i + 1} * 1.0001, TIMESTAMPADD(SECOND, ${i + 1}, '2021-01-01 00:00:00'))`,
        );
        await c.query(`INSERT INTO items VALUES ${rows.join(',')}`);
        await c.query('ANALYZE TABLE items');
      }),
    change: (ops) =>
      withMy(db, async (c) => {
        for (const id of ops.insert ?? []) await c.query(`INSERT INTO items VALUES (?, CONCAT('new ', ?), NULL, ? * 1.5, NOW())`, [id, id, id]);
        for (const id of ops.update ?? []) await c.query(`UPDATE items SET name = 'changed' WHERE id = ?`, [id]);
        for (const id of ops.remove ?? []) await c.query(`DELETE FROM items WHERE id = ?`, [id]);
      }),
    countSessions: () =>
      withMy(db, async (c) => {
        const [r] = (await c.query(`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()`, [
          db.database,
        ])) as unknown as [{ n: string }[]];
        return Number(r[0]!.n);
      }),
    fingerprint: () => exec(FINGERPRINT),
    count: async () => Number((await exec('SELECT COUNT(*) FROM items'))[0]![0]),
    exec,
    drop: db.drop,
  };
}

const sqlCapabilities = {
  source: { snapshot: true, streaming: true, schema: true, sharedSnapshot: true, objects: true },
  target: { transactions: true, bulkLoad: true, upsert: true, schema: true, changes: true },
};
const postgres: ConnectorUnderTest = {
  name: 'postgres',
  make: pgFixture,
  capabilities: {
    source: { ...sqlCapabilities.source, physicalChunks: true, encodedFormats: ['pg-copy-text', 'pg-copy-binary'] },
    target: { ...sqlCapabilities.target, deferredKeys: true, concurrentIndexBuilds: true },
  },
};
const mysql: ConnectorUnderTest = {
  name: 'mysql',
  make: myFixture,
  capabilities: { ...sqlCapabilities, source: { ...sqlCapabilities.source, physicalChunks: false, encodedFormats: [] } },
};

runAcceptance(postgres);
runAcceptance(mysql);

const N = 2500;

for (const [label, make] of [
  ['postgres', pgFixture],
  ['mysql', myFixture],
] as const) {
  describe(`connector specifics: ${label}`, () => {
    let f: Fixture;
    beforeAll(async () => {
      f = await make();
      await f.seed(N);
    });
    afterAll(async () => {
      await f?.drop().catch(() => {});
    });

    it('discovers keys and indexes, and reads exact text and bytes', async () => {
      const src = createSource(f.conn);
      try {
        const t = (await src.discover((_s, x) => x === 'items')).tables[0]!;
        expect(t.primaryKey).toEqual(['id']);
        expect(t.columns.map((c) => c.name)).toEqual(['id', 'name', 'payload', 'amount', 'at']);
        expect(t.indexes.map((i) => i.name)).toContain('items_name');
        const plan = await src.plan([t], { snapshot: true, cdc: false, chunkSize: 100_000 });
        await src.openSnapshot(1);
        for await (const b of src.readTask(plan.tasks[0]!, undefined, { worker: 0, batchRows: 10, batchBytes: 1 << 20 })) {
          const row = b.rows[0]!;
          expect(typeof row[0]).toBe('string');
          expect(Buffer.isBuffer(row[2])).toBe(true);
          expect(row[3]).toBe('1.0001');
          break;
        }
      } finally {
        await src.close();
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
        let acked;
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
        for await (const b of src.readTask(task, acked, { worker: 0, batchRows: 300, batchBytes: 1 << 20, passthrough: 'pg-copy-text' }))
          rest += b.encoded!.rows;
        expect(firstRows + rest).toBe(N);
      } finally {
        await src.close();
      }
    });

    it.skipIf(label !== 'postgres')('passes binary COPY tuples through (PostgreSQL), resumes from its cursor, and a target writes them', async () => {
      const src = createSource(f.conn);
      const fb = await make();
      const tgt = createTarget(fb.conn);
      try {
        const t = (await src.discover((_s, x) => x === 'items')).tables[0]!;
        const m = mapTable(t, src.engine, tgt.engine, tgt.namespace, undefined);
        await tgt.applySchema([{ op: 'createTable', table: m.target, existing: 'fail' }]);
        const plan = await src.plan([t], { snapshot: true, cdc: false, chunkSize: 100_000 });
        await src.openSnapshot(1);
        const task = plan.tasks[0]!;
        const w = {
          schema: m.target.schema,
          table: m.target.name,
          columns: task.columns,
          types: m.columns.map((c) => c.target.type),
          primaryKey: m.target.primaryKey,
        };
        const fence = { jobId: 'bin', stream: task.stream, mayExist: false };
        let firstRows = 0;
        let acked;
        for await (const b of src.readTask(task, undefined, { worker: 0, batchRows: 300, batchBytes: 1 << 20, passthrough: 'pg-copy-binary' })) {
          expect(b.encoded?.format).toBe('pg-copy-binary');
          firstRows += (await tgt.writeEncoded!(w, b.encoded!, fence)).rows;
          acked = b.cursor;
          if (firstRows >= N / 2) break;
        }
        expect(acked?.after).toEqual([String(firstRows)]);
        let rest = 0;
        for await (const b of src.readTask(task, acked, { worker: 0, batchRows: 300, batchBytes: 1 << 20, passthrough: 'pg-copy-binary' }))
          rest += (await tgt.writeEncoded!(w, b.encoded!, { ...fence, mayExist: true })).rows;
        expect(firstRows + rest).toBe(N);
        const q = `SELECT count(*), md5(string_agg(concat_ws('|', id, name, encode(payload, 'hex'), amount, at), ',' ORDER BY id)) FROM items`;
        expect(await fb.exec(q)).toEqual(await f.exec(q));
      } finally {
        await Promise.all([src.close(), tgt.close()]);
        await fb.drop();
      }
    });

    it.skipIf(label !== 'mysql')('multi-row INSERT fallback (no LOAD DATA LOCAL) writes the same rows idempotently', async () => {
      const src = createSource(f.conn);
      const fb = await make();
      const tgt = createTarget(fb.conn, { loadData: false });
      try {
        const t = (await src.discover((_s, x) => x === 'items')).tables[0]!;
        const m = mapTable(t, src.engine, tgt.engine, tgt.namespace, undefined);
        await tgt.applySchema([{ op: 'createTable', table: m.target, existing: 'fail' }]);
        const plan = await src.plan([t], { snapshot: true, cdc: false, chunkSize: 1000 });
        await src.openSnapshot(1);
        const batches: { task: string; rows: (string | Buffer | null)[][] }[] = [];
        for (const task of plan.tasks)
          for await (const b of src.readTask(task, undefined, { worker: 0, batchRows: 100, batchBytes: 1 << 20 }))
            batches.push({ task: task.id, rows: b.rows });
        const w = {
          schema: tgt.namespace,
          table: 'items',
          columns: m.columns.map((c) => c.target.name),
          types: m.columns.map((c) => c.target.type),
          primaryKey: m.target.primaryKey,
        };
        for (let k = 0; k < 2; k++)
          for (const b of batches)
            await tgt.writeBatch(
              w,
              b.rows.map((r) => [...r]),
              { jobId: 'c', stream: b.task, mayExist: k > 0 },
            );
        const q = `SELECT COUNT(*), SUM(id), MD5(GROUP_CONCAT(CONCAT_WS('|', id, name, HEX(payload), amount, at) ORDER BY id)) FROM items`;
        expect(await fb.exec(q)).toEqual(await f.exec(q));
      } finally {
        await Promise.all([src.close(), tgt.close()]);
        await fb.drop();
      }
    });
  });
}
