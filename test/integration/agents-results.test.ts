/**
 * What the engine reports is stored by the control plane: a real agent runs a
 * real MariaDB -> Postgres full load with verifyAfterLoad on, and the job's
 * `verification` (GraphQL) lists the table with its chunk counts; a dry run
 * is not in the job's runs, and `dryRun` carries its plan with its estimate. Through a raw protocol
 * socket: a malformed `verification.table` event stays in job_events only, a
 * table reported twice shows once (the newest), an oversized plan is dropped.
 * The correctness receipt (issue 15 item 6): the verified run has one, signed by the agent's key
 * (its fingerprint is the agent's), `sluice-agent receipt verify` accepts it and refuses it tampered,
 * and another tenant cannot read it; the api refuses a receipt signed with another key or naming another run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signReceipt } from '@sluice/agent/receipt';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { pgUrl, services, uniqueName } from '../support/services';
import {
  FAST_AGENT_ENV,
  dumpDiagnostics,
  auditActions,
  jobState,
  newKeyPair,
  rawConnect,
  registerAgent,
  registerRawAgent,
  runCli,
  startAgent,
  waitFor,
  type AgentProcess,
  type RawAgentSocket,
} from '../support/agents-helpers';

let api: ApiHarness;
let owner: SignedUp;
let agent: AgentProcess;
const procs: AgentProcess[] = [];
const sockets: RawAgentSocket[] = [];
const mysqlDb = uniqueName('sluice_h8_src');
const pgDb = uniqueName('sluice_h8_dst');
let sourceId: string;
let targetId: string;
let currentJob: string | undefined;
let agentId: string;
let verifiedJob: string | undefined;
const tmp = mkdtempSync(path.join(tmpdir(), 'sluice-receipt-'));
const ROWS = 5_000;

beforeAll(async () => {
  api = await startApi({ dbPrefix: 'sluice_h8', redisPrefix: 'h8', env: { ...FAST_AGENT_ENV, LOG_LEVEL: 'info' } });
  owner = await api.signUp();
  const my = await mysql.createConnection({ host: services.mariadb.host, port: services.mariadb.port, user: services.mariadb.user });
  try {
    await my.query(`create database ${mysqlDb}`);
    await my.query(`use ${mysqlDb}`);
    await my.query(
      `create table ${mysqlDb}.orders (id bigint primary key, customer varchar(64) not null, amount decimal(12,2) not null, created_at datetime(6) not null)`,
    );
    await my.query(
      `insert into ${mysqlDb}.orders select seq, concat('customer-', seq % 97), round(seq * 1.37, 2), timestamp('2024-01-01') + interval seq second from seq_1_to_${ROWS}`,
    );
  } finally {
    await my.end();
  }
  const admin = new pg.Client({ connectionString: pgUrl('postgres') });
  await admin.connect();
  await admin.query(`create database ${pgDb}`).finally(() => admin.end());
  const ds = async (name: string, kind: string, config: Record<string, unknown>) =>
    (
      await api.gqlOk<{ createDataSource: { id: string } }>(
        `mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) { id } }`,
        { input: { name, kind, config } },
        owner.token,
      )
    ).createDataSource.id;
  sourceId = await ds('h8-src', 'MYSQL', { host: services.mariadb.host, port: services.mariadb.port, user: services.mariadb.user, database: mysqlDb });
  targetId = await ds('h8-dst', 'POSTGRES', { host: services.pg.host, port: services.pg.port, user: services.pg.user, database: pgDb, schema: 'public' });
  const a = await registerAgent(api, owner, 'results');
  agentId = a.agentId;
  agent = startAgent(a.credentials, a.agentId, { capacity: 1 });
  procs.push(agent);
  await agent.waitReady();
}, 60_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await dumpDiagnostics(api, procs, currentJob);
});

afterAll(async () => {
  for (const p of procs) p.kill();
  for (const s of sockets) s.close();
  const my = await mysql.createConnection({ host: services.mariadb.host, port: services.mariadb.port, user: services.mariadb.user }).catch(() => null);
  await my?.query(`drop database if exists ${mysqlDb}`).finally(() => my.end());
  const admin = new pg.Client({ connectionString: pgUrl('postgres') });
  await admin.connect();
  await admin.query(`drop database if exists ${pgDb} with (force)`).finally(() => admin.end());
  await api?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function runJob(name: string, options: Record<string, unknown>): Promise<string> {
  const job = await api.gqlOk<{ createJob: { id: string } }>(
    `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
    {
      input: {
        name,
        sourceId,
        targetId,
        spec: { mode: 'full', tables: { include: ['orders'] }, options: { chunkSize: 1000, parallelism: 1, createForeignKeys: false, ...options } },
      },
    },
    owner.token,
  );
  const id = job.createJob.id;
  currentJob = id;
  await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id state } }`, { id }, owner.token);
  // A completed dry run puts the job back in DRAFT (the state it was started from); its run says COMPLETED.
  const done = options['dryRun'] === true ? 'DRAFT' : 'COMPLETED';
  await waitFor(
    `job ${name} completed`,
    async () => {
      const s = await jobState(api, owner, id);
      if (s.state === 'FAILED') throw new Error(`job failed: ${s.lastError}`);
      return s.state === done;
    },
    40_000,
    200,
  );
  return id;
}

interface VerificationRow {
  runId: string | null;
  tableName: string;
  chunksOk: number;
  chunksMismatched: number;
  chunksRepaired: number;
  rowsMissing: number;
  rowsExtra: number;
  rowsDifferent: number;
}

interface SchemaObjectRow {
  id: string;
  kind: string;
  name: string;
  status: string;
  when: string | null;
  ddl: string[];
}

/** Job.outcome: how a completed job ended, as its newest run's verification says. */
const outcome = async (id: string, token = owner.token) =>
  (await api.gqlOk<{ job: { state: string; outcome: string | null } }>(`query($id: ID!) { job(id: $id) { state outcome } }`, { id }, token)).job;

