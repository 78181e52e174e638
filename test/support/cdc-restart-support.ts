/**
 * What the source-restart suites share (cdc-source-restart, cdc-ten-restarts, cdc-pg-source-restarts,
 * cdc-quiet-retention-long): an api with its owner and one ready agent, the target database on the shared
 * PostgreSQL, a full_cdc job of `items` through GraphQL, and the checks that the job recovered by itself.
 */
import mysql from 'mysql2/promise';
import { expect } from 'vitest';
import type { ApiHarness, SignedUp } from './api-harness';
import { createDataSource, createJob } from './api-fixtures';
import { registerAgent, startAgentsApi, startReadyAgent, waitFor, type AgentProcess } from './agents-helpers';
import { pgRows } from './pg-cdc-suite';
import { pgDataSourceConfig } from './services';

/**
 * startAgentsApi(`env`), the owner, and one agent named `name` registered and ready (in `procs`, which the
 * suite's hooks kill). If the rest fails once the api runs, the api is stopped before the error.
 */
export async function startApiWithAgent(
  procs: AgentProcess[],
  name: string,
  opts: { capacity: number; env?: Record<string, string> },
): Promise<{ api: ApiHarness; owner: SignedUp }> {
  const api = await startAgentsApi(opts.env);
  try {
    const owner = await api.signUp();
    const a = await registerAgent(api, owner, name);
    await startReadyAgent(procs, a.credentials, a.agentId, { capacity: opts.capacity });
    return { api, owner };
  } catch (e) {
    await api.stop(); // the suite's hooks never got this api
    throw e;
  }
}

/** `create database` / `drop database ... with (force)` of `db` on the shared PostgreSQL. */
export const createSharedPgDb = async (db: string) => void (await pgRows('postgres', `create database ${db}`));
export const dropSharedPgDb = async (db: string) => void (await pgRows('postgres', `drop database if exists ${db} with (force)`));

/** `id:v` of every row of public.items in `db` on the shared PostgreSQL, by id ([] while it cannot be read). */
export const sharedPgItems = async (db: string): Promise<string[]> =>
  (await pgRows<{ id: string; v: string }>(db, 'select id, v from public.items order by id').catch(() => [])).map((r) => `${r.id}:${r.v}`);

/** Rows of `sql` on a MariaDB (`conn`: where and which database), on a connection of its own. */
export async function myRows<T>(conn: mysql.ConnectionOptions, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = await mysql.createConnection({ ...conn, connectTimeout: 3_000 });
  try {
    return (await c.query(sql, params))[0] as T[];
  } finally {
    await c.end();
  }
}

/** Waits (every `everyMs`) until `rows()` returns exactly `expected`. */
export async function waitForRows(what: string, rows: () => Promise<string[]>, expected: string[], timeoutMs: number, everyMs: number): Promise<void> {
  await waitFor(what, async () => JSON.stringify(await rows()) === JSON.stringify(expected), timeoutMs, everyMs);
}

/** A job through the api, as its owner sees it. */
export class CdcJob {
  constructor(
    private readonly api: ApiHarness,
    private readonly owner: SignedUp,
    readonly id: string,
  ) {}

  start(): Promise<unknown> {
    return this.api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: this.id }, this.owner.token);
  }

  stop(): Promise<unknown> {
    return this.api.gqlOk(`mutation($id: ID!) { stopJob(id: $id) { id } }`, { id: this.id }, this.owner.token);
  }

  async state(): Promise<{ state: string; lastError: string | null }> {
    const d = await this.api.gqlOk<{ job: { state: string; lastError: string | null } }>(
      `query($id: ID!) { job(id: $id) { state lastError } }`,
      { id: this.id },
      this.owner.token,
    );
    return d.job;
  }

  /** How many job.recovered events the job has. */
  async recovered(): Promise<number> {
    const r = await this.api.sql<{ n: number }>(`select count(*)::int as n from job_events where job_id = $1 and type = 'job.recovered'`, [this.id]);
    return r.rows[0]!.n;
  }

  /** The job still runs its one task, on its first attempt: it recovered in place, never failed or moved. */
  async expectOneRunningAttempt(): Promise<void> {
    const task = (await this.api.sql<{ attempts: number; state: string }>('select attempts, state from tasks where job_id = $1', [this.id])).rows;
    expect(task).toEqual([{ attempts: 1, state: 'running' }]);
  }

  /**
   * After the source of restart round `round` is back: waits until the target holds `expected` (up to `catchUpMs`),
   * then for the round's job.recovered event (up to `recoveryMs`); returns the ms from `t0` to then, once the job
   * is seen RUNNING.
   */
  async recoveredFromRound(
    round: number,
    o: { t0: number; expected: string[]; targetRows: () => Promise<string[]>; catchUpMs: number; recoveryMs: number },
  ): Promise<number> {
    await waitForRows(`round ${round}: the target to catch up`, o.targetRows, o.expected, o.catchUpMs, 300);
    // Recovered by itself: the agent says so once a checkpoint after the restart is accepted.
    await waitFor(`round ${round}: the recovery event`, async () => (await this.recovered()) >= round, o.recoveryMs, 250);
    const ms = Date.now() - o.t0;
    const s = await this.state();
    expect(s.state, `round ${round}: ${s.lastError}`).toBe('RUNNING');
    return ms;
  }
}

/** The options of the restart suites' jobs: one table, one chunk size, and up to 10 minutes of waiting for an endpoint. */
export const RESTART_JOB = {
  options: { verifyAfterLoad: false, createForeignKeys: false, chunkSize: 1000, parallelism: 1 },
  retry: { maxWaitMinutes: 10 },
};

/**
 * Creates (does not start) a full_cdc job of `items` from `source` (a data source input) into `targetDb` on the
 * shared PostgreSQL, with `rest` (options, retry) in its spec.
 */
export async function createItemsJob(
  api: ApiHarness,
  owner: SignedUp,
  source: Parameters<typeof createDataSource>[2],
  targetDb: string,
  rest: { options: Record<string, unknown>; retry?: Record<string, unknown> } = RESTART_JOB,
): Promise<CdcJob> {
  const target = await createDataSource(api, owner.token, { kind: 'POSTGRES', config: pgDataSourceConfig(targetDb) });
  const src = await createDataSource(api, owner.token, source);
  const j = await createJob(api, owner.token, src.id, target.id, { mode: 'full_cdc', tables: { include: ['items'] }, ...rest });
  return new CdcJob(api, owner, j.id);
}
