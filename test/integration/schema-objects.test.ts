/**
 * Every schema object accounted for (issue 15 item 3): a MySQL and a PostgreSQL schema with views
 * (one reading another, one whose SQL does not translate), triggers, routines, generated columns
 * (STORED and VIRTUAL), CHECKs, a domain, enums and sets, a sequence, a materialized view,
 * `ON UPDATE CURRENT_TIMESTAMP`, comments and a FULLTEXT index, copied MySQL -> PG, PG -> MySQL,
 * PG -> PG and MySQL -> MySQL. The dry run lists every object as carried, translated or not
 * carried (with a reason and a fix); after the load what was carried or translated exists on the
 * target and behaves: generated columns compute, the ON UPDATE trigger and the carried triggers
 * fire on updates (and did not fire on the loaded rows), CHECKs and domains refuse bad values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase, type MariaDatabase, type PgDatabase } from '../support/db-fixtures';
import { planJob, runEngineTask } from '../../agent/src/engine';
import type { ObjectPlanEntry } from '../../agent/src/protocol';
import { job, memHooks, mysqlConnection, pgConnection, withMy, withPg } from '../conformance/helpers';
import { runCli } from '../support/agents-helpers';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let my: MariaDatabase;
let pgs: PgDatabase;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  my = await createMariaDatabase('objects_my');
  cleanup.push(my.drop);
  await withMy(my, async (c) => {
    await c.query(`CREATE TABLE items (
      id INT PRIMARY KEY,
      name VARCHAR(50) NOT NULL COMMENT 'display name',
      price DECIMAL(10,2) NOT NULL,
      qty INT NOT NULL,
      total DECIMAL(12,2) AS (price * qty) STORED,
      label VARCHAR(80) AS (concat(name, '#', id)) VIRTUAL,
      status ENUM('new','paid') NOT NULL DEFAULT 'new',
      tags SET('a','b') NULL,
      updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
      body TEXT,
      FULLTEXT KEY ft_body (body),
      UNIQUE KEY uq_total (total, id),
      CONSTRAINT chk_qty CHECK (qty >= 0)
    ) COMMENT 'the items'`);
    await c.query(`CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, item_id INT NOT NULL)`);
    await c.query(`INSERT INTO items (id, name, price, qty, status, tags, updated_at, body) VALUES
      (1, 'one', 2.50, 4, 'paid', 'a,b', '2001-01-01 00:00:00', 'red apple'), (2, 'two', 20.00, 1, 'paid', NULL, '2001-01-01 00:00:00', NULL), (3, 'three', 1.00, 0, 'new', 'b', '2001-01-01 00:00:00', 'pear')`);
    await c.query(`CREATE VIEW v_paid AS SELECT id, name, price FROM items WHERE status = 'paid'`);
    await c.query(`CREATE VIEW v_expensive AS SELECT id, name FROM v_paid WHERE price > 10`);
    await c.query(`CREATE VIEW v_hard AS SELECT id, IF(qty > 0, 'yes', 'no') AS in_stock FROM items`);
    await c.query(`CREATE TRIGGER trg_items_audit AFTER UPDATE ON items FOR EACH ROW INSERT INTO audit (item_id) VALUES (NEW.id)`);
    await c.query(`CREATE PROCEDURE p_restock(IN n INT) UPDATE items SET qty = qty + n`);
    await c.query(`CREATE FUNCTION f_double(x INT) RETURNS INT DETERMINISTIC RETURN x * 2`);
  });
  pgs = await createPgDatabase('objects_pg');
  cleanup.push(pgs.drop);
  await withPg(pgs, async (c) => {
    await c.query(`CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0)`);
    await c.query(`CREATE TYPE mood AS ENUM ('happy', 'sad')`);
    await c.query(`CREATE TYPE unused_enum AS ENUM ('x')`);
    await c.query(`CREATE SEQUENCE invoice_no START 1000`);
    await c.query(`SELECT nextval('invoice_no'), nextval('invoice_no')`);
    await c.query(`CREATE TABLE items (
      id integer PRIMARY KEY,
      name text NOT NULL,
      price numeric(10,2) NOT NULL,
      qty positive_int NOT NULL,
      stock integer NOT NULL,
      doubled integer GENERATED ALWAYS AS (stock * 2) STORED,
      feeling mood,
      updated_at timestamp,
      CONSTRAINT chk_price CHECK (price >= 0)
    )`);
    await c.query(`CREATE UNIQUE INDEX items_doubled_id ON items (doubled, id)`);
    await c.query(`COMMENT ON TABLE items IS 'the items'`);
    await c.query(`COMMENT ON COLUMN items.name IS 'display name'`);
    await c.query(`INSERT INTO items (id, name, price, qty, stock, feeling, updated_at) VALUES
      (1, 'one', 2.5, 4, 3, 'happy', '2001-01-01'), (2, 'two', 20, 1, 5, 'sad', '2001-01-01'), (3, 'three', 1, 2, 0, NULL, '2001-01-01')`);
    await c.query(`CREATE VIEW v_cheap AS SELECT id, name FROM items WHERE price < 10`);
    await c.query(`CREATE VIEW v_cheap_names AS SELECT name FROM v_cheap`);
    await c.query(`CREATE VIEW v_hard AS SELECT id, name::varchar(10) AS short FROM items`);
    await c.query(`CREATE MATERIALIZED VIEW mv_counts AS SELECT count(*) AS n FROM items`);
    await c.query(`CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$`);
    await c.query(`CREATE TRIGGER trg_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch()`);
    await c.query(`CREATE PROCEDURE p_noop() LANGUAGE sql AS $$ SELECT 1 $$`);
  });
}, 60_000);

afterAll(async () => {
  for (const f of cleanup) await f().catch(() => {});
});

type Status = ObjectPlanEntry['status'];
const statuses = (objects: ObjectPlanEntry[]) => Object.fromEntries(objects.map((o) => [o.id, o.status]));

/** Every object is one of the three, and what is not carried says why and what to do. */
function accounted(objects: ObjectPlanEntry[]): void {
  for (const o of objects) {
    if (o.status === 'not_carried') {
      expect(o.reason, o.id).toBeTruthy();
      expect(o.fix, o.id).toBeTruthy();
      expect(o.sourceDdl ?? '', o.id).not.toBe('');
    } else expect(o.ddl.length + (o.when === 'with_tables' ? 1 : 0), o.id).toBeGreaterThan(0);
  }
}

