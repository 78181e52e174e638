/**
 * Never a silent gap, PostgreSQL sources (issue 14 §1). On a private PG
 * (test/support/private-sources.ts: slots are dropped and recreated here), each
 * way a position can be lost ends in CDC_POSITION_LOST with the resync fix,
 * and the target keeps what it had:
 * - the slot dropped by hand;
 * - the failed restart of the issue: a fresh full_cdc run that fails on
 *   "table already exists" leaves the slot alone (the next run resumes with
 *   every row), and a slot recreated behind the checkpoint is refused;
 * - a restored source: a checkpoint read from another cluster.
 * Every position records the source's identity (system identifier, timeline, slot).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCdc } from '../../agent/src/cdc';
import { pgIdentity } from '../../agent/src/cdc/pg-position-proof';
import type { PgConnection } from '../../agent/src/cdc/connections';
import { runEngineTask } from '../../agent/src/engine';
import { createDb, recordingHooks, taskInput, waitFor, type Db, type RecordingHooks } from '../support/cdc-support';
import { execOn as exec, privateDb, privatePg, privateService } from '../support/private-sources';

const dbs: Db[] = [];
beforeAll(async () => {
  await privateService('postgres', 'up');
}, 120_000);
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
});

/** A private source and a shared target, both with table t unless the job creates it (`targetTable: false`). */
async function pair(label: string, targetTable = true): Promise<{ src: Db; tgt: Db }> {
  const src = await privateDb('postgres', `${label}_src`);
  const tgt = await createDb('postgres', `lc_${label}_dst`);
  dbs.push(src, tgt);
  const sx = await exec(src);
  await sx.query('CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)');
  await sx.close();
  if (targetTable) {
    const tx = await exec(tgt);
    await tx.query('CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)');
    await tx.close();
  }
  return { src, tgt };
}

async function insert(db: Db, from: number, to: number): Promise<void> {
  const x = await exec(db);
  try {
    // One transaction per row: a gap would lose some of them, not all or nothing.
    for (let i = from; i <= to; i++) await x.query(`INSERT INTO t VALUES (${i}, 'v${i}')`);
  } finally {
    await x.close();
  }
}

