/**
 * Alerts end to end: a real api (Postgres + Redis + BullMQ worker), a raw
 * agent socket through the real gateway, and a real HTTP receiver. The
 * receiver checks every message's HMAC signature with the rule's secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../api/src/services/alerts/signature';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { createDataSource, createJob } from '../support/api-fixtures';
import { startWebhookReceiver, type ReceivedHook, type WebhookReceiver } from '../support/webhook-receiver';
import { FAST_AGENT_ENV, rawConnect, registerRawAgent, waitFor, type RawAgentSocket } from '../support/agents-helpers';

let api: ApiHarness;
let rx: WebhookReceiver;
let owner: SignedUp;
let other: SignedUp;
const sockets: RawAgentSocket[] = [];
const secrets = new Map<string, string>();

const RULE_FIELDS = 'id name kind scope jobId threshold webhookUrl enabled hasSecret';
const DELIVERY_FIELDS = 'id type state attempts lastStatusCode lastError nextRetryAt deliveredAt attemptLog { statusCode error durationMs }';

beforeAll(async () => {
  rx = await startWebhookReceiver();
  api = await startApi({
    dbPrefix: 'sluice_alerts',
    redisPrefix: 'alerts',
    env: {
      ...FAST_AGENT_ENV,
      AGENT_LEASE_TTL_MS: '60000',
      ALERT_RETRY_BASE_MS: '300',
      ALERT_RETRY_CAP_MS: '1000',
      ALERT_MAX_ATTEMPTS: '4',
      ALERT_SWEEP_MS: '500',
      ALERT_SWEEP_GRACE_MS: '3000',
    },
  });
  owner = await api.signUp();
  other = await api.signUp();
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await api?.stop();
  await rx?.close();
});

async function createRule(token: string, input: Record<string, unknown>) {
  const d = await api.gqlOk<{ createAlertRule: { rule: { id: string; kind: string; scope: string }; secret: string } }>(
    `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { rule { ${RULE_FIELDS} } secret } }`,
    { input },
    token,
  );
  secrets.set(d.createAlertRule.rule.id, d.createAlertRule.secret);
  return d.createAlertRule;
}

/** Waits for a message on `path` matching `pred`, and checks its signature with its rule's secret. */
async function hook(path: string, pred: (h: ReceivedHook) => boolean, what: string): Promise<ReceivedHook> {
  const h = await waitFor(what, () => rx.received.find((x) => x.path === path && pred(x)), 20_000, 50);
  const rule = h.json.rule as { id: string };
  const secret = secrets.get(rule.id)!;
  const headers = { timestamp: h.headers['x-sluice-timestamp'] as string, signature: h.headers['x-sluice-signature'] as string, body: h.body };
  expect(verifyWebhook(secret, headers)).toEqual({ ok: true });
  expect(verifyWebhook('whsec_wrong', headers).ok).toBe(false);
  expect(h.headers['x-sluice-delivery']).toBe(h.json.id);
  return h;
}
const alertOf = (h: ReceivedHook) =>
  h.json.alert as { state: string; message: string; jobId: string | null; jobName: string | null; value: number | null; url: string | null };
const kindOf = (h: ReceivedHook) => (h.json.rule as { kind: string }).kind;

async function deliveries(token: string, ruleId: string) {
  return (
    await api.gqlOk<{
      alertDeliveries: { type: string; state: string; attempts: number; lastStatusCode: number | null; attemptLog: { statusCode: number | null }[] }[];
    }>(`query($r: ID) { alertDeliveries(ruleId: $r) { ${DELIVERY_FIELDS} } }`, { r: ruleId }, token)
  ).alertDeliveries;
}