async function load(src: ReturnType<typeof pgConnection> | ReturnType<typeof mysqlConnection>, dst: typeof src, options: Record<string, unknown> = {}) {
  const hooks = memHooks();
  const res = await runEngineTask(
    { jobId: 'objects', runId: 'r', taskId: 't', kind: 'full', job: job({ options }), source: src, target: dst, taskSpec: {} },
    hooks,
  );
  const objects = (res.load as { objects: ObjectPlanEntry[] }).objects;
  expect(objects.filter((o) => o.result === 'failed').map((o) => `${o.id}: ${o.error}`)).toEqual([]);
  // created after the load, each with what happened to it
  expect(objects.filter((o) => o.when === 'after_load' && !o.result).map((o) => o.id)).toEqual([]);
  expect(hooks.logs.some((l) => l.message.startsWith('objects: schema objects:'))).toBe(true);
  return objects;
}

const MY_SAME: Record<string, Status> = {
  'table:items': 'carried',
  'table:audit': 'carried',
  'view:v_paid': 'carried',
  'view:v_expensive': 'carried',
  'view:v_hard': 'carried',
  'trigger:trg_items_audit': 'carried',
  'procedure:p_restock': 'carried',
  'function:f_double': 'carried',
  'check:items.chk_qty': 'carried',
  'generated_column:items.total': 'carried',
  'generated_column:items.label': 'carried',
  'on_update:items.updated_at': 'carried',
  'enum:items.status': 'carried',
  'set:items.tags': 'carried',
  'comment:items': 'carried',
  'comment:items.name': 'carried',
  'fulltext_index:items.ft_body': 'carried',
};

