/**
 * Ten short source restarts over one run (issue 14 §2 tests). A MariaDB ->
 * Postgres full_cdc job runs through the control plane on a real agent,
 * against the private MariaDB (test/support/private-sources.ts: restarted
 * here, never the shared one). Ten times: a burst of inserts, updates and
 * deletes, then the source stops for ~2 s and starts again. The job recovers
 * by itself every time (never FAILED, the same task and attempt), each
 * recovery is an event, and the target ends with exactly the source's rows.
 */
import mysql from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { uniqueName } from '../support/services';
import { agentsSuiteHooks, waitFor, type AgentProcess } from '../support/agents-helpers';
import { createItemsJob, createSharedPgDb, dropSharedPgDb, myRows, sharedPgItems, startApiWithAgent, waitForRows } from '../support/cdc-restart-support';
import { PRIVATE, privateMy, privateService } from '../support/private-sources';

const myDb = uniqueName('lc_restarts_src');
const pgDb = uniqueName('lc_restarts_dst');
let api: ApiHarness;
let owner: SignedUp;
const procs: AgentProcess[] = [];
let currentJob: string | undefined;

const my = (sql: string) => myRows<mysql.RowDataPacket>({ host: '127.0.0.1', port: PRIVATE.mariadb, user: 'root', database: myDb }, sql);
const targetRows = () => sharedPgItems(pgDb);
const sourceRows = async () => (await my('select id, v from items order by id')).map((r) => `${String(r.id)}:${String(r.v)}`);

agentsSuiteHooks(() => ({ api, procs, fixture: null, currentJob }));

beforeAll(async () => {
  await privateService('mariadb', 'up');
  const root = await privateMy();
  await root.query(`create database ${myDb}; create table ${myDb}.items (id bigint primary key, v varchar(64) not null)`);
  await root.end();
  await my(`insert into items (id, v) select seq, concat('v', seq) from seq_1_to_300`);
  await createSharedPgDb(pgDb);
  ({ api, owner } = await startApiWithAgent(procs, 'restarts', { capacity: 1 }));
  return async () => {
    await privateService('mariadb', 'up').catch(() => {});
    const c = await privateMy().catch(() => null);
    await c?.query(`drop database if exists ${myDb}`).finally(() => c.end());
    await dropSharedPgDb(pgDb);
  };
}, 180_000);

describe('ten short source restarts over one run', () => {
  it('the job recovers by itself every time, and no row is lost', async () => {
    const j = await createItemsJob(api, owner, { kind: 'MYSQL', config: { host: '127.0.0.1', port: PRIVATE.mariadb, user: 'root', database: myDb } }, pgDb);
    currentJob = j.id;
    await j.start();
    await waitFor('the snapshot', async () => (await targetRows()).length === 300, 60_000, 250);

    let next = 301;
    const times: number[] = [];
    for (let round = 1; round <= 10; round++) {
      await my(`insert into items (id, v) select seq, concat('r${round}-', seq) from seq_${next}_to_${next + 49}`);
      next += 50;
      await my(`update items set v = concat(v, '-u${round}') where id % 13 = ${round}`);
      await my(`delete from items where id % 17 = ${round}`);
      const t0 = Date.now();
      await privateService('mariadb', 'down');
      await new Promise((r) => setTimeout(r, 2_000));
      const during = await j.state();
      expect(during.state, `never FAILED while the source is down: ${during.lastError}`).not.toBe('FAILED');
      await privateService('mariadb', 'up');
      const expected = await sourceRows();
      times.push(await j.recoveredFromRound(round, { t0, expected, targetRows, catchUpMs: 90_000, recoveryMs: 30_000 }));
    }
    // A last burst with the source up: streamed as usual.
    await my(`insert into items (id, v) select seq, concat('end-', seq) from seq_${next}_to_${next + 99}`);
    const final = await sourceRows();
    await waitForRows('the last burst', targetRows, final, 60_000, 300);
    expect(final.length).toBeGreaterThan(500); // 300 + 10 x 50 + 100 written, less the deletes

    expect(await j.recovered()).toBe(10);
    await j.expectOneRunningAttempt();
    console.log(`[ten restarts] per round (stop 2 s, start, catch up): ${times.map((t) => (t / 1000).toFixed(1)).join(' ')} s`);
    await j.stop();
  }, 600_000);
});
