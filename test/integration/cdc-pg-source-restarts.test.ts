/**
 * PostgreSQL source restarts (issue 14 §2 tests; the MariaDB ones are cdc-source-restart.test.ts and
 * cdc-ten-restarts.test.ts). A PG -> PG full_cdc job runs through the control plane on a real agent,
 * from the private PostgreSQL (test/support/private-sources.ts: stopped and started here, never the
 * shared one). Each round: a burst of inserts, updates and deletes, then the source stops
 * (`pg_ctl stop -m fast`, which ends the walsender) and starts again. The job recovers by itself every
 * time (never FAILED, the same task and attempt, one job.recovered event per round) and the target ends
 * with exactly the source's rows, which the slot kept.
 *
 * Default run: 2 short restarts. SLUICE_LONG=1: ten short restarts, then one of 60 s.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { uniqueName } from '../support/services';
import { agentsSuiteHooks, waitFor, type AgentProcess } from '../support/agents-helpers';
import { createItemsJob, createSharedPgDb, dropSharedPgDb, sharedPgItems, startApiWithAgent, waitForRows } from '../support/cdc-restart-support';
import { dropPrivatePgDb, privatePgConfig, privatePgRows, privateService } from '../support/private-sources';

const LONG = process.env.SLUICE_LONG === '1';
const ROUNDS: number[] = LONG ? [...Array<number>(10).fill(2_000), 60_000] : [1_000, 1_000];
const srcDb = uniqueName('lc_pg_restarts_src');
const dstDb = uniqueName('lc_pg_restarts_dst');
let api: ApiHarness;
let owner: SignedUp;
const procs: AgentProcess[] = [];
let currentJob: string | undefined;

const src = (sql: string) => privatePgRows<{ r: string }>(srcDb, sql);
const targetRows = () => sharedPgItems(dstDb);
const sourceRows = async () => (await src(`select id || ':' || v as r from items order by id`)).map((r) => r.r);

agentsSuiteHooks(() => ({ api, procs, fixture: null, currentJob }));

beforeAll(async () => {
  await privateService('postgres', 'up');
  await privatePgRows('postgres', `create database ${srcDb}`);
  await src('create table items (id bigint primary key, v text not null)');
  await src(`insert into items select g, 'v' || g from generate_series(1, 300) g`);
  await createSharedPgDb(dstDb);
  ({ api, owner } = await startApiWithAgent(procs, 'pg-restarts', { capacity: 1 }));
  return async () => {
    await dropPrivatePgDb(srcDb);
    await dropSharedPgDb(dstDb);
  };
}, 180_000);

describe(`PostgreSQL source restarts (${ROUNDS.length})`, () => {
  it('the job recovers by itself every time, and no row is lost', async () => {
    const j = await createItemsJob(api, owner, { kind: 'POSTGRES', config: privatePgConfig(srcDb) }, dstDb);
    currentJob = j.id;
    await j.start();
    await waitFor('the snapshot', async () => (await targetRows()).length === 300, 60_000, 250);

    let next = 301;
    const times: string[] = [];
    for (const [i, downMs] of ROUNDS.entries()) {
      const round = i + 1;
      await src(`insert into items select g, 'r${round}-' || g from generate_series(${next}, ${next + 49}) g`);
      next += 50;
      await src(`update items set v = v || '-u${round}' where id % 13 = ${round % 13}`);
      await src(`delete from items where id % 17 = ${round % 17}`);
      const expected = await sourceRows();
      const t0 = Date.now();
      await privateService('postgres', 'down');
      const downUntil = Date.now() + downMs;
      while (Date.now() < downUntil) {
        const during = await j.state();
        expect(during.state, `round ${round}: never FAILED while the source is down: ${during.lastError}`).not.toBe('FAILED');
        await new Promise((r) => setTimeout(r, Math.min(1_000, Math.max(0, downUntil - Date.now()))));
      }
      await privateService('postgres', 'up');
      const ms = await j.recoveredFromRound(round, { t0, expected, targetRows, catchUpMs: 90_000 + downMs, recoveryMs: 60_000 });
      times.push(`${downMs / 1000}s down: ${(ms / 1000).toFixed(1)}`);
    }
    // A last burst with the source up: streamed as usual.
    await src(`insert into items select g, 'end-' || g from generate_series(${next}, ${next + 99}) g`);
    const final = await sourceRows();
    await waitForRows('the last burst', targetRows, final, 60_000, 300);

    expect(await j.recovered()).toBe(ROUNDS.length);
    await j.expectOneRunningAttempt();
    console.log(`[pg restarts] per round (stop, wait, start, catch up) s: ${times.join(' | ')}`);
    await j.stop();
  }, 900_000);
});
