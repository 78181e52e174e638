/**
 * Bad configuration fails the CDC preflight, and each failure shows its fix:
 * the binlog off, binlog_format=STATEMENT (a throwaway MariaDB on 33406),
 * wal_level=replica (a throwaway PostgreSQL on 55632), a table without a key
 * or replica identity; the correctly configured test services pass.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PreflightCheck } from '../../agent/src/cdc/preflight';
import { preflightCdc } from '../../agent/src/cdc/preflight-for-job';
import { createDb, exec, type Db } from '../support/cdc-support';

const script = path.join(__dirname, 'cdc-preflight-instances.sh');
const run = (...args: string[]) => execFileSync('bash', [script, ...args], { stdio: 'pipe', timeout: 120_000 });
const byName = (checks: PreflightCheck[], name: string) => {
  const c = checks.find((x) => x.name === name);
  if (!c) throw new Error(`no check named ${name}: ${checks.map((x) => x.name).join(', ')}`);
  return c;
};

const dbs: Db[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
  run('mariadb', 'down');
  run('pg-replica', 'down');
});

describe('CDC preflight: PostgreSQL', () => {
  it('passes on the logical test instance, and flags a table without a key or replica identity', async () => {
    const db = await createDb('postgres', 'pre');
    dbs.push(db);
    const x = await exec(db);
    await x.query('CREATE TABLE keyed (id int PRIMARY KEY, v text)');
    let checks = await preflightCdc(db.conn);
    for (const name of ['wal_level', 'replication_slots', 'wal_senders', 'replication_privilege', 'replica_identity', 'wal_retention']) {
      expect(byName(checks, name).ok, `${name}: ${byName(checks, name).message}`).toBe(true);
    }
    await x.query('CREATE TABLE loose (v text)');
    await x.close();
    checks = await preflightCdc(db.conn);
    const ri = byName(checks, 'replica_identity');
    expect(ri.ok).toBe(false);
    expect(ri.message).toContain('public.loose');
    expect(ri.fixSql).toContain('REPLICA IDENTITY FULL');
    expect(byName(checks, 'primary_keys').severity).toBe('warning');
  });

  it('fails wal_level=replica and shows the fix', async () => {
    run('pg-replica', 'up');
    const checks = await preflightCdc({
      kind: 'postgres',
      config: { host: '127.0.0.1', port: 55632, user: 'postgres', database: 'postgres', schema: 'public', ssl: false },
    });
    const wal = byName(checks, 'wal_level');
    expect(wal.ok).toBe(false);
    expect(wal.message).toContain("'replica'");
    expect(wal.fixSql).toMatch(/ALTER SYSTEM SET wal_level = 'logical'.*restart/);
  });
});

describe('CDC preflight: MariaDB', () => {
  it('passes on the ROW-binlog test instance', async () => {
    const db = await createDb('mysql', 'pre');
    dbs.push(db);
    const checks = await preflightCdc(db.conn);
    for (const name of ['binlog_enabled', 'binlog_format', 'binlog_row_image', 'server_id', 'gtid_mode', 'replication_privileges', 'binlog_retention']) {
      expect(byName(checks, name).ok, `${name}: ${byName(checks, name).message}`).toBe(true);
    }
  });

  const conn = {
    kind: 'mysql' as const,
    config: { host: '127.0.0.1', port: 33406, user: 'root', database: 'h6_pre', ssl: false },
  };

  it('fails with the binlog off and shows the my.cnf fix', async () => {
    run('mariadb', 'up', 'nobinlog');
    const checks = await preflightCdc(conn);
    const bin = byName(checks, 'binlog_enabled');
    expect(bin.ok).toBe(false);
    expect(bin.message).toContain('off');
    expect(bin.fixSql).toContain('log_bin');
    expect(bin.fixSql).toContain('binlog_format = ROW');
  });

  it('fails binlog_format=STATEMENT and shows the fix', async () => {
    run('mariadb', 'up', 'statement');
    const checks = await preflightCdc(conn);
    expect(byName(checks, 'binlog_enabled').ok).toBe(true);
    const fmt = byName(checks, 'binlog_format');
    expect(fmt.ok).toBe(false);
    expect(fmt.message).toContain('STATEMENT');
    expect(fmt.fixSql).toContain("SET GLOBAL binlog_format = 'ROW'");
  });
});

describe('CDC refuses to start on a failed preflight', () => {
  it('mode cdc and full_cdc (before any snapshot work) fail with the fix', async () => {
    const { runCdc } = await import('../../agent/src/cdc');
    const { runEngineTask } = await import('../../agent/src/engine');
    const { recordingHooks, taskInput } = await import('../support/cdc-support');
    run('mariadb', 'up', 'statement');
    const src: Db = {
      kind: 'mysql',
      name: 'h6_pre',
      conn: { kind: 'mysql', config: { host: '127.0.0.1', port: 33406, user: 'root', database: 'h6_pre', ssl: false } },
      drop: async () => undefined,
    };
    const tgt = await createDb('postgres', 'pretgt');
    dbs.push(tgt);
    execFileSync('mariadb', ['-h127.0.0.1', '-P33406', '-uroot', 'h6_pre', '-e', 'CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY)']);
    const h1 = recordingHooks();
    await expect(runCdc(taskInput('h6_pre_cdc', src, tgt, { mode: 'cdc' }, {}), h1)).rejects.toMatchObject({
      class: 'config',
      code: 'CDC_PREFLIGHT',
      message: expect.stringContaining('binlog_format'),
      fix: expect.stringContaining("SET GLOBAL binlog_format = 'ROW'"),
    });
    expect(h1.events.find((e) => e.type === 'cdc.preflight')?.data?.checks).toBeDefined();
    const h2 = recordingHooks();
    await expect(runEngineTask({ ...taskInput('h6_pre_full', src, tgt, { mode: 'full_cdc' }, {}), kind: 'full_cdc' }, h2)).rejects.toMatchObject({
      code: 'CDC_PREFLIGHT',
    });
    // nothing was loaded: the target has no table
    const x = await exec(tgt);
    const r = (await x.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = 't'")) as { rows: { n: number }[] };
    await x.close();
    expect(r.rows[0]!.n).toBe(0);
  });
});