describe('schema objects', () => {
  it('MySQL -> PG: views, generated columns, CHECKs, ON UPDATE translated; routines, triggers, FULLTEXT listed as not carried', async () => {
    const dst = await createPgDatabase('objects_m2p');
    cleanup.push(dst.drop);
    const plan = await planJob(job(), mysqlConnection(my), pgConnection(dst));
    accounted(plan.objects);
    expect(statuses(plan.objects)).toEqual({
      ...MY_SAME,
      'table:items': 'translated',
      'table:audit': 'translated',
      'view:v_paid': 'translated',
      'view:v_expensive': 'translated',
      'view:v_hard': 'not_carried',
      'trigger:trg_items_audit': 'not_carried',
      'procedure:p_restock': 'not_carried',
      'function:f_double': 'not_carried',
      'check:items.chk_qty': 'translated',
      'generated_column:items.total': 'translated',
      'generated_column:items.label': 'translated',
      'on_update:items.updated_at': 'translated',
      'enum:items.status': 'translated',
      'set:items.tags': 'translated',
      'comment:items': 'translated',
      'comment:items.name': 'translated',
      'fulltext_index:items.ft_body': 'not_carried',
    });
    const byId = new Map(plan.objects.map((o) => [o.id, o]));
    expect(byId.get('view:v_hard')!.reason).toMatch(/function IF\(\)/i);
    expect(byId.get('view:v_hard')!.sourceDdl).toMatch(/if\(/i);
    expect(byId.get('generated_column:items.label')!.note).toMatch(/VIRTUAL becomes STORED/);
    expect(byId.get('on_update:items.updated_at')!.ddl.join('\n')).toMatch(/BEFORE UPDATE ON "items"/);
    expect(plan.warnings.join('\n')).toMatch(/schema objects are not carried/);

    // the CLI's plan output lists them too
    const dir = mkdtempSync(path.join(tmpdir(), 'sluice-objects-'));
    const spec = path.join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ mode: 'full', tables: { include: ['*'] }, options: { verifyAfterLoad: false } }));
    const cli = await runCli([
      'run',
      '--spec',
      spec,
      '--source',
      `mysql://${my.user}@${my.host}:${my.port}/${my.database}`,
      '--target',
      `postgres://${dst.user}@${dst.host}:${dst.port}/${dst.database}?schema=public`,
      '--state-file',
      path.join(dir, 'state.json'),
      '--dry-run',
    ]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/schema objects: \d+ carried, \d+ translated, 5 not carried/);
    expect(cli.stdout).toContain('not carried: view v_hard: its SQL does not translate');
    expect(cli.stdout).toContain('translated: on update items.updated_at (after the load)');

    const done = await load(mysqlConnection(my), pgConnection(dst));
    expect(statuses(done)).toEqual(statuses(plan.objects));
    await withPg(dst, async (c) => {
      expect((await c.query(`SELECT id, total::text, label FROM items ORDER BY id`)).rows).toEqual([
        { id: 1, total: '10.00', label: 'one#1' },
        { id: 2, total: '20.00', label: 'two#2' },
        { id: 3, total: '0.00', label: 'three#3' },
      ]);
      expect((await c.query(`SELECT id FROM v_expensive`)).rows).toEqual([{ id: 2 }]);
      // the ON UPDATE trigger did not touch the loaded rows, and does on an update
      expect((await c.query(`SELECT count(*)::int AS n FROM items WHERE updated_at < '2002-01-01'`)).rows[0].n).toBe(3);
      await c.query(`UPDATE items SET qty = 7 WHERE id = 1`);
      const r = (await c.query(`SELECT total::text, updated_at > now() - interval '1 day' AS fresh FROM items WHERE id = 1`)).rows[0];
      expect(r).toEqual({ total: '17.50', fresh: true });
      await expect(c.query(`UPDATE items SET qty = -1 WHERE id = 2`)).rejects.toThrow(/chk_qty/);
      expect((await c.query(`SELECT col_description('items'::regclass, 2) AS d`)).rows[0].d).toBe('display name');
      // the unique index on the generated column was built (generated columns come before the indexes)
      expect((await c.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'items' AND indexdef LIKE '%(total, id)%'`)).rows).toHaveLength(1);
    });
  });

  it('PG -> MySQL: domain as its base type plus the CHECK, views translated; sequences, routines, triggers, materialized views listed', async () => {
    const dst = await createMariaDatabase('objects_p2m');
    cleanup.push(dst.drop);
    const plan = await planJob(job(), pgConnection(pgs), mysqlConnection(dst));
    accounted(plan.objects);
    expect(statuses(plan.objects)).toEqual({
      'table:items': 'translated',
      'comment:items': 'translated',
      'comment:items.name': 'translated',
      'view:v_cheap': 'translated',
      'view:v_cheap_names': 'translated',
      'view:v_hard': 'not_carried',
      'materialized_view:mv_counts': 'not_carried',
      'function:touch()': 'not_carried',
      'procedure:p_noop()': 'not_carried',
      'trigger:trg_touch': 'not_carried',
      'check:items.chk_price': 'translated',
      'sequence:invoice_no': 'not_carried',
      'enum:mood': 'translated',
      'enum:unused_enum': 'not_carried',
      'domain:positive_int': 'translated',
      'generated_column:items.doubled': 'translated',
    });
    const done = await load(pgConnection(pgs), mysqlConnection(dst));
    expect(statuses(done)).toEqual(statuses(plan.objects));
    await withMy(dst, async (c) => {
      const [rows] = await c.query(`SELECT id, doubled FROM items ORDER BY id`);
      expect(rows).toEqual([
        { id: 1, doubled: 6 },
        { id: 2, doubled: 10 },
        { id: 3, doubled: 0 },
      ]);
      const [names] = await c.query(`SELECT name FROM v_cheap_names ORDER BY name`);
      expect(names).toEqual([{ name: 'one' }, { name: 'three' }]);
      await expect(c.query(`UPDATE items SET qty = 0 WHERE id = 1`)).rejects.toThrow(/positive_int|CONSTRAINT/i);
      await expect(c.query(`UPDATE items SET price = -1 WHERE id = 1`)).rejects.toThrow(/chk_price/);
      const [idx] = await c.query(
        `SELECT DISTINCT INDEX_NAME AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME = 'doubled'`,
      );
      expect(idx).toEqual([{ n: 'items_doubled_id' }]);
    });
  });

  it('PG -> PG: every object carried, after the load; triggers did not fire on loaded rows', async () => {
    const dst = await createPgDatabase('objects_p2p');
    cleanup.push(dst.drop);
    const plan = await planJob(job(), pgConnection(pgs), pgConnection(dst));
    accounted(plan.objects);
    expect(plan.objects.filter((o) => o.status !== 'carried').map((o) => o.id)).toEqual([]);
    await load(pgConnection(pgs), pgConnection(dst));
    await withPg(dst, async (c) => {
      expect((await c.query(`SELECT count(*)::int AS n FROM items WHERE updated_at = '2001-01-01'`)).rows[0].n).toBe(3);
      await c.query(`UPDATE items SET stock = 9 WHERE id = 3`);
      const r = (await c.query(`SELECT doubled, updated_at > now() - interval '1 day' AS fresh FROM items WHERE id = 3`)).rows[0];
      expect(r).toEqual({ doubled: 18, fresh: true });
      await expect(c.query(`UPDATE items SET qty = 0 WHERE id = 1`)).rejects.toThrow(/positive_int/);
      expect((await c.query(`SELECT n::int FROM mv_counts`)).rows).toEqual([{ n: 3 }]);
      expect((await c.query(`SELECT last_value::int FROM invoice_no`)).rows).toEqual([{ last_value: 1001 }]);
      expect((await c.query(`SELECT name FROM v_cheap_names ORDER BY name`)).rows).toEqual([{ name: 'one' }, { name: 'three' }]);
      await c.query(`CALL p_noop()`);
      // the trigger fired on that update only, and a rerun into the existing tables finds every object already there
      const again = await load(pgConnection(pgs), pgConnection(dst), { existingTable: 'upsert' });
      expect(again.filter((o) => o.when === 'after_load').every((o) => o.result === 'exists' || o.result === 'created')).toBe(true);
      expect(again.filter((o) => o.result === 'exists').length).toBeGreaterThan(5);
      expect(
        (await c.query(`SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'qty'`)).rows[0].t,
      ).toBe('positive_int');
    });
  });

  it('MySQL -> MySQL: every object carried; the audit trigger fires on updates, not on the load', async () => {
    const dst = await createMariaDatabase('objects_m2m');
    cleanup.push(dst.drop);
    const plan = await planJob(job(), mysqlConnection(my), mysqlConnection(dst));
    accounted(plan.objects);
    expect(statuses(plan.objects)).toEqual(MY_SAME);
    await load(mysqlConnection(my), mysqlConnection(dst));
    await withMy(dst, async (c) => {
      const [[a]] = (await c.query(`SELECT count(*) AS n FROM audit`)) as unknown as [{ n: number }[]];
      expect(Number(a!.n)).toBe(0);
      await c.query(`UPDATE items SET qty = 2 WHERE id = 3`);
      const [[r]] = (await c.query(
        `SELECT total, label, updated_at > NOW() - INTERVAL 1 DAY AS fresh, f_double(qty) AS d FROM items WHERE id = 3`,
      )) as unknown as [Record<string, unknown>[]];
      expect(r).toEqual({ total: '2.00', label: 'three#3', fresh: 1, d: 4 });
      const [[b]] = (await c.query(`SELECT count(*) AS n FROM audit`)) as unknown as [{ n: number }[]];
      expect(Number(b!.n)).toBe(1);
      const [v] = await c.query(`SELECT id FROM v_expensive`);
      expect(v).toEqual([{ id: 2 }]);
      await expect(c.query(`UPDATE items SET qty = -1 WHERE id = 2`)).rejects.toThrow(/chk_qty/);
      const again = await load(mysqlConnection(my), mysqlConnection(dst), { existingTable: 'upsert' });
      expect(again.filter((o) => o.result === 'exists').length).toBeGreaterThan(5);
    });
  });
});
