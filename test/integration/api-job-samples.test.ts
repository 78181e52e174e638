/**
 * The job page's chart history (Job.samples): a raw agent, through the real
 * gateway, reports progress as the engine does; the api keeps one sample per job
 * every 10 s (load rows/s while loading, CDC events/s and lag while streaming),
 * and another tenant cannot read them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { createDataSource, createJob } from '../support/api-fixtures';
import { FAST_AGENT_ENV, rawConnect, registerRawAgent, type RawAgentSocket } from '../support/agents-helpers';

let api: ApiHarness;
let owner: SignedUp;
let other: SignedUp;
const sockets: RawAgentSocket[] = [];

beforeAll(async () => {
  api = await startApi({ dbPrefix: 'sluice_jobsamples', redisPrefix: 'jobsamples', env: { ...FAST_AGENT_ENV, AGENT_LEASE_TTL_MS: '60000' } });
  owner = await api.signUp();
  other = await api.signUp();
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await api?.stop();
});

interface Sample {
  at: string;
  loadRate: number | null;
  cdcRate: number | null;
  lagMs: number | null;
}
const samples = async (id: string, token = owner.token) =>
  (await api.gqlOk<{ job: { samples: Sample[] } }>(`query S($id: ID!) { job(id: $id) { samples(minutes: 60) { at loadRate cdcRate lagMs } } }`, { id }, token))
    .job.samples;

describe('job chart history', () => {
  it('keeps one sample per 10 s from agent progress, load and CDC apart, for the owner only', async () => {
    const source = await createDataSource(api, owner.token, {
      kind: 'MYSQL',
      config: { host: '10.255.255.1', port: 3306, user: 'app', database: 'shop' },
      secret: 'x',
    });
    const target = await createDataSource(api, owner.token, { config: { host: '10.255.255.2', port: 5432, user: 'app', database: 'shop' } });
    const job = await createJob(api, owner.token, source.id, target.id, { mode: 'full_cdc' });
    expect(await samples(job.id)).toEqual([]);

    const agent = await registerRawAgent(api, owner, 'samples-agent');
    const { s } = await rawConnect(api, agent, { capacity: 1 });
    sockets.push(s);
    s.handlers['task.assign'] = () => ({ payload: { accepted: true } });
    await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: job.id }, owner.token);
    const asg = (await s.next('task.assign', 20_000)).payload as { taskId: string; leaseId: string };
    const fence = { taskId: asg.taskId, leaseId: asg.leaseId };

    // Loading: three reports in a row make one sample (one per 10 s).
    for (const rowsPerSec of [1500, 1600, 1700]) {
      expect((await s.call('task.progress', { ...fence, progress: { phase: 'loading', rowsPerSec, tables: [] } })).type).toBe('ok');
    }
    const first = await samples(job.id);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ loadRate: 1500, cdcRate: null, lagMs: null });

    // Streaming, after the interval: a CDC sample, with no load rate mixed in.
    await new Promise((r) => setTimeout(r, 10_200));
    const cdc = { phase: 'cdc', rowsPerSec: 9999, tables: [], cdc: { eventsPerSec: 4, lagP50Ms: 350, lagP99Ms: 900, backlog: 0 } };
    expect((await s.call('task.progress', { ...fence, progress: cdc })).type).toBe('ok');
    const both = await samples(job.id);
    expect(both).toHaveLength(2);
    expect(both[1]).toMatchObject({ loadRate: null, cdcRate: 4, lagMs: 350 });
    expect(Date.parse(both[1]!.at)).toBeGreaterThan(Date.parse(both[0]!.at));

    // Another tenant: the job does not exist for it.
    const denied = await api.gql(`query S($id: ID!) { job(id: $id) { samples { at } } }`, { id: job.id }, other.token);
    expect(denied.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // Two intervals, two stored rows (metadata only: rates and lag).
    expect((await api.sql<{ n: number }>('select count(*)::int as n from job_samples where job_id = $1', [job.id])).rows[0]!.n).toBe(2);
  }, 60_000);
});