const verification = async (id: string) =>
  (
    await api.gqlOk<{
      job: {
        verification: VerificationRow[];
        runs: { id: string; plan: Record<string, unknown> | null; schemaObjects: SchemaObjectRow[] | null }[];
        dryRun: { id: string; state: string; plan: Record<string, unknown> | null; schemaObjects: SchemaObjectRow[] | null } | null;
      };
    }>(
      `query($id: ID!) { job(id: $id) { verification { runId tableName chunksOk chunksMismatched chunksRepaired rowsMissing rowsExtra rowsDifferent }
        runs { id plan schemaObjects { id kind name status when ddl } } dryRun { id state plan schemaObjects { id kind name status when ddl } } } }`,
      { id },
      owner.token,
    )
  ).job;

describe('engine results in the control plane', () => {
  it('stores per-table verification of a real load and shows it on Job.verification', async () => {
    const id = await runJob('verified', { verifyAfterLoad: true });
    verifiedJob = id;
    const j = await waitFor('verification rows', async () => {
      const j = await verification(id);
      return j.verification.length > 0 ? j : null;
    });
    expect(j.verification).toHaveLength(1);
    const v = j.verification[0]!;
    expect(v.tableName).toBe(`${mysqlDb}.orders`); // schema-qualified, as the engine names it
    expect(v.runId).toBe(j.runs[0]!.id);
    expect(v.chunksOk).toBeGreaterThanOrEqual(ROWS / 1000);
    expect([v.chunksMismatched, v.chunksRepaired, v.rowsMissing, v.rowsExtra, v.rowsDifferent]).toEqual([0, 0, 0, 0, 0]);
    expect(await outcome(id)).toEqual({ state: 'COMPLETED', outcome: 'VERIFIED' });
    // The same numbers the engine put in its event (job_events keeps the whole report).
    const ev = await api.sql<{ data: Record<string, unknown> }>(`select data from job_events where job_id = $1 and type = 'verification.table'`, [id]);
    expect(ev.rows).toHaveLength(1);
    expect(ev.rows[0]!.data).toMatchObject({ tableName: v.tableName, chunksOk: v.chunksOk, status: 'ok', rowsSource: ROWS, rowsTarget: ROWS });
    // A full load is not a dry run: its run's plan holds only the schema objects its plan event listed (issue 15 item 3), typed in GraphQL.
    expect(Object.keys(j.runs[0]!.plan ?? {})).toEqual(['objects']);
    expect(j.runs[0]!.schemaObjects).toEqual([
      { id: 'table:orders', kind: 'TABLE', name: 'orders', status: 'TRANSLATED', when: 'WITH_TABLES', ddl: [expect.stringMatching(/^CREATE TABLE "orders"/)] },
    ]);
  }, 60_000);

  it('keeps the run’s signed receipt: it verifies offline, fails tampered, and is the tenant’s only', async () => {
    expect(verifiedJob).toBeDefined();
    const q = `query($id: ID!) { job(id: $id) { runs { id receipt { text outcome agentId publicKey publicKeyFingerprint } } } }`;
    type R = {
      job: { runs: { id: string; receipt: { text: string; outcome: string; agentId: string; publicKey: string; publicKeyFingerprint: string } | null }[] };
    };
    const run = (await api.gqlOk<R>(q, { id: verifiedJob }, owner.token)).job.runs[0]!;
    const r = run.receipt!;
    expect(r).toMatchObject({ outcome: 'completed', agentId });
    const doc = JSON.parse(r.text) as { body: Record<string, unknown>; signature: { signer: string; publicKey: string } };
    expect(doc.body).toMatchObject({
      kind: 'sluice.correctness-receipt',
      jobId: verifiedJob,
      runId: run.id,
      outcome: 'ok',
      exitCode: 0,
      verification: { ok: true },
    });
    expect(doc.signature).toMatchObject({ signer: agentId, publicKey: r.publicKey });
    // The agent's registered key is the one that signed it.
    const a = await api.gqlOk<{ agent: { publicKeyFingerprint: string } }>(
      `query($id: ID!) { agent(id: $id) { publicKeyFingerprint } }`,
      { id: agentId },
      owner.token,
    );
    expect(a.agent.publicKeyFingerprint).toBe(r.publicKeyFingerprint);
    expect((await auditActions(api, 'job.receipt.stored')).filter((e) => e.target_id === run.id)).toHaveLength(1);

    const file = path.join(tmp, 'run.receipt.json');
    writeFileSync(file, r.text);
    const ok = await runCli(['receipt', 'verify', file, '--public-key', r.publicKey]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain(r.publicKeyFingerprint);
    (doc.body as { finishedAt: string }).finishedAt = new Date(0).toISOString();
    const tampered = path.join(tmp, 'tampered.receipt.json');
    writeFileSync(tampered, JSON.stringify(doc));
    const bad = await runCli(['receipt', 'verify', tampered]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('changed after signing');

    // Another tenant: the job (and so its runs' receipts) is NOT_FOUND.
    const other = await api.signUp();
    const denied = await api.gql<R>(q, { id: verifiedJob }, other.token);
    expect(denied.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  }, 60_000);

  it('stores a dry run’s plan with its estimate on the run', async () => {
    const id = await runJob('dry', { dryRun: true, verifyAfterLoad: false });
    const j = await verification(id);
    // A dry run is not part of the job's history: its plan is on Job.dryRun.
    expect(j.runs).toEqual([]);
    expect(j.dryRun?.state).toBe('COMPLETED');
    const plan = j.dryRun!.plan as {
      dryRun: boolean;
      totalRows: number;
      estimatedSeconds: number;
      tables: { table: string; rows: number; chunks: number; estimatedSeconds: number }[];
    } | null;
    expect(plan).not.toBeNull();
    expect(plan!.dryRun).toBe(true);
    expect(typeof plan!.estimatedSeconds).toBe('number');
    expect(plan!.estimatedSeconds).toBeGreaterThanOrEqual(0);
    expect(plan!.tables.map((t) => t.table)).toEqual(['orders']);
    expect(plan!.tables[0]!.chunks).toBeGreaterThan(0);
    expect(j.dryRun!.schemaObjects?.map((o) => [o.id, o.status])).toEqual([['table:orders', 'TRANSLATED']]);
    expect(j.verification).toEqual([]);
    expect((await outcome(id)).outcome).toBeNull(); // back in DRAFT: not a completed job
  }, 60_000);

  it('keeps malformed verification events out of the results, shows the newest row per table, and drops an oversized plan', async () => {
    // Another tenant, so the real agent above cannot take this job: a raw protocol client holds the lease.
    const other = await api.signUp();
    const raw = await registerRawAgent(api, other, 'raw-results');
    const { s } = await rawConnect(api, raw, { capacity: 1 });
    sockets.push(s);
    s.handlers['task.assign'] = () => ({ payload: { accepted: true } });
    const mk = async (name: string, kind: string, config: Record<string, unknown>) =>
      (
        await api.gqlOk<{ createDataSource: { id: string } }>(
          `mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) { id } }`,
          { input: { name, kind, config } },
          other.token,
        )
      ).createDataSource.id;
    const src = await mk('raw-src', 'MYSQL', { host: '10.255.255.1', port: 3306, user: 'app', database: 'shop' });
    const dst = await mk('raw-dst', 'POSTGRES', { host: '10.255.255.2', port: 5432, user: 'app', database: 'shop' });
    const job = await api.gqlOk<{ createJob: { id: string } }>(
      `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
      { input: { name: 'raw-results', sourceId: src, targetId: dst, spec: { mode: 'full' } } },
      other.token,
    );
    const jobId = job.createJob.id;
    currentJob = jobId;
    await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: jobId }, other.token);
    const { taskId, leaseId } = (await s.next('task.assign', 20_000)).payload as { taskId: string; leaseId: string };
    const fence = { taskId, leaseId };
    const counts = { chunksOk: 3, chunksMismatched: 1, chunksRepaired: 1, rowsMissing: 2, rowsExtra: 0, rowsDifferent: 0 };
    const send = async (data: Record<string, unknown>) => {
      const r = await s.call('task.event', { ...fence, type: 'verification.table', message: 'verified', data });
      expect(r.type).toBe('ok'); // never an error to the agent, malformed or not
    };
    await send({ tableName: 'shop.orders', ...counts, chunksOk: -1 });
    await send({ tableName: 'shop.orders', ...counts, rowsMissing: 1.5 });
    await send({ ...counts });
    await send({ tableName: 'shop.orders', ...counts });
    await send({ tableName: 'shop.orders', ...counts, chunksOk: 4, chunksMismatched: 0, chunksRepaired: 0, rowsMissing: 0 });
    await send({ tableName: 'shop.items', ...counts, chunksOk: 7, chunksMismatched: 0, chunksRepaired: 0, rowsMissing: 0 });

    expect(
      (await api.sql<{ n: number }>(`select count(*)::int as n from job_events where job_id = $1 and type = 'verification.table'`, [jobId])).rows[0]!.n,
    ).toBe(6);
    expect((await api.sql<{ n: number }>(`select count(*)::int as n from verification_results where job_id = $1`, [jobId])).rows[0]!.n).toBe(3);
    expect(api.logs.filter((l) => l.includes('verification.table event with malformed data')).length).toBe(3);
    const j = (
      await api.gqlOk<{ job: { verification: VerificationRow[] } }>(
        `query($id: ID!) { job(id: $id) { verification { runId tableName chunksOk chunksMismatched chunksRepaired rowsMissing rowsExtra rowsDifferent } } }`,
        { id: jobId },
        other.token,
      )
    ).job;
    expect(j.verification.map((v) => [v.tableName, v.chunksOk, v.chunksMismatched, v.rowsMissing])).toEqual([
      ['shop.items', 7, 0, 0],
      ['shop.orders', 4, 0, 0],
    ]);

    // The agent's status, error and named differences are kept; a malformed detail drops only the detail.
    const diffs = [
      { kind: 'different', key: '7', columns: [{ column: 'j', source: '{"a":1}', target: '{"a":2}' }], columnsDiffering: 1 },
      { kind: 'missing', key: '8' },
    ];
    await send({ tableName: 'shop.named', ...counts, chunksRepaired: 0, rowsDifferent: 1, status: 'mismatch', differences: diffs, differencesTotal: 2 });
    await send({ tableName: 'shop.broken', ...counts, chunksMismatched: 0, chunksRepaired: 0, rowsMissing: 0, status: 'failed', error: 'date out of range' });
    await send({ tableName: 'shop.odd', ...counts, differences: 'not a list' });
    const named = (
      await api.gqlOk<{
        job: { verification: { tableName: string; status: string; error: string | null; differencesTotal: number; differences: unknown[] }[] };
      }>(
        `query($id: ID!) { job(id: $id) { verification { tableName status error differencesTotal differences { kind key columnsDiffering columns { column source target } } } } }`,
        { id: jobId },
        other.token,
      )
    ).job.verification;
    const byName = (t: string) => named.find((v) => v.tableName === t);
    expect(byName('shop.named')).toEqual({
      tableName: 'shop.named',
      status: 'mismatch',
      error: null,
      differencesTotal: 2,
      differences: [diffs[0], { kind: 'missing', key: '8', columnsDiffering: 0, columns: [] }],
    });
    expect(byName('shop.broken')).toMatchObject({ status: 'failed', error: 'date out of range', differences: [] });
    expect(byName('shop.odd')).toMatchObject({ status: 'repaired', differencesTotal: 2, differences: [] });

    // A receipt is checked against the agent's registered key and the task's run before it is stored.
    const runId = (await api.sql<{ id: string }>(`select id from job_runs where job_id = $1`, [jobId])).rows[0]!.id;
    const pem = raw.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const body = { v: 1, kind: 'sluice.correctness-receipt', jobId, runId, end: 'completed' };
    const receiptCall = (receipt: unknown) => s.call('task.receipt', { ...fence, receipt });
    const foreign = await receiptCall(signReceipt(body, newKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), raw.agentId));
    expect(JSON.stringify(foreign.payload)).toContain('not signed with this agent');
    expect((await receiptCall(signReceipt({ ...body, runId: jobId }, pem, raw.agentId))).type).toBe('error');
    const forged = signReceipt(body, pem, raw.agentId);
    expect(JSON.stringify((await receiptCall({ ...forged, body: { ...body, end: 'failed' } })).payload)).toContain('changed after signing');
    expect((await receiptCall(forged)).type).toBe('ok');
    expect((await api.sql<{ outcome: string }>(`select outcome from job_receipts where run_id = $1`, [runId])).rows).toEqual([{ outcome: 'completed' }]);

    // A plan over 256 KB is not stored (logged); the completion itself goes through.
    const huge = {
      dryRun: true,
      estimatedSeconds: 1,
      totalRows: 1,
      tables: Array.from({ length: 3000 }, (_, i) => ({ table: `t${i}`, warnings: ['x'.repeat(100)] })),
    };
    const done = await s.call('task.complete', { ...fence, result: huge });
    expect(done.type).toBe('ok');
    await waitFor(
      'job completed',
      async () => (await api.sql<{ state: string }>(`select state from jobs where id = $1`, [jobId])).rows[0]!.state === 'completed',
    );
    expect((await api.sql<{ plan: unknown }>(`select plan from job_runs where job_id = $1`, [jobId])).rows[0]!.plan).toBeNull();
    expect(api.logs.some((l) => l.includes('dry-run plan larger than 256 KB'))).toBe(true);
    // Completed, but not fine: a table could not be verified (and another still differs), and the job says so.
    expect(await outcome(jobId, other.token)).toEqual({ state: 'COMPLETED', outcome: 'VERIFICATION_FAILED' });
    await api.sql(`delete from verification_results where job_id = $1 and table_name = 'shop.broken'`, [jobId]);
    expect(await outcome(jobId, other.token)).toEqual({ state: 'COMPLETED', outcome: 'DIFFERENCES' });
  }, 60_000);
});
