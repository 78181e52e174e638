/**
 * One job, many agents (issue 19 item 1): a MariaDB -> Postgres full_cdc job with `placement.spread` runs on
 * three real agent processes while a writer changes the source. The run task (coordinator) captures T0, plans
 * and publishes the chunks as chunk tasks; every agent takes a share; one agent that holds chunks is SIGKILLed
 * mid-way and only its chunks are re-leased to the others (resuming from their checkpoints). CDC from T0 then
 * converges the chunks read at different times: Sluice's verification and an independent comparison (count
 * + checksum on both databases) agree that the target is exact.
 * Each agent completes at least 20 % of the chunks (the killed one before its kill).
 * Default: 60,000 rows, chunks of 2,500. SLUICE_LONG=1: 3,000,000 rows, chunks of 50,000.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { services } from '../support/services';
import {
  agentsSuiteHooks,
  auditActions,
  loadFixture,
  registerAgent,
  startReadyAgent,
  startAgentsApi,
  waitFor,
  type AgentProcess,
  type LoadFixture,
} from '../support/agents-helpers';

const LONG = process.env.SLUICE_LONG === '1';
const started = Date.now();
const stage = (what: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
const ROWS = LONG ? 3_000_000 : 60_000;
const CHUNK = LONG ? 50_000 : 2_500;

let api: ApiHarness;
let owner: SignedUp;
let fixture: LoadFixture | null = null;
const procs: AgentProcess[] = [];
let currentJob: string | undefined;
let writerStop: (() => Promise<number>) | null = null;
const after: (() => void)[] = [];

beforeAll(async () => {
  api = await startAgentsApi();
  owner = await api.signUp();
});

afterEach(async () => {
  for (const f of after) f();
  await writerStop?.().catch(() => 0);
});
agentsSuiteHooks(() => ({ api, procs, fixture, currentJob }));

type ChunkRow = { id: string; state: string; agent_id: string | null; attempts: number; stream: string };
const chunkRows = async (jobId: string) =>
  (
    await api.sql<ChunkRow>(
      `select id, state, agent_id, attempts, spec->>'stream' as stream from tasks where job_id = $1 and kind = 'chunk' order by created_at`,
      [jobId],
    )
  ).rows;

/** Random updates, inserts and deletes on the source until stopped. */
function writer(db: string): { stop(): Promise<number> } {
  let stopped = false;
  let n = 0;
  const done = (async () => {
    const c = await mysql.createConnection({ host: services.mariadb.host, port: services.mariadb.port, user: services.mariadb.user, database: db });
    try {
      let next = ROWS + 1;
      while (!stopped) {
        const id = 1 + Math.floor(Math.random() * ROWS);
        await c.query('update orders set amount = amount + 1, customer = concat(customer, ?) where id = ?', ['+', id]);
        await c.query('insert into orders values (?, ?, 1.00, null, now(6))', [next, `new-${next}`]);
        next += 1;
        if (n % 5 === 0) await c.query('delete from orders where id = ?', [1 + Math.floor(Math.random() * ROWS)]);
        n += 1;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await c.end();
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      return n;
    },
  };
}

describe('one job, many agents', () => {
  it(
    'spreads the chunks over three agents, re-leases only the killed agent’s chunks, and converges exactly through CDC from T0',
    async () => {
      fixture = await loadFixture(api, owner, ROWS);
      const agents = await Promise.all(['spread-a', 'spread-b', 'spread-c'].map((n) => registerAgent(api, owner, n)));
      // the job is placed on the group "loaders": the three agents are in it
      await api.sql(`update agents set agent_group = 'loaders', labels = '{"zone":"eu"}' where id = any($1::uuid[])`, [agents.map((a) => a.agentId)]);
      const running = await Promise.all(agents.map((a) => startReadyAgent(procs, a.credentials, a.agentId, { capacity: 3 })));
      const job = await api.gqlOk<{ createJob: { id: string } }>(
        `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
        {
          input: {
            name: `spread-${fixture.mysqlDb}`,
            sourceId: fixture.sourceId,
            targetId: fixture.targetId,
            spec: {
              mode: 'full_cdc',
              tables: { include: ['orders'] },
              options: { chunkSize: CHUNK, parallelism: 2, verifyAfterLoad: true, createForeignKeys: false },
              placement: { group: 'loaders', labels: { zone: 'eu' }, spread: true },
            },
          },
        },
        owner.token,
      );
      const jobId = job.createJob.id;
      currentJob = jobId;
      const w = writer(fixture.mysqlDb);
      writerStop = w.stop;
      await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: jobId }, owner.token);

      // T0 is captured once, before any chunk is read, and every chunk task carries it
      const published = await waitFor('chunk tasks published', async () => ((await chunkRows(jobId)).length > 0 ? chunkRows(jobId) : null), 60_000, 100);
      const run = (await api.sql<{ agent_id: string }>(`select agent_id from tasks where job_id = $1 and kind = 'run'`, [jobId])).rows[0]!;
      const t0 = (await api.sql<{ position: unknown }>(`select position from checkpoints where job_id = $1 and stream = 'cdc:start'`, [jobId])).rows[0];
      expect(t0).toBeDefined();
      const specs = await api.sql<{ cdc: unknown }>(`select spec->'cdcStart' as cdc from tasks where job_id = $1 and kind = 'chunk'`, [jobId]);
      for (const s of specs.rows) expect(s.cdc).toEqual(t0!.position);
      const total = published.length;
      stage(`${total} chunk tasks published`);
      const ticker = setInterval(() => {
        void chunkRows(jobId).then((rows) => {
          const by = new Map<string, number>();
          for (const r of rows) by.set(r.state, (by.get(r.state) ?? 0) + 1);
          stage(`chunks: ${[...by].map(([k, v]) => `${k} ${v}`).join(', ')}`);
        });
      }, 5000);
      after.push(() => clearInterval(ticker));
      expect(total).toBeGreaterThanOrEqual(Math.floor(ROWS / CHUNK));

      // mid-way: kill an agent (not the coordinator's) that holds chunks, once it has completed a fifth of them
      const fifth = Math.ceil(total / 5);
      const victim = await waitFor(
        'an agent other than the coordinator holding a chunk, with a fifth of the chunks completed',
        async () => {
          const rows = await chunkRows(jobId);
          const mine = (a: { agentId: string }, state: string) => rows.filter((r) => r.agent_id === a.agentId && r.state === state).length;
          return agents.find((a) => a.agentId !== run.agent_id && mine(a, 'running') > 0 && mine(a, 'completed') >= fifth) ?? null;
        },
        120_000,
        50,
      );
      const held = (await chunkRows(jobId)).filter((r) => r.agent_id === victim.agentId && ['assigned', 'running'].includes(r.state)).map((r) => r.id);
      // (the victim is chosen holding a running chunk: at least one started there)
      const doneBefore = new Set((await chunkRows(jobId)).filter((r) => r.state === 'completed').map((r) => r.id));
      const proc = running[agents.indexOf(victim)]!;
      proc.kill('SIGKILL');
      await proc.exited;
      stage(`killed an agent holding ${held.length} chunks, ${doneBefore.size} done`);

      const all = await waitFor(
        'every chunk completed',
        async () => {
          const rows = await chunkRows(jobId);
          const j = (await api.sql<{ state: string; last_error: string | null }>('select state, last_error from jobs where id = $1', [jobId])).rows[0]!;
          if (j.state === 'failed') throw new Error(`job failed: ${j.last_error}`);
          return rows.every((r) => r.state === 'completed') ? rows : null;
        },
        LONG ? 1_800_000 : 90_000,
        250,
      );
      stage('every chunk completed');
      // only the killed agent's chunks were redone: they moved (attempt 2), nothing completed before was leased again
      // (a held chunk may have completed on the victim in the instant before the kill)
      const completed = await auditActions(api, 'task.completed');
      const byVictim = new Set(completed.filter((e) => e.actor_id === victim.agentId).map((e) => e.target_id));
      const moved = all.filter((r) => held.includes(r.id) && !byVictim.has(r.id));
      expect(moved.length).toBeGreaterThan(0);
      // each finished elsewhere; one the victim had started was re-leased after its lease expired (a second lease)
      for (const r of moved) expect(r.agent_id).not.toBe(victim.agentId);
      expect(moved.some((r) => r.attempts >= 2)).toBe(true);
      for (const r of all) if (doneBefore.has(r.id)) expect(r.attempts).toBe(1);
      const chunkIds = new Set(all.map((r) => r.id));
      const share = new Map(agents.map((a) => [a.agentId, completed.filter((e) => chunkIds.has(e.target_id ?? '') && e.actor_id === a.agentId).length]));
      console.log(
        `chunks per agent: ${agents.map((a) => `${a.agentId === victim.agentId ? 'killed ' : a.agentId === run.agent_id ? 'coordinator ' : ''}${share.get(a.agentId)}`).join(', ')} of ${total}`,
      );
      // each agent took at least 20 % of the chunks (the killed one before its kill)
      for (const a of agents) expect(share.get(a.agentId)).toBeGreaterThanOrEqual(fifth);

      // the writer stops; CDC from T0 converges the chunks read at different times
      const writes = await w.stop();
      expect(writes).toBeGreaterThan(0);
      const src = await fixture.sourceChecksum();
      await waitFor('target equal to the source', async () => ((await fixture!.targetChecksum()) === src ? true : null), 60_000, 250);
      const srcCount = await mysql
        .createConnection({ host: services.mariadb.host, port: services.mariadb.port, user: services.mariadb.user })
        .then(async (c) => {
          const [r] = await c.query(`select count(*) as n from ${fixture!.mysqlDb}.orders`);
          await c.end();
          return Number((r as { n: number }[])[0]!.n);
        });
      expect(await fixture.targetCount()).toBe(srcCount);
      stage(`target exact after ${writes} write rounds`);
      // Sluice's own verification (beside CDC) agrees
      const v = await waitFor(
        'the verification result',
        async () => {
          const r = await api.sql<{ status: string; rows_missing: number; rows_extra: number; rows_different: number }>(
            'select status, rows_missing, rows_extra, rows_different from verification_results where job_id = $1',
            [jobId],
          );
          return r.rows[0] ?? null;
        },
        60_000,
        250,
      );
      expect(['ok', 'repaired']).toContain(v.status);
      // the job page's query: which agent holds which chunk
      const g = await api.gqlOk<{ job: { chunks: { stream: string; state: string; agent: { name: string } | null; attempts: number }[] } }>(
        `query($id: ID!) { job(id: $id) { chunks { stream state attempts agent { name } } } }`,
        { id: jobId },
        owner.token,
      );
      expect(g.job.chunks).toHaveLength(total);
      expect(g.job.chunks.every((c) => c.state === 'COMPLETED' && c.agent?.name)).toBe(true);
    },
    LONG ? 2_400_000 : 180_000,
  );
});
