/**
 * Quiet source: while the captured tables see no writes (the database is idle,
 * or only uncaptured tables are written), the slot keeps moving: the
 * confirmed_flush_lsn advances (heartbeats and keepalives are acknowledged once
 * everything received is durable) and restart_lsn follows, so the WAL retained
 * for the slot stays bounded.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCdc } from '../../agent/src/cdc';
import { cleanupPgCdc } from '../../agent/src/cdc/pg-logical';
import type { PgConnection } from '../../agent/src/cdc/connections';
import { lsnToBig } from '../../agent/src/cdc/lsn';
import { createDb, exec, pgAdmin, recordingHooks, taskInput, waitFor, type Db } from '../support/cdc-support';

const dbs: Db[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
});

describe('CDC quiet PostgreSQL source', () => {
  it('keeps the slot advancing and the retained WAL bounded while captured tables are idle', async () => {
    const src = await createDb('postgres', 'qsrc');
    const tgt = await createDb('postgres', 'qtgt');
    dbs.push(src, tgt);
    const sx = await exec(src);
    const tx = await exec(tgt);
    await sx.query('CREATE TABLE captured (id bigint PRIMARY KEY, v text)');
    await sx.query('CREATE TABLE noise (id bigserial PRIMARY KEY, pad text)');
    await tx.query('CREATE TABLE captured (id bigint PRIMARY KEY, v text)');
    await tx.close();
    const jobId = `h6_quiet_${Date.now().toString(36)}`;
    const slot = jobId;
    const hooks = recordingHooks();
    const input = taskInput(
      jobId,
      src,
      tgt,
      { mode: 'cdc' },
      {
        tables: ['public.captured'],
        slot,
        publication: slot,
        heartbeatMs: 300,
        statusIntervalMs: 300,
        idleCheckpointMs: 500,
      },
    );
    const running = runCdc(input, hooks);
    running.catch(() => undefined);
    const admin = await pgAdmin(src.name);
    const slotState = async () =>
      (
        await admin.query<{ flush: string; restart: string; cur: string; retained: string }>(
          `SELECT confirmed_flush_lsn::text AS flush, restart_lsn::text AS restart, pg_current_wal_lsn()::text AS cur,
                  pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text AS retained
             FROM pg_replication_slots WHERE slot_name = $1`,
          [slot],
        )
      ).rows[0];
    try {
      await waitFor('the slot to be created and streaming', async () => !!(await slotState()) && hooks.logs.some((l) => l.includes('starting')), 30_000);
      await sx.query("INSERT INTO captured VALUES (1, 'one')");
      await waitFor('the first change to arrive', async () => hooks.checkpoints.length > 0, 30_000);
      const before = (await slotState())!;

      // 1. Nothing written anywhere but our heartbeat: confirmed_flush still moves.
      await waitFor('confirmed_flush_lsn to advance on an idle source', async () => lsnToBig((await slotState())!.flush) > lsnToBig(before.flush), 15_000);

      // 2. Heavy writes to an uncaptured table: restart_lsn must follow, retained WAL stays bounded.
      const mark = lsnToBig((await slotState())!.cur);
      const deadline = Date.now() + 40_000;
      let generated = 0n;
      let maxRetained = 0n;
      let restartPassed = false;
      while (Date.now() < deadline) {
        await sx.query('INSERT INTO noise (pad) SELECT repeat(md5(g::text), 30) FROM generate_series(1, 5000) g');
        await sx.query('DELETE FROM noise');
        const s = (await slotState())!;
        generated = lsnToBig(s.cur) - mark;
        const retained = BigInt(s.retained);
        if (retained > maxRetained) maxRetained = retained;
        if (lsnToBig(s.restart) > mark && generated > 64n * 1024n * 1024n) {
          restartPassed = true;
          break;
        }
      }
      const end = (await slotState())!;
      expect(restartPassed, `restart_lsn ${end.restart} never passed ${mark.toString(16)}; generated ${generated} bytes`).toBe(true);
      expect(lsnToBig(end.flush)).toBeGreaterThan(mark);
      // The slot never held on to more WAL than we wrote after it went quiet, plus one segment of slack.
      expect(BigInt(end.retained)).toBeLessThan(generated);
      expect(hooks.checkpoints.length).toBeGreaterThan(1);
    } finally {
      hooks.controller.abort();
      await running;
      await admin.end();
      await sx.close();
      await cleanupPgCdc(src.conn as PgConnection, { slot, publication: slot });
    }
  });
});