describe('alerts', () => {
  it('sends signed alerts when lag and retention cross their thresholds (once), when verification mismatches and when the job fails', async () => {
    const source = await createDataSource(api, owner.token, {
      kind: 'MYSQL',
      config: { host: '10.255.255.1', port: 3306, user: 'app', database: 'shop' },
      secret: 'not-a-real-password',
    });
    const target = await createDataSource(api, owner.token, { config: { host: '10.255.255.2', port: 5432, user: 'app', database: 'shop' } });
    const job = await createJob(api, owner.token, source.id, target.id, { mode: 'full_cdc' });
    const failed = await createRule(owner.token, { name: 'any job failed', kind: 'JOB_FAILED', webhookUrl: rx.url('/main') });
    const lag = await createRule(owner.token, { name: 'lag > 2 s', kind: 'LAG', jobId: job.id, threshold: 2, webhookUrl: rx.url('/main') });
    await createRule(owner.token, { name: 'purge < 2 h', kind: 'RETENTION', threshold: 2, webhookUrl: rx.url('/main') });
    await createRule(owner.token, { name: 'mismatch', kind: 'VERIFICATION_MISMATCH', webhookUrl: rx.url('/main') });
    expect(lag.rule.scope).toBe('JOB');
    expect(failed.rule.scope).toBe('TENANT');
    expect(failed.secret).toMatch(/^whsec_/);

    // A raw agent (real handshake through the gateway) takes the job's task and reports like the engine does.
    const agent = await registerRawAgent(api, owner, 'alerts-agent');
    const { s } = await rawConnect(api, agent, { capacity: 1 });
    sockets.push(s);
    s.handlers['task.assign'] = () => ({ payload: { accepted: true } });
    await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: job.id }, owner.token);
    const asg = (await s.next('task.assign', 20_000)).payload as { taskId: string; leaseId: string };
    const fence = { taskId: asg.taskId, leaseId: asg.leaseId };
    const cdc = (lagP50Ms: number, secondsUntilPurge: number | null) => ({
      ...fence,
      progress: { phase: 'cdc', tables: [], cdc: { eventsPerSec: 10, lagP50Ms, lagP99Ms: lagP50Ms, backlog: 0, secondsUntilPurge } },
    });

    // Under the thresholds: nothing.
    expect((await s.call('task.progress', cdc(500, 5 * 3600))).type).toBe('ok');
    // Lag 5 s (> 2 s) and 1 h until purge (< 2 h), reported three times: one alert each.
    for (let i = 0; i < 3; i++) expect((await s.call('task.progress', cdc(5_000, 3600))).type).toBe('ok');
    const lagFired = await hook('/main', (h) => h.json.type === 'alert.fired' && kindOf(h) === 'lag', 'the lag alert');
    expect(alertOf(lagFired)).toMatchObject({ state: 'open', jobId: job.id, value: 5, url: `${api.env.WEB_ORIGIN}/jobs/${job.id}` });
    expect(alertOf(lagFired).message).toContain('lag 5.0 s is above 2 s');
    const purgeFired = await hook('/main', (h) => h.json.type === 'alert.fired' && kindOf(h) === 'retention', 'the retention alert');
    expect(alertOf(purgeFired).value).toBe(1);

    // Cheap: while nothing crosses, samples are checked against the per-process cache: at most one
    // refresh (2 reads) of rules and open incidents for 30 samples, and no alert writes.
    const pool = api.app.deps.db.pool;
    const original = pool.query.bind(pool);
    const alertSql: string[] = [];
    (pool as unknown as { query: unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '');
      if (/alert_rules|alert_events/.test(text)) alertSql.push(text); // not the sweeper's alert_deliveries poll
      return (original as (...a: unknown[]) => unknown)(...args);
    };
    const events = async () => (await api.sql<{ n: number }>(`select count(*)::int as n from alert_events`)).rows[0]!.n;
    const before = await events();
    try {
      for (let i = 0; i < 30; i++) expect((await s.call('task.progress', cdc(5_000, 3600))).type).toBe('ok');
    } finally {
      (pool as unknown as { query: unknown }).query = original;
    }
    expect(alertSql.length, alertSql.join('\n')).toBeLessThanOrEqual(2);
    expect(await events()).toBe(before);

    const active = await api.gqlOk<{ activeAlerts: { kind: string; jobId: string; jobName: string; message: string }[] }>(
      `query($j: ID) { activeAlerts(jobId: $j) { kind jobId jobName message ruleName openedAt } }`,
      { j: job.id },
      owner.token,
    );
    expect(active.activeAlerts.map((a) => a.kind).sort()).toEqual(['LAG', 'RETENTION']);

    // Back under: resolved once.
    for (let i = 0; i < 2; i++) await s.call('task.progress', cdc(300, 3600));
    const lagResolved = await hook('/main', (h) => h.json.type === 'alert.resolved' && kindOf(h) === 'lag', 'the lag resolution');
    expect(alertOf(lagResolved).state).toBe('resolved');

    // A verification result with unrepaired mismatched chunks.
    const ev = await s.call('task.event', {
      ...fence,
      type: 'verification.table',
      message: 'verified',
      data: { tableName: 'shop.orders', chunksOk: 3, chunksMismatched: 1, chunksRepaired: 0, rowsMissing: 2, rowsExtra: 0, rowsDifferent: 0 },
    });
    expect(ev.type).toBe('ok');
    const mm = await hook('/main', (h) => h.json.type === 'alert.fired' && kindOf(h) === 'verification_mismatch', 'the mismatch alert');
    expect(alertOf(mm).message).toContain('shop.orders');

    // The task fails for good: the job fails; the job_failed rule fires and the retention incident resolves.
    expect((await s.call('task.fail', { ...fence, error: 'boom: duplicate key (id)=(42)', retryable: false })).type).toBe('ok');
    const jf = await hook('/main', (h) => h.json.type === 'alert.fired' && kindOf(h) === 'job_failed', 'the job-failed alert');
    expect(alertOf(jf)).toMatchObject({ state: 'open', jobId: job.id });
    // No error text (may hold key values) in the payload.
    expect(jf.body).not.toContain('duplicate key');
    await hook('/main', (h) => h.json.type === 'alert.resolved' && kindOf(h) === 'retention', 'the retention resolution');

    // Once per crossing: exactly one fired message per rule kind so far.
    const fired = rx.received
      .filter((h) => h.path === '/main' && h.json.type === 'alert.fired')
      .map(kindOf)
      .sort();
    expect(fired).toEqual(['job_failed', 'lag', 'retention', 'verification_mismatch']);
    const d = await deliveries(owner.token, failed.rule.id);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ type: 'fired', state: 'SUCCEEDED', attempts: 1, lastStatusCode: 200 });
    // Audited as system actions; secrets never logged.
    const audit = await api.sql<{ action: string; actor_type: string }>(`select action, actor_type from audit_log where action like 'alert.%' order by id`);
    expect(audit.rows.filter((r) => r.action === 'alert.fired')).toHaveLength(4);
    expect(audit.rows.every((r) => r.actor_type === 'system')).toBe(true);
    for (const secret of secrets.values()) expect(api.logs.join('\n')).not.toContain(secret);
  });

  it('retries a failed delivery with backoff and records every attempt', async () => {
    const { rule } = await createRule(owner.token, { name: 'flaky receiver', kind: 'JOB_FAILED', webhookUrl: rx.url('/flaky') });
    rx.script('/flaky', [500, 503]);
    const t = await api.gqlOk<{ testAlertRule: { id: string; state: string; attempts: number; lastStatusCode: number; nextRetryAt: string | null } }>(
      `mutation($id: ID!) { testAlertRule(id: $id) { ${DELIVERY_FIELDS} } }`,
      { id: rule.id },
      owner.token,
    );
    expect(t.testAlertRule).toMatchObject({ state: 'PENDING', attempts: 1, lastStatusCode: 500 });
    expect(t.testAlertRule.nextRetryAt).not.toBeNull();
    const done = await waitFor('the delivery to succeed', async () => {
      const [x] = await deliveries(owner.token, rule.id);
      return x?.state === 'SUCCEEDED' ? x : null;
    });
    expect(done.attempts).toBe(3);
    expect(done.attemptLog.map((a) => a.statusCode)).toEqual([500, 503, 200]);
    const got = rx.received.filter((h) => h.path === '/flaky');
    expect(got).toHaveLength(3);
    expect(new Set(got.map((h) => h.headers['x-sluice-delivery'])).size).toBe(1);
    expect(got[0]!.json.type).toBe('alert.test');
    for (const h of got)
      expect(
        verifyWebhook(secrets.get(rule.id)!, {
          timestamp: h.headers['x-sluice-timestamp'] as string,
          signature: h.headers['x-sluice-signature'] as string,
          body: h.body,
        }).ok,
      ).toBe(true);
    // Backoff: each retry waited (base 300 ms, equal jitter: at least 150 ms, then 300 ms).
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(140);
    expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(290);

    // A receiver that never answers 2xx: FAILED after ALERT_MAX_ATTEMPTS (4).
    rx.script('/down', [500, 500, 500, 500, 500]);
    const down = await createRule(owner.token, { name: 'down', kind: 'JOB_FAILED', webhookUrl: rx.url('/down') });
    await api.gqlOk(`mutation($id: ID!) { testAlertRule(id: $id) { id } }`, { id: down.rule.id }, owner.token);
    const gaveUp = await waitFor('the delivery to fail', async () => {
      const [x] = await deliveries(owner.token, down.rule.id);
      return x?.state === 'FAILED' ? x : null;
    });
    expect(gaveUp.attempts).toBe(4);
  });

  it('re-enqueues a pending delivery whose queue job was lost (a crash between commit and enqueue)', async () => {
    const { rule } = await createRule(owner.token, { name: 'lost job', kind: 'JOB_FAILED', webhookUrl: rx.url('/lost') });
    // The row a crashed process left behind: committed, pending, no BullMQ job.
    const [row] = (
      await api.sql<{ id: string }>(
        `insert into alert_deliveries (tenant_id, rule_id, type, created_at) values ($1, $2, 'test', now() - interval '1 hour') returning id`,
        [owner.tenantId, rule.id],
      )
    ).rows;
    const h = await hook('/lost', (x) => x.json.id === row!.id, 'the swept delivery');
    expect(h.json.type).toBe('alert.test');
    const done = await waitFor('the swept delivery to be recorded', async () => {
      const [x] = await deliveries(owner.token, rule.id);
      return x?.state === 'SUCCEEDED' ? x : null;
    });
    expect(done.attempts).toBe(1);
    expect(rx.received.filter((x) => x.path === '/lost')).toHaveLength(1);
  });

  it('keeps rules inside their tenant: another tenant gets NOT_FOUND for every operation, and the attempts are audited', async () => {
    const { rule } = await createRule(owner.token, { name: 'private rule', kind: 'JOB_FAILED', webhookUrl: rx.url('/private') });
    const ops: [string, string, Record<string, unknown>][] = [
      ['alertRule', `query($id: ID!) { alertRule(id: $id) { id } }`, { id: rule.id }],
      ['alertDeliveries', `query($id: ID) { alertDeliveries(ruleId: $id) { id } }`, { id: rule.id }],
      [
        'updateAlertRule',
        `mutation($id: ID!) { updateAlertRule(id: $id, input: { name: "mine now", webhookUrl: "https://evil.example/x" }) { rule { id } } }`,
        { id: rule.id },
      ],
      ['testAlertRule', `mutation($id: ID!) { testAlertRule(id: $id) { id } }`, { id: rule.id }],
      ['deleteAlertRule', `mutation($id: ID!) { deleteAlertRule(id: $id) }`, { id: rule.id }],
    ];
    for (const [name, q, v] of ops) {
      const r = await api.gql(q, v, other.token);
      expect(r.errors?.[0]?.extensions?.code, name).toBe('NOT_FOUND');
      expect(r.errors?.[0]?.message, name).toContain(`alert rule ${rule.id}`);
    }
    const list = await api.gqlOk<{ alertRules: unknown[]; activeAlerts: unknown[] }>(`{ alertRules { id } activeAlerts { id } }`, {}, other.token);
    expect(list).toEqual({ alertRules: [], activeAlerts: [] });
    const denied = await api.sql<{ action: string }>(`select action from audit_log where tenant_id = $1 and outcome = 'denied' and target_id = $2`, [
      other.tenantId,
      rule.id,
    ]);
    expect(denied.rows.map((r) => r.action).sort()).toEqual(['alertRule.delete', 'alertRule.read', 'alertRule.read', 'alertRule.test', 'alertRule.update']);
    const still = await api.gqlOk<{ alertRule: { name: string; webhookUrl: string } }>(
      `query($id: ID!) { alertRule(id: $id) { name webhookUrl } }`,
      { id: rule.id },
      owner.token,
    );
    expect(still.alertRule).toEqual({ name: 'private rule', webhookUrl: rx.url('/private') });
    expect(rx.received.filter((h) => h.path === '/private')).toHaveLength(0);
  });

  it('validates input with clear errors and lets only admins and owners manage rules', async () => {
    const bad = async (input: Record<string, unknown>) => {
      const r = await api.gql(`mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { rule { id } } }`, { input }, owner.token);
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      return r.errors![0]!.message;
    };
    expect(await bad({ name: 'x', kind: 'JOB_FAILED', webhookUrl: 'ftp://example.com/hook' })).toContain('must be an http:// or https:// URL');
    expect(await bad({ name: 'x', kind: 'JOB_FAILED', webhookUrl: 'not a url' })).toContain('must be a URL like https://');
    expect(await bad({ name: 'x', kind: 'LAG', webhookUrl: 'https://example.com/h' })).toContain('a lag rule needs a threshold');
    expect(await bad({ name: 'x', kind: 'JOB_FAILED', threshold: 3, webhookUrl: 'https://example.com/h' })).toContain('takes no threshold');
    expect(await bad({ name: 'x', kind: 'LAG', threshold: -1, webhookUrl: 'https://example.com/h' })).toContain('must be above 0');

    const key = await api.gqlOk<{ createApiKey: { secret: string } }>(
      `mutation { createApiKey(input: {name: "ro", role: VIEWER}) { secret } }`,
      {},
      owner.token,
    );
    const viewer = key.createApiKey.secret;
    const r = await api.gql(
      `mutation { createAlertRule(input: {name: "v", kind: JOB_FAILED, webhookUrl: "https://example.com/h"}) { rule { id } } }`,
      {},
      viewer,
    );
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const read = await api.gqlOk<{ alertRules: { id: string; hasSecret: boolean; webhookUrl: string; webhookHost: string }[] }>(
      `{ alertRules { id hasSecret webhookUrl webhookHost } }`,
      {},
      viewer,
    );
    expect(read.alertRules.length).toBeGreaterThan(0);
    expect(read.alertRules.every((x) => x.hasSecret)).toBe(true);
    // A viewer sees where alerts go, not the URL's path (webhook paths often carry a token).
    expect(read.alertRules.every((x) => /^http:\/\/127\.0\.0\.1:\d+\/…$/.test(x.webhookUrl) && x.webhookHost.startsWith('127.0.0.1:'))).toBe(true);
    const asOwner = await api.gqlOk<{ alertRules: { webhookUrl: string }[] }>(`{ alertRules { webhookUrl } }`, {}, owner.token);
    expect(asOwner.alertRules.some((x) => x.webhookUrl === rx.url('/main'))).toBe(true);
  });

  it('raises agent_offline when an agent stays away past the grace period, and resolves it when it comes back', async () => {
    const { rule } = await createRule(owner.token, { name: 'agent away', kind: 'AGENT_OFFLINE', threshold: 0.5, webhookUrl: rx.url('/agents') });
    expect(rule.kind).toBe('AGENT_OFFLINE');
    const agent = await registerRawAgent(api, owner, 'flappy');
    const first = await rawConnect(api, agent);
    first.s.close();
    await first.s.closed;
    const fired = await hook('/agents', (h) => h.json.type === 'alert.fired', 'the agent-offline alert');
    expect(alertOf(fired).message).toContain('agent "flappy" is offline');
    const again = await rawConnect(api, agent);
    sockets.push(again.s);
    await hook('/agents', (h) => h.json.type === 'alert.resolved', 'the agent-online resolution');
  });
});