async function ids(db: Db): Promise<number[]> {
  const x = await exec(db);
  try {
    const r = (await x.query('SELECT id FROM t ORDER BY id').catch(() => ({ rows: [] }))) as { rows: { id: number }[] };
    return r.rows.map((row) => Number(row.id));
  } finally {
    await x.close();
  }
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

async function streamUntil(run: Promise<unknown>, h: RecordingHooks, tgt: Db, n: number): Promise<void> {
  await waitFor(`${n} rows on the target`, async () => (await ids(tgt)).length === n, 60_000, 200);
  h.controller.abort();
  await run;
}

async function slotLsn(db: Db, slot: string): Promise<string | null> {
  const c = await privatePg(db.name);
  try {
    const r = await c.query<{ l: string }>('SELECT confirmed_flush_lsn::text AS l FROM pg_replication_slots WHERE slot_name = $1', [slot]);
    return r.rows[0]?.l ?? null;
  } finally {
    await c.end();
  }
}

const cdcSpec = (slot: string) => ({ slot, publication: slot, heartbeatMs: 300, statusIntervalMs: 200 });
const LOST = { code: 'CDC_POSITION_LOST', class: 'config', retryable: false, fix: expect.stringMatching(/^resync: start the job again as mode full_cdc/) };

describe('a PostgreSQL position that can no longer be served', () => {
  it('a slot dropped by hand: a clear error, never a start from a later point', async () => {
    const { src, tgt } = await pair('drop');
    const slot = `lc_drop_${Date.now().toString(36)}`;
    const h = recordingHooks();
    const r = runCdc(taskInput(slot, src, tgt, { mode: 'cdc', options: { existingTable: 'upsert' } }, cdcSpec(slot)), h);
    await waitFor('streaming', async () => h.logs.some((l) => l.includes('cdc: starting')), 30_000);
    await insert(src, 1, 10);
    await streamUntil(r, h, tgt, 10);
    // Every position records where it came from.
    const last = h.checkpoints.filter((c) => c.stream === 'cdc').at(-1)!.position;
    const id = await pgIdentity(src.conn as PgConnection);
    expect(last).toMatchObject({ kind: 'pg', slot, systemId: id.systemId, timeline: id.timeline });

    const c = await privatePg(src.name);
    await c.query('SELECT pg_drop_replication_slot($1)', [slot]);
    await c.end();
    await insert(src, 11, 20);
    await expect(runCdc(taskInput(slot, src, tgt, { mode: 'cdc' }, cdcSpec(slot)), recordingHooks())).rejects.toMatchObject({
      ...LOST,
      message: expect.stringMatching(new RegExp(`replication slot '${slot}' the checkpoint \\(lsn [0-9A-F/]+\\) depends on no longer exists`)),
    });
    expect(await ids(tgt)).toEqual(range(1, 10));
  }, 120_000);

  it('the failed restart of the issue: the slot survives a run that fails on an existing table; a recreated slot is refused', async () => {
    const { src, tgt } = await pair('restart', false);
    await insert(src, 1, 50);
    const jobId = `lc_restart_${Date.now().toString(36)}`;
    const slot = `sluice_${jobId}`.slice(0, 63);
    const job = { mode: 'full_cdc' as const, tables: { include: ['t'] }, options: { verifyAfterLoad: false, createForeignKeys: false } };
    const engineInput = (runId: string, over: Record<string, unknown> = {}) => ({
      ...taskInput(jobId, src, tgt, { ...job, ...over }, { heartbeatMs: 300, statusIntervalMs: 200 }),
      runId,
    });

    // Run 1: snapshot, then CDC.
    const h1 = recordingHooks();
    const r1 = runEngineTask(engineInput('run-1'), h1);
    await waitFor('the snapshot', async () => (await ids(tgt)).length === 50, 60_000, 200);
    await waitFor('CDC', async () => h1.logs.some((l) => l.includes('cdc: starting')), 30_000);
    await insert(src, 51, 60);
    await streamUntil(r1, h1, tgt, 60);
    expect(await slotLsn(src, slot)).not.toBeNull();
    await insert(src, 61, 80); // held by the slot while the job is stopped
    const before = await slotLsn(src, slot);

    // Run 2 (startJob of the same full_cdc job, existingTable: fail): it fails, and the slot is untouched.
    await expect(runEngineTask(engineInput('run-2'), recordingHooks())).rejects.toMatchObject({
      code: 'TARGET_EXISTS',
      message: expect.stringContaining('replication state is unchanged'),
    });
    expect(await slotLsn(src, slot)).toBe(before);

    // Run 3 resumes from the target's checkpoint on the same slot: every row, none skipped.
    const h3 = recordingHooks();
    const r3 = runCdc(taskInput(jobId, src, tgt, { mode: 'cdc' }, { slot, publication: slot, heartbeatMs: 300 }), h3);
    await insert(src, 81, 85);
    await streamUntil(r3, h3, tgt, 85);
    expect(await ids(tgt)).toEqual(range(1, 85));

    // What the old restart did: drop and recreate the slot. The new slot starts after the checkpoint: refused.
    const c = await privatePg(src.name);
    await c.query('SELECT pg_drop_replication_slot($1)', [slot]);
    await insert(src, 86, 95);
    await c.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [slot]);
    await c.end();
    await insert(src, 96, 99);
    await expect(runCdc(taskInput(jobId, src, tgt, { mode: 'cdc' }, { slot, publication: slot }), recordingHooks())).rejects.toMatchObject({
      ...LOST,
      message: expect.stringMatching(new RegExp(`slot '${slot}' starts at [0-9A-F/]+, after the checkpoint [0-9A-F/]+`)),
    });
    expect(await ids(tgt)).toEqual(range(1, 85));
  }, 180_000);

  it('a restored source: a checkpoint read from another cluster is refused', async () => {
    const { src, tgt } = await pair('restored');
    const slot = `lc_restored_${Date.now().toString(36)}`;
    const h = recordingHooks();
    const r = runCdc(taskInput(slot, src, tgt, { mode: 'cdc', options: { existingTable: 'upsert' } }, cdcSpec(slot)), h);
    await waitFor('streaming', async () => h.logs.some((l) => l.includes('cdc: starting')), 30_000);
    await insert(src, 1, 5);
    await streamUntil(r, h, tgt, 5);
    const mine = h.checkpoints.filter((x) => x.stream === 'cdc').at(-1)!.position;
    // The same job's checkpoint, as if the source had been replaced by another cluster (the shared test PG's identity).
    const other = await pgIdentity(tgt.conn as PgConnection);
    expect(other.systemId).not.toBe(mine.systemId);
    const t = await exec(tgt);
    await t.query(`UPDATE _sluice_checkpoints SET position = jsonb_set(position, '{systemId}', to_jsonb($1::text)) WHERE job_id = $2`, [other.systemId, slot]);
    await t.close();
    await expect(runCdc(taskInput(slot, src, tgt, { mode: 'cdc' }, cdcSpec(slot)), recordingHooks())).rejects.toMatchObject({
      ...LOST,
      message: expect.stringMatching(
        new RegExp(`another PostgreSQL cluster \\(system identifier ${mine.systemId as string}; .* was read from ${other.systemId}\\)`),
      ),
    });
  }, 120_000);
});
