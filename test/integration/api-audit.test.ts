/**
 * The audit log: entries for successes and denials (with actor, target,
 * outcome, request id and IP), queryable with filters and pages, and
 * append-only in the database itself.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { createDataSource, createJob, joinTenant } from '../support/api-fixtures';

let api: ApiHarness;
let owner: SignedUp;
let viewerToken: string;
let viewer: SignedUp;

interface Entry {
  id: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  requestId: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
  createdAt: string;
}
const ENTRY = 'id actorType actorId actorLabel action targetType targetId outcome requestId ip detail createdAt';

async function audit(filter: Record<string, unknown>, first = 50, after?: string) {
  const r = await api.gqlOk<{ auditLog: { nodes: Entry[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
    `query A($f: AuditFilter, $first: Int, $after: String) { auditLog(filter: $f, first: $first, after: $after) { nodes { ${ENTRY} } pageInfo { hasNextPage endCursor } } }`,
    { f: filter, first, after },
    owner.token,
  );
  return r.auditLog;
}

beforeAll(async () => {
  api = await startApi();
  owner = await api.signUp();
  viewer = await api.signUp();
  await joinTenant(api, owner.token, viewer, 'VIEWER');
  viewerToken = (await api.logIn(viewer.email, viewer.password, owner.tenantId)).token;
});
afterAll(async () => {
  await api?.stop();
});

describe('audit log', () => {
  it('records a success with actor, target, request id and IP, in the same transaction as the change', async () => {
    const requestId = `test-${randomUUID()}`;
    const r = await api.gql<{ createDataSource: { id: string } }>(
      `mutation { createDataSource(input: {name: "audited", kind: POSTGRES, config: {host: "h", user: "u", database: "d"}, secret: "pw"}) { id } }`,
      {},
      owner.token,
      { 'x-request-id': requestId },
    );
    expect(r.headers.get('x-request-id')).toBe(requestId);
    const id = r.data!.createDataSource.id;
    const log = await audit({ targetId: id });
    expect(log.nodes).toHaveLength(1);
    const e = log.nodes[0]!;
    expect(e).toMatchObject({
      actorType: 'USER',
      actorId: owner.userId,
      actorLabel: owner.email,
      action: 'dataSource.create',
      targetType: 'dataSource',
      targetId: id,
      outcome: 'OK',
      requestId,
    });
    expect(e.ip).toMatch(/127\.0\.0\.1/);
    expect(e.detail).toMatchObject({ name: 'audited', kind: 'postgres', hasSecret: true });
    // The row and its entry were committed together: both exist, with the entry's time not before the row's.
    const row = await api.sql<{ created_at: Date }>('select created_at from data_sources where id = $1', [id]);
    expect(new Date(e.createdAt).getTime()).toBeGreaterThanOrEqual(row.rows[0]!.created_at.getTime() - 1000);
  });

  it('records a denial (wrong role) on its own, and nothing changes', async () => {
    const before = await api.sql('select count(*)::int as n from data_sources');
    const r = await api.gql(`mutation { createDataSource(input: {name: "nope", kind: KAFKA, config: {brokers: ["k:1"]}}) { id } }`, {}, viewerToken);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await api.sql('select count(*)::int as n from data_sources')).rows[0]).toEqual(before.rows[0]);
    const log = await audit({ action: 'dataSource.create', outcome: 'DENIED' });
    expect(log.nodes[0]).toMatchObject({ actorId: viewer.userId, outcome: 'DENIED', action: 'dataSource.create' });
    expect(log.nodes[0]!.detail).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('records a denied read, a NOT_FOUND (ownership) attempt, a failed login and a conflict', async () => {
    await api.gql(`{ auditLog { nodes { id } } }`, {}, viewerToken);
    expect((await audit({ action: 'auditLog.read' })).nodes[0]).toMatchObject({ outcome: 'DENIED', actorId: viewer.userId });

    const missing = randomUUID();
    await api.gql(`mutation M($id: ID!) { startJob(id: $id) { id } }`, { id: missing }, owner.token);
    expect((await audit({ targetId: missing })).nodes[0]).toMatchObject({ action: 'job.start', outcome: 'DENIED', detail: { code: 'NOT_FOUND' } });

    await api.gql(`mutation { logIn(input: {email: "${owner.email}", password: "not the password"}) { token } }`);
    const failed = await api.sql<{ outcome: string; tenant_id: string | null; detail: Record<string, unknown> }>(
      `select outcome, tenant_id, detail from audit_log where action = 'auth.logIn' and outcome = 'denied' order by id desc limit 1`,
    );
    expect(failed.rows[0]).toMatchObject({ outcome: 'denied', tenant_id: null, detail: { email: owner.email, reason: 'wrong email or password' } });

    const s = await createDataSource(api, owner.token, { kind: 'MYSQL', config: { host: 'a', user: 'u', database: 'd' } });
    const t = await createDataSource(api, owner.token);
    await createJob(api, owner.token, s.id, t.id);
    const conflict = await api.gql(`mutation M($id: ID!) { deleteDataSource(id: $id) }`, { id: s.id }, owner.token);
    expect(conflict.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await audit({ targetId: s.id, action: 'dataSource.delete' })).nodes[0]).toMatchObject({ outcome: 'ERROR', detail: { code: 'CONFLICT' } });
  });

  it('filters by actor, action prefix, outcome and time, and pages with opaque cursors', async () => {
    for (let i = 0; i < 5; i++)
      await api.gqlOk(`mutation M($n: String!) { createApiKey(input: {name: $n, role: VIEWER}) { secret } }`, { n: `k${i}` }, owner.token);
    const first = await audit({ action: 'apiKey.*', actorId: owner.userId, outcome: 'OK' }, 2);
    expect(first.nodes).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await audit({ action: 'apiKey.*', actorId: owner.userId, outcome: 'OK' }, 2, first.pageInfo.endCursor!);
    const third = await audit({ action: 'apiKey.*', actorId: owner.userId, outcome: 'OK' }, 2, second.pageInfo.endCursor!);
    const all = [...first.nodes, ...second.nodes, ...third.nodes];
    expect(all.map((e) => e.action)).toEqual(Array(5).fill('apiKey.create'));
    expect(new Set(all.map((e) => e.id)).size).toBe(5);
    expect(third.pageInfo.hasNextPage).toBe(false);
    // newest first
    expect(Number(all[0]!.id)).toBeGreaterThan(Number(all[4]!.id));
    const future = await audit({ from: new Date(Date.now() + 3600_000).toISOString() });
    expect(future.nodes).toEqual([]);
    const byType = await audit({ actorType: 'USER', targetType: 'apiKey' }, 100);
    expect(byType.nodes.every((e) => e.targetType === 'apiKey' && e.actorType === 'USER')).toBe(true);
  });

  it('is append-only in the database: UPDATE, DELETE and TRUNCATE are rejected', async () => {
    const n = (await api.sql<{ n: number }>('select count(*)::int as n from audit_log')).rows[0]!.n;
    expect(n).toBeGreaterThan(0);
    await expect(api.sql(`update audit_log set outcome = 'ok' where outcome = 'denied'`)).rejects.toThrow(/append-only/);
    await expect(api.sql(`delete from audit_log`)).rejects.toThrow(/append-only/);
    await expect(api.sql(`truncate audit_log`)).rejects.toThrow(/append-only/);
    expect((await api.sql<{ n: number }>('select count(*)::int as n from audit_log')).rows[0]!.n).toBe(n);
  });
});
