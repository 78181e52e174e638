/**
 * Jobs end to end through GraphQL, Postgres, BullMQ and Redis pub/sub: the
 * state machine, the run and its `run` task created by the job.schedule
 * worker, commands settled by job.command when no agent holds the work,
 * paged events and logs, subscriptions, and read-only checkpoints/verification.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { JOB_FIELDS, createDataSource, createJob } from '../support/api-fixtures';

let api: ApiHarness;
let owner: SignedUp;
let src = '';
let tgt = '';

beforeAll(async () => {
  api = await startApi();
  owner = await api.signUp();
  src = (await createDataSource(api, owner.token, { kind: 'MYSQL', config: { host: 'h', user: 'u', database: 'd' } })).id;
  tgt = (await createDataSource(api, owner.token)).id;
});
afterAll(async () => {
  await api?.stop();
});

const state = async (id: string) =>
  (await api.gqlOk<{ job: { state: string } }>(`query J($id: ID!) { job(id: $id) { state } }`, { id }, owner.token)).job.state;
const control = (op: string, id: string) =>
  api.gql<Record<string, { state: string }>>(`mutation C($id: ID!) { ${op}(id: $id) { state } }`, { id }, owner.token);

describe('jobs', () => {
  it('creates a DRAFT job with the validated spec (defaults filled) and its data sources', async () => {
    const r = await api.gqlOk<{ createJob: Record<string, unknown> & { spec: { mode: string; options: { chunkSize: number } } } }>(
      `mutation J($i: CreateJobInput!) { createJob(input: $i) { ${JOB_FIELDS} } }`,
      { i: { name: 'orders', sourceId: src, targetId: tgt, spec: { mode: 'full_cdc', tables: { include: ['shop.*'] } } } },
      owner.token,
    );
    expect(r.createJob).toMatchObject({ name: 'orders', mode: 'FULL_CDC', state: 'DRAFT', version: 0, source: { id: src }, target: { id: tgt } });
    expect(r.createJob.spec.mode).toBe('full_cdc');
    expect(r.createJob.spec.options.chunkSize).toBe(50_000);
  });

  it('start creates a run and, via the job.schedule worker, exactly one pending run task; invalid transitions are CONFLICT', async () => {
    const job = await createJob(api, owner.token, src, tgt);
    expect((await control('startJob', job.id)).data?.startJob?.state).toBe('QUEUED');
    await expect
      .poll(async () => (await api.sql('select kind, state, command from tasks where job_id = $1', [job.id])).rows, { timeout: 15_000 })
      .toEqual([{ kind: 'run', state: 'pending', command: 'run' }]);
    const again = await control('startJob', job.id);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(again.errors?.[0]?.message).toBe('cannot start a job that is queued (start is allowed from: draft, stopped, completed, failed)');
    expect((await control('resumeJob', job.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const edit = await api.gql(`mutation U($id: ID!) { updateJob(id: $id, input: {name: "x"}) { id } }`, { id: job.id }, owner.token);
    expect(edit.errors?.[0]?.message).toMatch(/a queued job cannot be edited: stop it first/);
    // Re-delivering job.schedule (BullMQ is at-least-once) creates nothing new.
    const run = (await api.sql<{ id: string }>('select id from job_runs where job_id = $1', [job.id])).rows[0]!;
    await api.app.deps.services.jobs.ensureRunTasks(owner.tenantId, job.id, run.id);
    await api.app.deps.services.jobs.ensureRunTasks(owner.tenantId, job.id, run.id);
    expect((await api.sql('select count(*)::int as n from tasks where job_id = $1', [job.id])).rows[0]).toEqual({ n: 1 });
  });

  it('pause/resume/stop record the intent, tell the tasks, and settle at once when no agent holds them', async () => {
    const job = await createJob(api, owner.token, src, tgt);
    await control('startJob', job.id);
    await expect
      .poll(async () => (await api.sql('select count(*)::int as n from tasks where job_id = $1', [job.id])).rows[0], { timeout: 15_000 })
      .toEqual({ n: 1 });

    expect((await control('pauseJob', job.id)).data?.pauseJob?.state).toBe('PAUSING');
    await expect.poll(() => state(job.id), { timeout: 15_000 }).toBe('PAUSED');
    expect((await api.sql('select command from tasks where job_id = $1', [job.id])).rows[0]).toEqual({ command: 'pause' });

    expect((await control('resumeJob', job.id)).data?.resumeJob?.state).toBe('QUEUED');
    expect((await api.sql('select command from tasks where job_id = $1', [job.id])).rows[0]).toEqual({ command: 'run' });

    expect((await control('stopJob', job.id)).data?.stopJob?.state).toBe('STOPPING');
    await expect.poll(() => state(job.id), { timeout: 15_000 }).toBe('STOPPED');
    expect((await api.sql('select state, command from tasks where job_id = $1', [job.id])).rows[0]).toEqual({ state: 'cancelled', command: 'stop' });
    const runs = await api.gqlOk<{ job: { runs: Array<{ state: string; finishedAt: string | null }> } }>(
      `query J($id: ID!) { job(id: $id) { runs { state finishedAt } } }`,
      { id: job.id },
      owner.token,
    );
    expect(runs.job.runs).toHaveLength(1);
    expect(runs.job.runs[0]!.state).toBe('STOPPED');
    expect(runs.job.runs[0]!.finishedAt).not.toBeNull();

    // Stopped: editable, restartable (a second run), deletable.
    expect(
      (await api.gql(`mutation U($id: ID!) { updateJob(id: $id, input: {name: "renamed", spec: {mode: "full"}}) { name mode } }`, { id: job.id }, owner.token))
        .data,
    ).toEqual({
      updateJob: { name: 'renamed', mode: 'FULL' },
    });
    expect((await control('startJob', job.id)).data?.startJob?.state).toBe('QUEUED');
    expect((await api.sql('select count(*)::int as n from job_runs where job_id = $1', [job.id])).rows[0]).toEqual({ n: 2 });
    await control('stopJob', job.id);
    await expect.poll(() => state(job.id), { timeout: 15_000 }).toBe('STOPPED');
    expect((await api.gql(`mutation D($id: ID!) { deleteJob(id: $id) }`, { id: job.id }, owner.token)).data).toEqual({ deleteJob: true });
    expect((await api.gql(`query J($id: ID!) { job(id: $id) { id } }`, { id: job.id }, owner.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('pausing before the job.schedule worker ran still gets the run its task, told to pause', async () => {
    const job = await createJob(api, owner.token, src, tgt);
    // Enqueue nothing: do what start does, then pause, then deliver job.schedule by hand (late).
    const run = await api.app.deps.uow(async (r) => {
      const j = (await r.jobs.getForUpdate(owner.tenantId, job.id))!;
      const run = await r.jobRuns.insert(owner.tenantId, { jobId: j.id, state: 'queued' });
      await r.jobs.setState(owner.tenantId, j.id, j.version, { state: 'pausing' }, new Date());
      return run;
    });
    await api.app.deps.services.jobs.settleCommandIfUnheld(owner.tenantId, job.id, run.id, 'pause');
    expect(await state(job.id)).toBe('PAUSED');
    expect(await api.app.deps.services.jobs.ensureRunTasks(owner.tenantId, job.id, run.id)).not.toBeNull();
    expect((await api.sql('select state, command from tasks where job_id = $1', [job.id])).rows).toEqual([{ state: 'pending', command: 'pause' }]);
    expect((await control('resumeJob', job.id)).data?.resumeJob?.state).toBe('QUEUED');
    expect((await api.sql('select command from tasks where job_id = $1', [job.id])).rows).toEqual([{ command: 'run' }]);
  });

  it('applies reported facts (started, completed) and ignores ones the state machine does not allow', async () => {
    const job = await createJob(api, owner.token, src, tgt);
    await control('startJob', job.id);
    const run = (await api.sql<{ id: string }>('select id from job_runs where job_id = $1', [job.id])).rows[0]!;
    const jobs = api.app.deps.services.jobs;
    expect(await jobs.applyFact(owner.tenantId, job.id, 'completed', { runId: run.id })).toBe(false);
    expect(await jobs.applyFact(owner.tenantId, job.id, 'started', { runId: run.id, progress: { phase: 'loading', tables: [] } })).toBe(true);
    expect(await jobs.applyFact(owner.tenantId, job.id, 'completed', { runId: run.id })).toBe(true);
    const j = await api.gqlOk<{ job: { state: string; progress: unknown; runs: Array<{ state: string; startedAt: string | null }> } }>(
      `query J($id: ID!) { job(id: $id) { state progress runs { state startedAt } } }`,
      { id: job.id },
      owner.token,
    );
    expect(j.job.state).toBe('COMPLETED');
    expect(j.job.progress).toEqual({ phase: 'loading', tables: [] });
    expect(j.job.runs[0]).toMatchObject({ state: 'COMPLETED' });
    expect(j.job.runs[0]!.startedAt).not.toBeNull();
  });

  it('pages events and logs with cursors, and streams updates and logs over subscriptions', async () => {
    const job = await createJob(api, owner.token, src, tgt);
    const client = api.wsClient(owner.token);
    const updates: string[] = [];
    const logs: string[] = [];
    const unsubUpdates = client.subscribe<{ jobUpdated: { state: string } }>(
      { query: `subscription U($id: ID!) { jobUpdated(jobId: $id) { state } }`, variables: { id: job.id } },
      { next: (v) => updates.push(v.data!.jobUpdated.state), error: () => {}, complete: () => {} },
    );
    const unsubLogs = client.subscribe<{ jobLogs: { level: string; message: string } }>(
      { query: `subscription L($id: ID!) { jobLogs(jobId: $id) { level message } }`, variables: { id: job.id } },
      { next: (v) => logs.push(`${v.data!.jobLogs.level}:${v.data!.jobLogs.message}`), error: () => {}, complete: () => {} },
    );
    // Wait until both subscriptions are live in Redis.
    await expect.poll(() => api.app.deps.pubsub.activeChannels, { timeout: 5000 }).toBeGreaterThanOrEqual(2);

    await control('startJob', job.id);
    await expect
      .poll(async () => (await api.sql('select count(*)::int as n from tasks where job_id = $1', [job.id])).rows[0], { timeout: 15_000 })
      .toEqual({ n: 1 });
    await control('pauseJob', job.id);
    await expect.poll(() => updates, { timeout: 15_000 }).toEqual(['QUEUED', 'PAUSING', 'PAUSED']);

    for (let i = 1; i <= 5; i++) await api.app.deps.services.jobs.appendLog(owner.tenantId, job.id, { level: i === 5 ? 'warn' : 'info', message: `line ${i}` });
    await expect.poll(() => logs, { timeout: 5000 }).toEqual(['INFO:line 1', 'INFO:line 2', 'INFO:line 3', 'INFO:line 4', 'WARN:line 5']);
    unsubUpdates();
    unsubLogs();

    const LOGS = `query L($id: ID!, $after: String, $level: LogLevel, $newest: Boolean) { jobLogs(jobId: $id, first: 2, after: $after, level: $level, newestFirst: $newest) { nodes { message level } pageInfo { hasNextPage endCursor } } }`;
    type Page = { jobLogs: { nodes: Array<{ message: string; level: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const p1 = await api.gqlOk<Page>(LOGS, { id: job.id }, owner.token);
    const p2 = await api.gqlOk<Page>(LOGS, { id: job.id, after: p1.jobLogs.pageInfo.endCursor }, owner.token);
    const p3 = await api.gqlOk<Page>(LOGS, { id: job.id, after: p2.jobLogs.pageInfo.endCursor }, owner.token);
    expect([...p1.jobLogs.nodes, ...p2.jobLogs.nodes, ...p3.jobLogs.nodes].map((n) => n.message)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    expect(p3.jobLogs.pageInfo.hasNextPage).toBe(false);
    expect((await api.gqlOk<Page>(LOGS, { id: job.id, level: 'WARN' }, owner.token)).jobLogs.nodes).toEqual([{ message: 'line 5', level: 'WARN' }]);
    expect((await api.gqlOk<Page>(LOGS, { id: job.id, newest: true }, owner.token)).jobLogs.nodes.map((n) => n.message)).toEqual(['line 5', 'line 4']);

    const EVENTS = `query E($id: ID!, $after: String) { job(id: $id) { events(first: 2, after: $after) { nodes { type } pageInfo { hasNextPage endCursor } } } }`;
    type EPage = { job: { events: { nodes: Array<{ type: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } };
    const types: string[] = [];
    let after: string | undefined;
    for (;;) {
      const p = await api.gqlOk<EPage>(EVENTS, { id: job.id, after }, owner.token);
      types.push(...p.job.events.nodes.map((n) => n.type));
      if (!p.job.events.pageInfo.hasNextPage) break;
      after = p.job.events.pageInfo.endCursor;
    }
    expect(types).toEqual(['job.created', 'job.start', 'run.scheduled', 'job.pause', 'job.paused']);
  });

  it('batches reads with DataLoaders: a page of 30 jobs with source, target, runs, checkpoints and verification costs a constant number of SQL statements', async () => {
    const other = await api.signUp();
    const s = (await createDataSource(api, other.token, { kind: 'MYSQL', config: { host: 'h', user: 'u', database: 'd' } })).id;
    const t = (await createDataSource(api, other.token)).id;
    const pool = api.app.deps.db.pool;
    const count = async (n: number) => {
      const original = pool.query.bind(pool);
      let statements = 0;
      (pool as unknown as { query: unknown }).query = (...args: unknown[]) => {
        statements++;
        return (original as (...a: unknown[]) => unknown)(...args);
      };
      try {
        const r = await api.gqlOk<{ jobs: { nodes: unknown[] } }>(
          `query P($n: Int!) { jobs(first: $n) { nodes { id source { name } target { name } runs { id } checkpoints { stream } verification { id } } } }`,
          { n },
          other.token,
        );
        expect(r.jobs.nodes).toHaveLength(n);
      } finally {
        (pool as unknown as { query: unknown }).query = original;
      }
      return statements;
    };
    for (let i = 0; i < 30; i++) await createJob(api, other.token, s, t);
    const few = await count(2);
    const many = await count(30);
    expect(many).toBe(few);
    expect(many).toBeLessThanOrEqual(7);
  });

  it('shows checkpoints and verification results (written by the agents side) read-only', async () => {
    const job = await createJob(api, owner.token, src, tgt);
    await control('startJob', job.id);
    await expect
      .poll(async () => (await api.sql('select count(*)::int as n from tasks where job_id = $1', [job.id])).rows[0], { timeout: 15_000 })
      .toEqual({ n: 1 });
    const task = (await api.sql<{ id: string; run_id: string }>('select id, run_id from tasks where job_id = $1', [job.id])).rows[0]!;
    await api.sql(
      `insert into checkpoints (tenant_id, job_id, task_id, stream, position, lease_id) values ($1, $2, $3, 'shop.orders#0', '{"v":1,"pk":["42"]}', gen_random_uuid())`,
      [owner.tenantId, job.id, task.id],
    );
    await api.sql(
      `insert into verification_results (tenant_id, job_id, run_id, table_name, chunks_ok, chunks_mismatched, chunks_repaired, rows_missing) values ($1, $2, $3, 'shop.orders', 9, 1, 1, 3)`,
      [owner.tenantId, job.id, task.run_id],
    );
    const r = await api.gqlOk<{ job: { checkpoints: unknown[]; verification: unknown[] } }>(
      `query J($id: ID!) { job(id: $id) { checkpoints { taskId stream position } verification { tableName chunksOk chunksMismatched chunksRepaired rowsMissing rowsExtra rowsDifferent } } }`,
      { id: job.id },
      owner.token,
    );
    expect(r.job.checkpoints).toEqual([{ taskId: task.id, stream: 'shop.orders#0', position: { v: 1, pk: ['42'] } }]);
    expect(r.job.verification).toEqual([
      { tableName: 'shop.orders', chunksOk: 9, chunksMismatched: 1, chunksRepaired: 1, rowsMissing: 3, rowsExtra: 0, rowsDifferent: 0 },
    ]);
  });
});

describe('after-commit effects', () => {
  it('every enqueue and publish above succeeded (none was only logged)', () => {
    const failed = api.logs.filter((l) => l.includes('after-commit effect failed') || l.includes('invalid job payload') || l.includes('unknown job name'));
    expect(failed).toEqual([]);
  });
});
