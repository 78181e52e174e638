/**
 * Bad input gets a clear, classed error naming what is wrong (table, column,
 * host, user) and how to fix it; nothing is half-written without a checkpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase, type MariaDatabase, type PgDatabase } from '../support/db-fixtures';
import { runEngineTask, testConnection } from '../../agent/src/engine';
import type { Connection } from '../../agent/src/protocol';
import { job, memHooks, mysqlConnection, pgConnection, withMy, withPg } from '../conformance/helpers';
import { services, uniqueName } from '../support/services';
import pg from 'pg';
import mysql from 'mysql2/promise';

let pgSrc: PgDatabase;
let mySrc: MariaDatabase;
const cleanup: (() => Promise<void>)[] = [];
const pgRole = uniqueName('h3_ro');
const myUser = uniqueName('h3_u');

async function pgAdmin(sql: string) {
  const c = new pg.Client({ host: services.pg.host, port: services.pg.port, user: 'postgres', database: 'postgres' });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
async function myAdmin(sql: string) {
  const c = await mysql.createConnection({ host: services.mariadb.host, port: services.mariadb.port, user: 'root' });
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  pgSrc = await createPgDatabase('h3_bad');
  mySrc = await createMariaDatabase('h3_bad');
  cleanup.push(pgSrc.drop, mySrc.drop);
  await withPg(pgSrc, async (c) => {
    await c.query(`CREATE TABLE items (id int PRIMARY KEY, name text, amount numeric(10,2), d date)`);
    await c.query(`INSERT INTO items SELECT g, 'n' || g, g, DATE '2020-01-01' + g FROM generate_series(1, 500) g`);
    await c.query(`CREATE TABLE secret (id int PRIMARY KEY)`);
  });
  await pgAdmin(`CREATE ROLE ${pgRole} LOGIN`);
  await withPg(pgSrc, (c) => c.query(`GRANT SELECT ON items TO ${pgRole}`));
  await withMy(mySrc, (c) => c.query(`CREATE TABLE items (id INT PRIMARY KEY, name TEXT)`));
  await myAdmin(`CREATE USER '${myUser}'@'%' IDENTIFIED BY 'right-password'`);
  await myAdmin(`GRANT SELECT ON \`${mySrc.database}\`.* TO '${myUser}'@'%'`);
});

afterAll(async () => {
  for (const f of cleanup) await f().catch(() => {});
  await pgAdmin(`DROP ROLE IF EXISTS ${pgRole}`).catch(() => {});
  await myAdmin(`DROP USER IF EXISTS '${myUser}'@'%'`).catch(() => {});
});

function input(source: Connection, target: Connection, j = job()) {
  return { jobId: 'bad', runId: 'r', taskId: 't', kind: 'full', job: j, source, target, taskSpec: {} };
}

describe('engine bad input', () => {
  it('unreachable database: transient, retryable, names host and port, says what to check', async () => {
    const dead: Connection = { kind: 'postgres', config: { host: '127.0.0.1', port: 1, user: 'postgres', database: 'x', schema: 'public', ssl: false } };
    const t = await testConnection(dead);
    expect(t.ok).toBe(false);
    expect(t.checks[0]).toMatchObject({ name: 'reachable', ok: false });
    expect(t.checks[0]!.message).toContain('127.0.0.1:1');
    expect(t.checks[0]!.fix).toMatch(/host, port/);
    const hooks = memHooks();
    await expect(runEngineTask(input(dead, pgConnection(pgSrc)), hooks)).rejects.toMatchObject({ code: 'UNREACHABLE', class: 'transient', retryable: true });
    const deadMy: Connection = { kind: 'mysql', config: { host: '127.0.0.1', port: 1, user: 'root', database: 'x', ssl: false } };
    const t2 = await testConnection(deadMy);
    expect(t2.checks[0]).toMatchObject({ name: 'reachable', ok: false });
    expect(Object.keys(hooks.checkpoints)).toEqual([]);
  });

  it('wrong password (MySQL) and unknown role (PostgreSQL): config error naming the user', async () => {
    const wrong: Connection = { ...mysqlConnection(mySrc), config: { ...mysqlConnection(mySrc).config, user: myUser }, secret: 'wrong-password' };
    const t = await testConnection(wrong);
    expect(t.ok).toBe(false);
    const cred = t.checks.find((c) => c.name === 'credentials')!;
    expect(cred.ok).toBe(false);
    expect(cred.message).toContain(myUser);
    expect(cred.fix).toMatch(/password/);
    await expect(runEngineTask(input(wrong, pgConnection(pgSrc)), memHooks())).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      class: 'config',
      retryable: false,
    });
    // the right password works
    const right = { ...wrong, secret: 'right-password' };
    expect((await testConnection(right)).ok).toBe(true);

    const ghost: Connection = { ...pgConnection(pgSrc), config: { ...pgConnection(pgSrc).config, user: 'h3_no_such_role' } };
    const t2 = await testConnection(ghost);
    expect(t2.checks.find((c) => c.name === 'credentials')).toMatchObject({ ok: false });
    expect(t2.checks.find((c) => c.name === 'credentials')!.message).toContain('h3_no_such_role');
  });

  it('missing privileges: the check names the table and gives the GRANT', async () => {
    const ro: Connection = { ...pgConnection(pgSrc), config: { ...pgConnection(pgSrc).config, user: pgRole } };
    const t = await testConnection(ro, 'source');
    const sel = t.checks.find((c) => c.name === 'select privilege')!;
    expect(sel.ok).toBe(false);
    expect(sel.message).toContain('secret');
    expect(sel.fix).toContain('GRANT SELECT');
    await expect(runEngineTask(input(ro, mysqlConnection(mySrc)), memHooks())).rejects.toMatchObject({ code: 'CHECK_FAILED', class: 'config' });
    // as a target, a read-only MySQL user lacks write privileges
    const myRo: Connection = { ...mysqlConnection(mySrc), config: { ...mysqlConnection(mySrc).config, user: myUser }, secret: 'right-password' };
    const t2 = await testConnection(myRo, 'target');
    const w = t2.checks.find((c) => c.name === 'write privileges')!;
    expect(w.ok).toBe(false);
    expect(w.message).toMatch(/CREATE/);
    expect(w.fix).toMatch(/^GRANT /);
  });

  it('a table that does not exist is named', async () => {
    const dst = await createPgDatabase('h3_bad');
    cleanup.push(dst.drop);
    const err = await runEngineTask(
      input(pgConnection(pgSrc), pgConnection(dst), job({ tables: { include: ['items', 'no_such_table'], exclude: [] } })),
      memHooks(),
    ).catch((e) => e);
    expect(err).toMatchObject({ code: 'TABLE_MISSING', table: 'no_such_table', class: 'config' });
    expect(err.message).toContain('no_such_table');
    const err2 = await runEngineTask(
      input(pgConnection(pgSrc), pgConnection(dst), job({ mapping: { items: { excludeColumns: ['nope'] } } })),
      memHooks(),
    ).catch((e) => e);
    expect(err2).toMatchObject({ code: 'COLUMN_MISSING', table: 'items', column: 'nope' });
  });

  it('an incompatible existing target table is named with its column, and nothing is written', async () => {
    // MySQL target already has items(id, name) but no amount / d columns; items.name is TEXT (compatible)
    const hooks = memHooks();
    const err = await runEngineTask(
      input(pgConnection(pgSrc), mysqlConnection(mySrc), job({ tables: { include: ['items'], exclude: [] }, options: { existingTable: 'upsert' } })),
      hooks,
    ).catch((e) => e);
    expect(err).toMatchObject({ code: 'INCOMPATIBLE_TARGET', table: 'items', column: 'amount', class: 'config', retryable: false });
    expect(err.fix).toBeTruthy();
    expect(Object.keys(hooks.checkpoints).filter((k) => k.startsWith('chunk:'))).toEqual([]);
    const [rows] = (await withMy(mySrc, (c) => c.query('SELECT COUNT(*) AS n FROM items'))) as unknown as [{ n: string }[]];
    expect(Number(rows[0]!.n)).toBe(0);

    // existingTable "fail" refuses any existing table
    const err2 = await runEngineTask(
      input(pgConnection(pgSrc), mysqlConnection(mySrc), job({ tables: { include: ['items'], exclude: [] } })),
      memHooks(),
    ).catch((e) => e);
    expect(err2).toMatchObject({ code: 'TARGET_EXISTS', table: 'items' });

    // a type clash on PostgreSQL names the column
    const dst = await createPgDatabase('h3_bad');
    cleanup.push(dst.drop);
    await withPg(dst, (c) => c.query('CREATE TABLE items (id int PRIMARY KEY, name int, amount numeric(10,2), d date)'));
    const err3 = await runEngineTask(
      input(pgConnection(pgSrc), pgConnection(dst), job({ tables: { include: ['items'], exclude: [] }, options: { existingTable: 'truncate' } })),
      memHooks(),
    ).catch((e) => e);
    expect(err3).toMatchObject({ code: 'INCOMPATIBLE_TARGET', table: 'items', column: 'name' });
    expect(err3.message).toMatch(/integer.*text|text/);
  });

  it('a value the target cannot hold fails (outOfRange: fail) with the column named; finished chunks stay checkpointed', async () => {
    await withPg(pgSrc, (c) =>
      c.query(
        `CREATE TABLE dates (id int PRIMARY KEY, d date); INSERT INTO dates SELECT g, DATE '2020-01-01' + g FROM generate_series(1, 3000) g; UPDATE dates SET d = 'infinity' WHERE id = 2900; ANALYZE dates`,
      ),
    );
    const dst = await createMariaDatabase('h3_bad');
    cleanup.push(dst.drop);
    const hooks = memHooks();
    const err = await runEngineTask(
      input(
        pgConnection(pgSrc),
        mysqlConnection(dst),
        job({ tables: { include: ['dates'], exclude: [] }, options: { chunkSize: 1000, parallelism: 1, outOfRange: 'fail' } }),
      ),
      hooks,
    ).catch((e) => e);
    expect(err).toMatchObject({ class: 'config', retryable: false, table: 'dates', column: 'd', code: 'VALUE_OUT_OF_RANGE' });
    expect(err.message).toMatch(/dates\.d: infinity is after 9999-12-31, which the target cannot store \(policy fail\)/);
    expect(err.fix).toMatch(/left partly copied/);
    const done = Object.entries(hooks.checkpoints).filter(([k, v]) => k.startsWith('chunk:') && (v as { done?: boolean }).done);
    expect(done.length).toBeGreaterThanOrEqual(2);
  });
});
