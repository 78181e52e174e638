/**
 * A quiet source for 10 minutes (issue 14 §6 tests; SLUICE_LONG=1, SLUICE_QUIET_MINUTES to change the
 * length). A PG -> PG full_cdc job runs through the control plane on a real agent from the private
 * PostgreSQL (test/support/private-sources.ts), with max_slot_wal_keep_size set (a reloadable setting,
 * reset afterwards; never on the shared instance). After one change nothing at all is written to the
 * source: the slot's confirmed_flush_lsn and restart_lsn keep advancing (heartbeats, every 10 s, are
 * checkpointed and acknowledged) in every third of the run, the job's progress shows the time until
 * purge once the WAL rate has been measured over a minute, and a RETENTION rule whose threshold is
 * above it fires an alert (activeAlerts and a signed webhook). The job never leaves RUNNING.
 */
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { lsnToBig } from '../../agent/src/cdc/lsn';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { uniqueName } from '../support/services';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { agentsSuiteHooks, waitFor, type AgentProcess } from '../support/agents-helpers';
import { createItemsJob, createSharedPgDb, dropSharedPgDb, startApiWithAgent } from '../support/cdc-restart-support';
import { pgRows } from '../support/pg-cdc-suite';
import { dropPrivatePgDb, privatePgConfig, privatePgRows, privateService } from '../support/private-sources';

const LONG = process.env.SLUICE_LONG === '1';
const QUIET_MS = Number(process.env.SLUICE_QUIET_MINUTES ?? 10) * 60_000;
const srcDb = uniqueName('lc_quiet_src');
const dstDb = uniqueName('lc_quiet_dst');
let api: ApiHarness;
let owner: SignedUp;
let rx: WebhookReceiver;
const procs: AgentProcess[] = [];
let currentJob: string | undefined;

const onSrc = <T extends pg.QueryResultRow>(sql: string, params: unknown[] = [], db = srcDb) => privatePgRows<T>(db, sql, params);

agentsSuiteHooks(() => ({ api, procs, fixture: null, currentJob }));

beforeAll(async () => {
  if (!LONG) return;
  await privateService('postgres', 'up');
  await onSrc(`ALTER SYSTEM SET max_slot_wal_keep_size = '256MB'`, [], 'postgres');
  await onSrc('SELECT pg_reload_conf()', [], 'postgres');
  await onSrc(`create database ${srcDb}`, [], 'postgres');
  await onSrc('create table items (id bigint primary key, v text not null)');
  await onSrc(`insert into items select g, 'v' || g from generate_series(1, 100) g`);
  await createSharedPgDb(dstDb);
  rx = await startWebhookReceiver();
  ({ api, owner } = await startApiWithAgent(procs, 'quiet', { capacity: 1, env: { ALERT_SWEEP_MS: '500' } }));
  return async () => {
    await dropPrivatePgDb(srcDb);
    await onSrc('ALTER SYSTEM RESET max_slot_wal_keep_size', [], 'postgres').catch(() => {});
    await onSrc('SELECT pg_reload_conf()', [], 'postgres').catch(() => {});
    await dropSharedPgDb(dstDb);
    await rx?.close();
  };
}, 180_000);

describe('a quiet PostgreSQL source (SLUICE_LONG=1)', () => {
  it.skipIf(!LONG)(
    `for ${QUIET_MS / 60_000} min: the slot advances, the time until purge is shown and alerted`,
    async () => {
      const j = await createItemsJob(api, owner, { kind: 'POSTGRES', config: privatePgConfig(srcDb) }, dstDb, {
        options: { verifyAfterLoad: false, createForeignKeys: false },
      });
      currentJob = j.id;
      // Above any figure a quiet source can give (hours): it must fire once the figure is known.
      await api.gqlOk(
        `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { rule { id } } }`,
        { input: { name: 'purge soon', kind: 'RETENTION', jobId: j.id, threshold: 1_000_000, webhookUrl: rx.url('/quiet') } },
        owner.token,
      );
      await j.start();
      const dst = async () => (await pgRows<{ n: number }>(dstDb, 'select count(*)::int as n from items').catch(() => [{ n: 0 }]))[0]!.n;
      await waitFor('the snapshot', async () => (await dst()) === 100, 90_000, 300);
      await onSrc(`insert into items values (101, 'last write')`);
      await waitFor('the last change', async () => (await dst()) === 101, 60_000, 300);

      const job = async () =>
        (
          await api.gqlOk<{ job: { state: string; lastError: string | null; progress: { cdc?: { secondsUntilPurge?: number | null } } } }>(
            `query($id: ID!) { job(id: $id) { state lastError progress } }`,
            { id: j.id },
            owner.token,
          )
        ).job;
      const slot = async () =>
        (
          await onSrc<{ flush: string; restart: string; retained: string }>(
            `select confirmed_flush_lsn::text as flush, restart_lsn::text as restart, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text as retained
               from pg_replication_slots where database = $1`,
            [srcDb],
          )
        )[0]!;
      // From here on nothing is written to the source.
      const start = Date.now();
      const marks = [await slot()];
      const figures: number[] = [];
      let nextMark = start + QUIET_MS / 3;
      while (Date.now() - start < QUIET_MS) {
        await new Promise((r) => setTimeout(r, 10_000));
        const v = await job();
        expect(v.state, `the job stays RUNNING (${v.lastError})`).toBe('RUNNING');
        const f = v.progress.cdc?.secondsUntilPurge;
        if (typeof f === 'number') figures.push(f);
        if (Date.now() >= nextMark && nextMark < start + QUIET_MS - 1_000) {
          marks.push(await slot());
          nextMark += QUIET_MS / 3;
        }
      }
      marks.push(await slot());
      // The slot moved in every third of the quiet period, and holds on to little WAL.
      for (let i = 1; i < marks.length; i++) {
        expect(lsnToBig(marks[i]!.flush), `confirmed_flush_lsn in period ${i}`).toBeGreaterThan(lsnToBig(marks[i - 1]!.flush));
        expect(lsnToBig(marks[i]!.restart), `restart_lsn in period ${i}`).toBeGreaterThanOrEqual(lsnToBig(marks[i - 1]!.restart));
      }
      expect(lsnToBig(marks[marks.length - 1]!.restart)).toBeGreaterThan(lsnToBig(marks[0]!.restart));
      expect(Number(marks[marks.length - 1]!.retained)).toBeLessThan(64 * 1024 * 1024);
      // Shown: a figure once the rate was measured over a minute, positive, and alerted below the threshold.
      expect(figures.length).toBeGreaterThan(0);
      expect(Math.min(...figures)).toBeGreaterThan(0);
      const alerts = await api.gqlOk<{ activeAlerts: { kind: string; jobId: string; message: string }[] }>(
        `query($j: ID) { activeAlerts(jobId: $j) { kind jobId message } }`,
        { j: j.id },
        owner.token,
      );
      expect(alerts.activeAlerts.map((a) => a.kind)).toContain('RETENTION');
      await waitFor('the retention webhook', () => rx.received.some((h) => h.path === '/quiet' && h.json.type === 'alert.fired'), 30_000, 200);
      console.log(
        `[quiet source] ${QUIET_MS / 60_000} min: confirmed_flush ${marks.map((m) => m.flush).join(' -> ')}; time until purge ${Math.min(...figures).toFixed(0)}..${Math.max(...figures).toFixed(0)} s over ${figures.length} readings`,
      );
      await j.stop();
    },
    QUIET_MS + 300_000,
  );
});
