/**
 * What the wizard and the data-source pages learn through an agent, against real databases:
 *  - a target is checked for the privileges a target needs: a PG role and a MariaDB user without INSERT fail a
 *    check that names INSERT and gives the GRANT to run;
 *  - a CDC job's source gets the CDC preflight before Start (testDataSource with cdc), for the job's tables;
 *  - the last test result is the data source's health (DataSource.lastTest);
 *  - discovery reports foreign keys, unique keys, indexes and row estimates for both engines.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { createMariaDatabase, createPgDatabase, type MariaDatabase, type PgDatabase } from '../support/db-fixtures';
import { pgUrl, services } from '../support/services';
import { agentsSuiteHooks, rawConnect, registerAgent, registerRawAgent, startAgentsApi, startReadyAgent, type AgentProcess } from '../support/agents-helpers';

interface Check {
  name: string;
  ok: boolean;
  message: string;
  fix: string | null;
  severity: 'ERROR' | 'WARNING';
}
interface TestResult {
  ok: boolean;
  checks: Check[];
}

const TEST = `mutation($id: ID!, $agentId: ID, $role: DataSourceRole, $cdc: CdcPreflightInput) {
  testDataSource(id: $id, agentId: $agentId, role: $role, cdc: $cdc) { ok checks { name ok message fix severity } }
}`;
const DISCOVER = `mutation($id: ID!) { discoverDataSource(id: $id) { catalog } }`;

let api: ApiHarness;
let owner: SignedUp;
const procs: AgentProcess[] = [];
let pgDb: PgDatabase;
let myDb: MariaDatabase;
const pgRole = `sluice_wizard_noins_${Date.now().toString(36)}`;
const myUser = `wiz_noins_${Date.now().toString(36)}`;

async function pgExec(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgUrl(pgDb.database) });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
async function myExec(sql: string): Promise<void> {
  const c = await mysql.createConnection({
    host: services.mariadb.host,
    port: services.mariadb.port,
    user: services.mariadb.user,
    database: myDb.database,
    multipleStatements: true,
  });
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
async function dataSource(name: string, kind: 'POSTGRES' | 'MYSQL', config: Record<string, unknown>, secret?: string): Promise<string> {
  const r = await api.gqlOk<{ createDataSource: { id: string } }>(
    `mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) { id } }`,
    { input: { name, kind, config, ...(secret ? { secret } : {}) } },
    owner.token,
  );
  return r.createDataSource.id;
}
async function test(id: string, vars: Record<string, unknown> = {}): Promise<TestResult> {
  return (await api.gqlOk<{ testDataSource: TestResult }>(TEST, { id, ...vars }, owner.token)).testDataSource;
}
const byName = (r: TestResult, name: string): Check => {
  const c = r.checks.find((x) => x.name === name);
  if (!c) throw new Error(`no check "${name}" in ${r.checks.map((x) => x.name).join(', ')}`);
  return c;
};

beforeAll(async () => {
  api = await startAgentsApi();
  owner = await api.signUp();
  pgDb = await createPgDatabase('sluice_wizard');
  myDb = await createMariaDatabase('sluice_wizard');
  await pgExec(`
    CREATE TABLE parent (id int PRIMARY KEY, code text NOT NULL UNIQUE, name text);
    CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parent(id) ON DELETE CASCADE, created date);
    CREATE INDEX child_created_idx ON child (created);
    CREATE TABLE nokey (v int);
    INSERT INTO parent SELECT g, 'c' || g, 'n' FROM generate_series(1, 500) g;
    INSERT INTO child SELECT g, 1 + g % 500, DATE '2024-01-01' FROM generate_series(1, 2000) g;
    ANALYZE;
    CREATE ROLE "${pgRole}" LOGIN;
    GRANT USAGE, CREATE ON SCHEMA public TO "${pgRole}";
    GRANT SELECT, UPDATE, DELETE ON parent, child, nokey TO "${pgRole}";`);
  await myExec(`
    CREATE TABLE parent (id int PRIMARY KEY, code varchar(20) NOT NULL, name varchar(20), UNIQUE KEY parent_code_uq (code));
    CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL, created date, KEY child_created_idx (created),
      CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE) ENGINE=InnoDB;
    INSERT INTO parent SELECT seq, concat('c', seq), 'n' FROM seq_1_to_500;
    INSERT INTO child SELECT seq, 1 + seq % 500, '2024-01-01' FROM seq_1_to_2000;
    ANALYZE TABLE parent, child;
    CREATE USER '${myUser}'@'%' IDENTIFIED BY 'pw-${myUser}';
    GRANT SELECT, CREATE, UPDATE, DELETE, ALTER, INDEX, DROP ON \`${myDb.database}\`.* TO '${myUser}'@'%';`);
  const a = await registerAgent(api, owner, 'checker');
  await startReadyAgent(procs, a.credentials, a.agentId);
}, 120_000);

agentsSuiteHooks(() => ({ api, procs, fixture: null, currentJob: undefined }));

afterAll(async () => {
  await pgDb?.drop().catch(() => {});
  const admin = new pg.Client({ connectionString: pgUrl('postgres') });
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS "${pgRole}"`).catch(() => {});
  await admin.end();
  await myExec(`DROP USER IF EXISTS '${myUser}'@'%'`).catch(() => {});
  await myDb?.drop().catch(() => {});
});

describe('target privilege checks', () => {
  it('a PostgreSQL role without INSERT fails as a target, naming INSERT and the GRANT; the same data source passes as a source', async () => {
    const id = await dataSource(
      'pg-no-insert',
      'POSTGRES',
      { host: services.pg.host, port: services.pg.port, user: pgRole, database: pgDb.database, schema: 'public' },
      'unused',
    );
    const asTarget = await test(id, { role: 'TARGET' });
    expect(asTarget.ok).toBe(false);
    const write = byName(asTarget, 'write privileges');
    expect(write).toMatchObject({ ok: false, severity: 'ERROR' });
    expect(write.message).toMatch(/missing INSERT on 3 table\(s\)/);
    expect(write.fix).toBe(`GRANT INSERT ON ALL TABLES IN SCHEMA "public" TO "${pgRole}";`);
    // CREATE on the schema is granted: the scratch table is created, written and rolled back.
    expect(byName(asTarget, 'create privilege').ok).toBe(true);
    expect(byName(asTarget, 'scratch write').ok).toBe(true);
    expect(asTarget.checks.map((c) => c.name)).not.toContain('select privilege');
    // Nothing is left behind by the scratch write.
    const c = new pg.Client({ connectionString: pgUrl(pgDb.database) });
    await c.connect();
    const left = await c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename LIKE '_sluice_write_check%'`);
    await c.end();
    expect(left.rows[0].n).toBe(0);

    const asSource = await test(id);
    expect(asSource.checks.map((c) => c.name)).toContain('select privilege');
    expect(asSource.checks.map((c) => c.name)).not.toContain('write privileges');
  });

  it('a MariaDB user without INSERT fails as a target with the GRANT to run; a full-privilege user passes', async () => {
    const id = await dataSource(
      'my-no-insert',
      'MYSQL',
      { host: services.mariadb.host, port: services.mariadb.port, user: myUser, database: myDb.database },
      `pw-${myUser}`,
    );
    const r = await test(id, { role: 'TARGET' });
    expect(r.ok).toBe(false);
    const write = byName(r, 'write privileges');
    expect(write.ok).toBe(false);
    expect(write.message).toBe(`missing on ${myDb.database}: INSERT`);
    expect(write.fix).toBe(`GRANT INSERT ON \`${myDb.database}\`.* TO '${myUser}'@'%';`);

    const rootId = await dataSource('my-root', 'MYSQL', {
      host: services.mariadb.host,
      port: services.mariadb.port,
      user: services.mariadb.user,
      database: myDb.database,
    });
    const good = await test(rootId, { role: 'TARGET' });
    expect(byName(good, 'write privileges').ok).toBe(true);
    expect(byName(good, 'writable').ok).toBe(true);
    expect(good.ok).toBe(true);
  });

  it('the last test is the data source health, shown in the list', async () => {
    const list = await api.gqlOk<{ dataSources: { name: string; lastTest: { at: string; ok: boolean; summary: string } | null }[] }>(
      `{ dataSources { name lastTest { at ok summary } } }`,
      {},
      owner.token,
    );
    const h = Object.fromEntries(list.dataSources.map((d) => [d.name, d.lastTest]));
    expect(h['my-no-insert']).toMatchObject({ ok: false, summary: expect.stringMatching(/^as target: 1 of \d+ checks failed: write privileges$/) });
    expect(h['my-root']).toMatchObject({ ok: true, summary: expect.stringMatching(/^as target: \d+ checks passed$/) });
    // pg-no-insert was last tested as a source, which passes.
    expect(h['pg-no-insert']).toMatchObject({ ok: true, summary: expect.stringMatching(/^as source/) });
    expect(Date.now() - Date.parse(h['my-root']!.at)).toBeLessThan(120_000);
  });
});

describe('the CDC preflight before Start', () => {
  it('PostgreSQL: the CDC checks run for the job tables, with their fix SQL; excluding the table without a key passes', async () => {
    const id = await dataSource('pg-cdc-src', 'POSTGRES', {
      host: services.pg.host,
      port: services.pg.port,
      user: services.pg.user,
      database: pgDb.database,
      schema: 'public',
    });
    const all = await test(id, { cdc: { mode: 'CDC', include: ['*'] } });
    const names = all.checks.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['CDC: wal_level', 'CDC: replication_privilege', 'CDC: replica_identity', 'CDC: primary_keys']));
    expect(byName(all, 'CDC: wal_level').ok).toBe(true);
    const ident = byName(all, 'CDC: replica_identity');
    expect(ident).toMatchObject({ ok: false, severity: 'ERROR' });
    expect(ident.message).toContain('public.nokey');
    expect(ident.fix).toContain('ALTER TABLE "public"."nokey" REPLICA IDENTITY FULL;');
    expect(byName(all, 'CDC: primary_keys')).toMatchObject({ ok: false, severity: 'WARNING' });
    expect(all.ok).toBe(false);

    const keyed = await test(id, { cdc: { mode: 'FULL_CDC', include: ['*'], exclude: ['nokey'] } });
    expect(byName(keyed, 'CDC: replica_identity').ok).toBe(true);
    expect(byName(keyed, 'CDC: primary_keys').ok).toBe(true);

    const health = await api.gqlOk<{ dataSource: { lastTest: { ok: boolean; summary: string } } }>(
      `query($id: ID!) { dataSource(id: $id) { lastTest { ok summary } } }`,
      { id },
      owner.token,
    );
    expect(health.dataSource.lastTest.summary).toMatch(/^as source with the CDC preflight/);
  });

  it('MariaDB: binlog checks are part of the preflight', async () => {
    const id = await dataSource('my-cdc-src', 'MYSQL', {
      host: services.mariadb.host,
      port: services.mariadb.port,
      user: services.mariadb.user,
      database: myDb.database,
    });
    const r = await test(id, { cdc: { mode: 'FULL_CDC', include: ['parent', 'child'] } });
    expect(byName(r, 'CDC: binlog_enabled').ok).toBe(true);
    expect(byName(r, 'CDC: binlog_format').ok).toBe(true);
    expect(byName(r, 'CDC: replication_privileges').ok).toBe(true);
    expect(byName(r, 'CDC: primary_keys').ok).toBe(true);
  });

  it('an agent that predates the CDC preflight does not make it read as passed', async () => {
    // A protocol-level agent that answers datasource.test with the connection checks only, as agents before it did.
    const old = await registerRawAgent(api, owner, 'old-agent');
    const { s } = await rawConnect(api, old);
    s.handlers['datasource.test'] = () => ({ type: 'datasource.tested', payload: { ok: true, checks: [{ name: 'reachable', ok: true, message: 'reached' }] } });
    try {
      const id = await dataSource('pg-old-agent', 'POSTGRES', {
        host: services.pg.host,
        port: services.pg.port,
        user: services.pg.user,
        database: pgDb.database,
        schema: 'public',
      });
      const r = await test(id, { agentId: old.agentId, cdc: { mode: 'CDC', include: ['*'] } });
      expect(r.ok).toBe(false);
      expect(byName(r, 'CDC: preflight')).toMatchObject({ ok: false, severity: 'ERROR', fix: expect.stringContaining('upgrade the agent') });
      // Without cdc the same reply stands as it is.
      expect((await test(id, { agentId: old.agentId })).ok).toBe(true);
    } finally {
      s.close();
    }
  });

  it('refuses a CDC preflight for a target or a non-CDC mode, saying what to do', async () => {
    const id = await dataSource('pg-cdc-bad', 'POSTGRES', {
      host: services.pg.host,
      port: services.pg.port,
      user: services.pg.user,
      database: pgDb.database,
      schema: 'public',
    });
    const asTarget = await api.gql(TEST, { id, role: 'TARGET', cdc: { mode: 'CDC', include: ['*'] } }, owner.token);
    expect(asTarget.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(asTarget.errors?.[0]?.message).toMatch(/CDC preflight checks a source/);
    const full = await api.gql(TEST, { id, cdc: { mode: 'FULL', include: ['*'] } }, owner.token);
    expect(full.errors?.[0]?.message).toMatch(/modes CDC and FULL_CDC/);
  });
});

describe('discovery', () => {
  interface Table {
    name: string;
    rowEstimate: number;
    uniqueKeys: { name: string; columns: string[] }[];
    indexes: { name: string; columns: string[]; unique: boolean }[];
    foreignKeys: { name: string; columns: string[]; refTable: string; refColumns: string[]; onDelete: string }[];
  }
  for (const kind of ['POSTGRES', 'MYSQL'] as const) {
    it(`${kind}: foreign keys, unique keys, indexes and row estimates`, async () => {
      const id =
        kind === 'POSTGRES'
          ? await dataSource('pg-discover', 'POSTGRES', {
              host: services.pg.host,
              port: services.pg.port,
              user: services.pg.user,
              database: pgDb.database,
              schema: 'public',
            })
          : await dataSource('my-discover', 'MYSQL', {
              host: services.mariadb.host,
              port: services.mariadb.port,
              user: services.mariadb.user,
              database: myDb.database,
            });
      const cat = (await api.gqlOk<{ discoverDataSource: { catalog: { tables: Table[] } } }>(DISCOVER, { id }, owner.token)).discoverDataSource.catalog;
      const parent = cat.tables.find((t) => t.name === 'parent')!;
      const child = cat.tables.find((t) => t.name === 'child')!;
      expect(parent.uniqueKeys.map((u) => u.columns)).toContainEqual(['code']);
      expect(child.indexes.find((i) => i.name === 'child_created_idx')).toMatchObject({ columns: ['created'], unique: false });
      expect(child.foreignKeys).toHaveLength(1);
      expect(child.foreignKeys[0]).toMatchObject({ columns: ['parent_id'], refTable: 'parent', refColumns: ['id'], onDelete: 'CASCADE' });
      // Estimates from the statistics (ANALYZE ran): close to, not necessarily exactly, the row counts.
      expect(parent.rowEstimate).toBeGreaterThan(250);
      expect(child.rowEstimate).toBeGreaterThan(1000);
    });
  }
});
