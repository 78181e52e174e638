/**
 * Transient errors over a long life (issue 14 §2), at the control plane, with
 * a raw agent through the real gateway (real Postgres, Redis, webhook receiver):
 * - the per-run attempt budget counts failures since the last healthy
 *   progress: a task that moves a checkpoint between failures survives far
 *   more than maxAttempts (5) retryable failures; five in a row without
 *   progress still fail the job;
 * - a job waiting out a transient error (job.waiting) raises an alert on the
 *   tenant's job_failed rules, resolved by job.recovered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { createDataSource, createJob } from '../support/api-fixtures';
import { startWebhookReceiver, type ReceivedHook, type WebhookReceiver } from '../support/webhook-receiver';
import { FAST_AGENT_ENV, rawConnect, registerRawAgent, waitFor, type RawAgentSocket } from '../support/agents-helpers';

let api: ApiHarness;
let rx: WebhookReceiver;
let owner: SignedUp;
const sockets: RawAgentSocket[] = [];

beforeAll(async () => {
  rx = await startWebhookReceiver();
  api = await startApi({
    dbPrefix: 'sluice_lc_budget',
    redisPrefix: 'lcbudget',
    env: { ...FAST_AGENT_ENV, AGENT_LEASE_TTL_MS: '60000', AGENT_TASK_MAX_ATTEMPTS: '5' },
  });
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await api?.stop();
  await rx?.close();
});

/** A cdc job of a fresh tenant (its own agent: no other socket can be handed the task), started. */
async function startedJob(name: string) {
  owner = await api.signUp();
  const source = await createDataSource(api, owner.token, {
    kind: 'MYSQL',
    config: { host: '10.255.255.1', port: 3306, user: 'app', database: 'shop' },
    secret: 'x',
  });
  const target = await createDataSource(api, owner.token, { config: { host: '10.255.255.2', port: 5432, user: 'app', database: 'shop' } });
  const job = await createJob(api, owner.token, source.id, target.id, { mode: 'cdc' });
  const agent = await registerRawAgent(api, owner, `${name}-agent`);
  const { s } = await rawConnect(api, agent, { capacity: 1 });
  sockets.push(s);
  s.handlers['task.assign'] = () => ({ payload: { accepted: true } });
  await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: job.id }, owner.token);
  return { job, s };
}

const seen = new Set<unknown>();
/** The next task.assign this socket has not handled yet (RawAgentSocket.next returns the first of a type). */
async function takeAssignment(s: RawAgentSocket) {
  const frame = await waitFor('a new task.assign', () => s.frames.find((f) => f.type === 'task.assign' && !seen.has(f)), 20_000, 20).catch((e: Error) => {
    throw new Error(`${e.message}: ${JSON.stringify(s.frames.map((f) => [f.type, f.id]))}`);
  });
  seen.add(frame);
  const asg = frame.payload as { taskId: string; leaseId: string };
  const fence = { taskId: asg.taskId, leaseId: asg.leaseId };
  const ext = await s.call('lease.extend', fence);
  expect(ext.type, JSON.stringify(ext.payload)).toBe('lease.extended'); // the agent takes it: running
  return fence;
}

const jobState = async (id: string) =>
  (await api.gqlOk<{ job: { state: string } }>(`query($id: ID!) { job(id: $id) { state } }`, { id }, owner.token)).job.state;

describe('the attempt budget resets after healthy progress', () => {
  it('twelve retryable failures, each after a checkpoint moved: the job lives; five without progress: it fails', async () => {
    const { job, s } = await startedJob('budget');
    let lsn = 0x1000;
    for (let i = 1; i <= 12; i++) {
      const fence = await takeAssignment(s);
      lsn += 0x100;
      expect((await s.call('task.checkpoint', { ...fence, stream: 'cdc', position: { v: 1, kind: 'pg', lsn: `0/${lsn.toString(16)}` } })).type).toBe('ok');
      expect((await s.call('task.fail', { ...fence, error: `worker crashed (${i})`, retryable: true })).type).toBe('ok');
      expect(await jobState(job.id)).not.toBe('FAILED');
    }
    const audit = (
      await api.sql<{ detail: { attempts: number; willRetry: boolean; budgetReset?: boolean } }>(
        `select detail from audit_log where action = 'task.failed' and detail->>'jobId' = $1 order by id`,
        [job.id],
      )
    ).rows.map((r) => r.detail);
    expect(audit).toHaveLength(12);
    // Every failure followed progress: none counts against the budget.
    expect(audit.every((d) => d.willRetry && d.attempts === 0 && d.budgetReset === true)).toBe(true);

    // A checkpoint that only restates the position is not progress: five failures in a row fail the job.
    for (let i = 1; i <= 5; i++) {
      const fence = await takeAssignment(s);
      await s.call('task.checkpoint', { ...fence, stream: 'cdc', position: { v: 1, kind: 'pg', lsn: `0/${lsn.toString(16)}` } });
      expect((await s.call('task.fail', { ...fence, error: `crash loop (${i})`, retryable: true })).type).toBe('ok');
    }
    await waitFor('the job to fail', async () => (await jobState(job.id)) === 'FAILED', 10_000, 100);
    const last = (
      await api.sql<{ detail: { attempts: number; willRetry: boolean } }>(
        `select detail from audit_log where action = 'task.failed' and detail->>'jobId' = $1 order by id desc limit 1`,
        [job.id],
      )
    ).rows[0]!.detail;
    expect(last).toMatchObject({ attempts: 5, willRetry: false });
  }, 120_000);
});

describe('an alert while a job waits', () => {
  it('job.waiting raises an alert on the job_failed rules; job.recovered resolves it', async () => {
    const { job, s } = await startedJob('waiting');
    await api.gqlOk(
      `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { rule { id } secret } }`,
      { input: { name: 'job trouble', kind: 'JOB_FAILED', webhookUrl: rx.url('/lc') } },
      owner.token,
    );
    const fence = await takeAssignment(s);
    const message = 'waiting for the source: connect ECONNREFUSED 127.0.0.1:33391';
    expect((await s.call('task.event', { ...fence, type: 'job.waiting', message, data: { endpoint: 'source', failures: 3 } })).type).toBe('ok');
    const kind = (h: ReceivedHook) => (h.json.alert as { kind?: string; message?: string } | undefined) ?? {};
    const fired = await waitFor('the waiting alert', () => rx.received.find((h) => h.path === '/lc' && h.json.type === 'alert.fired'), 20_000, 50);
    expect(kind(fired).message).toMatch(/^job "job-[^"]+" is waiting for the source: connect ECONNREFUSED 127\.0\.0\.1:33391$/);
    expect(JSON.stringify(fired.json)).toContain(job.id);
    const active = await api.gqlOk<{ activeAlerts: { kind: string; message: string }[] }>(
      `query($j: ID) { activeAlerts(jobId: $j) { kind message } }`,
      { j: job.id },
      owner.token,
    );
    expect(active.activeAlerts).toEqual([{ kind: 'JOB_FAILED', message: kind(fired).message }]);

    expect((await s.call('task.event', { ...fence, type: 'job.recovered', message: 'the source is back', data: {} })).type).toBe('ok');
    await waitFor('the resolution', () => rx.received.find((h) => h.path === '/lc' && h.json.type === 'alert.resolved'), 20_000, 50);
    expect(rx.received.filter((h) => h.path === '/lc' && h.json.type === 'alert.fired')).toHaveLength(1);
  }, 60_000);
});
