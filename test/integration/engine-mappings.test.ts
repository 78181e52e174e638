/** Mappings (include/exclude patterns, renames, excluded columns, row filters), existing-table options, dry run, post-load schema. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase, type MariaDatabase } from '../support/db-fixtures';
import { planJob, runEngineTask } from '../../agent/src/engine';
import { job, memHooks, mysqlConnection, pgConnection, withMy, withPg } from '../conformance/helpers';

let src: MariaDatabase;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  src = await createMariaDatabase('h3_map');
  cleanup.push(src.drop);
  await withMy(src, async (c) => {
    await c.query(
      `CREATE TABLE customers (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(120) NOT NULL, secret VARCHAR(50), country CHAR(2), UNIQUE KEY uq_email (email), KEY idx_country (country))`,
    );
    await c.query(`CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(12,2), status ENUM('new','paid','void') DEFAULT 'new', created DATETIME DEFAULT CURRENT_TIMESTAMP,
       KEY idx_cust (customer_id), CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id))`);
    await c.query(`CREATE TABLE tmp_scratch (id INT PRIMARY KEY)`);
    await c.query(`CREATE TABLE audit_log (id INT PRIMARY KEY, msg TEXT)`);
    const cust = Array.from({ length: 300 }, (_, i) => `(${i + 1}, 'u${i + 1}@example.com', 'pw${i}', '${i % 2 ? 'DE' : 'FR'}')`);
    await c.query(`INSERT INTO customers VALUES ${cust.join(',')}`);
    const ord = Array.from({ length: 2000 }, (_, i) => `(${i + 1}, ${(i % 300) + 1}, ${i}.25, '${['new', 'paid', 'void'][i % 3]}', '2024-01-01 00:00:00')`);
    await c.query(`INSERT INTO orders VALUES ${ord.join(',')}`);
    await c.query(`INSERT INTO tmp_scratch VALUES (1)`);
    await c.query(`INSERT INTO audit_log VALUES (1, 'x')`);
    await c.query('ANALYZE TABLE customers, orders');
  });
});

afterAll(async () => {
  for (const f of cleanup) await f().catch(() => {});
});

const spec = () =>
  job({
    tables: { include: ['customers', 'ord*', 'tmp_*'], exclude: ['tmp_*'] },
    mapping: {
      customers: { rename: 'clients', columns: { email: 'mail' }, excludeColumns: ['secret'], where: "country = 'DE'" },
      orders: { columns: { customer_id: 'client_id' }, chunkSize: 250, parallelism: 2 },
    },
    options: { chunkSize: 1000, parallelism: 3 },
  });

describe('engine mappings', () => {
  it('dry run: tables, rows, bytes, chunks, estimate and lossy warnings; nothing is created', async () => {
    const dst = await createPgDatabase('h3_map');
    cleanup.push(dst.drop);
    const plan = await planJob(spec(), mysqlConnection(src), pgConnection(dst));
    expect(plan.dryRun).toBe(true);
    expect(plan.tables.map((t) => [t.table, t.target]).sort()).toEqual([
      ['customers', 'public.clients'],
      ['orders', 'public.orders'],
    ]);
    const orders = plan.tables.find((t) => t.table === 'orders')!;
    expect(orders.rows).toBeGreaterThan(1000);
    expect(orders.chunks).toBeGreaterThanOrEqual(4);
    expect(orders.bytes).toBeGreaterThan(0);
    expect(plan.measuredRowsPerSec).toBeGreaterThan(0);
    expect(plan.estimatedSeconds).toBeGreaterThanOrEqual(0);
    expect(plan.warnings.join('\n')).toMatch(/orders\.created datetime -> timestamp/);
    const n = await withPg(dst, async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0].n);
    expect(n).toBe(0);
  });

  it('MySQL -> PostgreSQL with renames, excluded column, row filter, indexes, FKs and identities', async () => {
    const dst = await createPgDatabase('h3_map');
    cleanup.push(dst.drop);
    const hooks = memHooks();
    await runEngineTask(
      { jobId: 'm', runId: 'r', taskId: 't', kind: 'full', job: spec(), source: mysqlConnection(src), target: pgConnection(dst), taskSpec: {} },
      hooks,
    );
    await withPg(dst, async (c) => {
      const tables = (await c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.tablename);
      // orders.status is a MySQL ENUM, which can hold the invalid '' that PG's enum can't: its outOfRange policy
      // (dead-letter by default) makes the run create _sluice_rejects before any row is written, empty here.
      expect(tables).toEqual(['_sluice_rejects', 'clients', 'orders']);
      expect((await c.query(`SELECT count(*)::int AS n FROM _sluice_rejects`)).rows[0].n).toBe(0);
      const cols = (await c.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'clients' ORDER BY ordinal_position`)).rows.map(
        (r) => r.column_name,
      );
      expect(cols).toEqual(['id', 'mail', 'country']);
      const cnt = (await c.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE country <> 'DE')::int AS other FROM clients`)).rows[0];
      expect(cnt).toEqual({ n: 150, other: 0 });
      expect((await c.query(`SELECT count(*)::int AS n, sum(total)::text AS s FROM orders`)).rows[0]).toEqual({
        n: 2000,
        s: String(2000 * 0.25 + (1999 * 2000) / 2) + '.00',
      });
      const idx = (await c.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.indexname);
      expect(idx).toEqual(expect.arrayContaining(['clients_pkey', 'clients_uq_email', 'clients_idx_country', 'orders_pkey', 'orders_idx_cust']));
      // the unique index is on the renamed column
      expect((await c.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'clients_uq_email'`)).rows[0].indexdef).toMatch(/UNIQUE INDEX .*\(mail\)/);
      // orders reference 300 customers but only the DE half were copied: the FK cannot be created and is reported
      expect(hooks.logs.some((l) => l.level === 'warn' && /foreign key .*orders/.test(l.message))).toBe(true);
      // identities continue past the max
      const id = (await c.query(`INSERT INTO orders (client_id, total) VALUES (1, 1) RETURNING id::int`)).rows[0].id;
      expect(id).toBe(2001);
      expect((await c.query(`SELECT status::text FROM orders WHERE id = 2001`)).rows[0].status).toBe('new');
    });
    // per-table chunk size for orders
    expect(Object.keys(hooks.checkpoints).filter((k) => k.startsWith('chunk:') && k.includes('.orders:')).length).toBeGreaterThanOrEqual(8);
  });

  it('existing target: truncate replaces, upsert merges by key, fail refuses', async () => {
    const dst = await createMariaDatabase('h3_map');
    cleanup.push(dst.drop);
    const only = (existingTable: 'fail' | 'truncate' | 'upsert') =>
      job({ tables: { include: ['orders', 'customers'], exclude: [] }, options: { existingTable, createForeignKeys: true } });
    await runEngineTask(
      { jobId: 'e', runId: 'r', taskId: 't', kind: 'full', job: only('fail'), source: mysqlConnection(src), target: mysqlConnection(dst), taskSpec: {} },
      memHooks(),
    );
    await withMy(dst, async (c) => {
      const [fk] = (await c.query(
        `SELECT CONSTRAINT_NAME AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`,
      )) as unknown as [{ n: string }[]];
      expect(fk.map((r) => r.n)).toEqual(['fk_orders_customer']);
      await c.query(`UPDATE orders SET total = -1 WHERE id <= 10`);
      await c.query(`INSERT INTO orders VALUES (99999, 1, 5, 'new', NULL)`);
    });
    await expect(
      runEngineTask(
        { jobId: 'e', runId: 'r', taskId: 't', kind: 'full', job: only('fail'), source: mysqlConnection(src), target: mysqlConnection(dst), taskSpec: {} },
        memHooks(),
      ),
    ).rejects.toMatchObject({ code: 'TARGET_EXISTS' });
    await runEngineTask(
      { jobId: 'e', runId: 'r', taskId: 't', kind: 'full', job: only('upsert'), source: mysqlConnection(src), target: mysqlConnection(dst), taskSpec: {} },
      memHooks(),
    );
    await withMy(dst, async (c) => {
      const [r] = (await c.query(`SELECT COUNT(*) AS n, SUM(total < 0) AS neg, SUM(id = 99999) AS extra FROM orders`)) as unknown as [
        { n: string; neg: string; extra: string }[],
      ];
      expect(r[0]).toEqual({ n: '2001', neg: '0', extra: '1' });
    });
    await runEngineTask(
      { jobId: 'e', runId: 'r', taskId: 't', kind: 'full', job: only('truncate'), source: mysqlConnection(src), target: mysqlConnection(dst), taskSpec: {} },
      memHooks(),
    );
    await withMy(dst, async (c) => {
      const [r] = (await c.query(`SELECT COUNT(*) AS n FROM orders`)) as unknown as [{ n: string }[]];
      expect(r[0]!.n).toBe('2000');
    });
  });

  it('a PostgreSQL table too wide for a MySQL row loads with its widest VARCHARs as TEXT', async () => {
    const pgSrc = await createPgDatabase('h3_map');
    const dst = await createMariaDatabase('h3_map');
    cleanup.push(pgSrc.drop, dst.drop);
    const cols = Array.from({ length: 80 }, (_, i) => `v${i} varchar(255)`);
    await withPg(pgSrc, async (c) => {
      await c.query(`CREATE TABLE wide (id int PRIMARY KEY, ${cols.join(', ')})`);
      await c.query(`INSERT INTO wide SELECT g, ${cols.map((_, i) => `repeat('é', ${i % 7 === 0 ? 255 : 3})`).join(', ')} FROM generate_series(1, 50) g`);
    });
    const hooks = memHooks();
    await runEngineTask(
      { jobId: 'w', runId: 'r', taskId: 't', kind: 'full', job: job(), source: pgConnection(pgSrc), target: mysqlConnection(dst), taskSpec: {} },
      hooks,
    );
    expect(hooks.logs.some((l) => /row size/.test(l.message))).toBe(true);
    await withMy(dst, async (c) => {
      const [r] = (await c.query(`SELECT COUNT(*) AS n, SUM(CHAR_LENGTH(v0)) AS l FROM wide`)) as unknown as [{ n: string; l: string }[]];
      expect(r[0]).toEqual({ n: '50', l: String(50 * 255) });
    });
  });
});
