/**
 * Tables as first-class objects of a running CDC job (issue 14 §5), on real
 * databases, MariaDB -> PG and PG -> PG, under a write load on the other tables
 * and on the table operated on:
 *   - add a table live (its target table is created, a chunked live snapshot runs
 *     while the workload's tables keep streaming), exact afterwards;
 *   - resync it after corrupting the target (changed, deleted and extra rows), exact afterwards;
 *   - remove it: its changes stop, the other tables keep flowing;
 *   - un-quarantine a table (quarantined in the stored position across a restart,
 *     its changes skipped meanwhile), exact afterwards.
 * The agent-side table control is what the control plane sends in every lease ack
 * (test/integration/api-live-tables.test.ts drives it through GraphQL).
 * Both pairs in the default run (~31 s on the shared 2-core box).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCdc } from '../../agent/src/cdc';
import type { TableControl } from '../../agent/src/protocol/table-states';
import {
  Workload,
  createDb,
  exec,
  recordingHooks,
  taskInput,
  waitFor,
  waitForSameRows,
  writeInBackground,
  workloadDdl,
  type Db,
  type Exec,
  type Kind,
  type RecordingHooks,
} from '../support/cdc-support';

const dbs: Db[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
});

const EXTRA_ROWS = 3_000;

async function all(x: Exec, sql: string): Promise<Record<string, unknown>[]> {
  const r = (await x.query(sql)) as { rows?: Record<string, unknown>[] } | Record<string, unknown>[];
  return Array.isArray(r) ? r : (r.rows ?? []);
}

async function extraRows(db: Db): Promise<string[]> {
  const x = await exec(db);
  try {
    const cast = db.kind === 'postgres' ? 'id::text' : 'CAST(id AS CHAR)';
    return (await all(x, `SELECT ${cast} AS id, v FROM extra ORDER BY id`)).map((r) => `${String(r.id)}|${String(r.v)}`);
  } finally {
    await x.close();
  }
}

/** Writes to `extra` (updates, deletes, inserts) until stopped. */
function extraWriter(x: Exec, ids: { next: number; n: number }): { stop: () => Promise<void> } {
  let on = true;
  const run = (async () => {
    while (on) {
      const n = ++ids.n;
      const id = 1 + ((n * 7919) % EXTRA_ROWS);
      if (n % 5 === 0) await x.query('DELETE FROM extra WHERE id = $1', [id]);
      else if (n % 5 === 1) await x.query('INSERT INTO extra (id, v) VALUES ($1, $2)', [ids.next++, `new ${n}`]);
      else await x.query('UPDATE extra SET v = $2 WHERE id = $1', [id, `upd ${n}`]);
    }
  })();
  return {
    stop: async () => {
      on = false;
      await run;
    },
  };
}

async function itemCount(tgt: Db): Promise<number> {
  const x = await exec(tgt);
  try {
    return Number((await all(x, 'SELECT count(*) AS n FROM items'))[0]!.n);
  } finally {
    await x.close();
  }
}

const eventOf = (h: RecordingHooks, type: string, table = 'extra') => h.events.find((e) => e.type === type && String(e.data?.table).endsWith(`.${table}`));

function controlled(resume: Record<string, Record<string, unknown>> = {}): RecordingHooks & { control: TableControl | null } {
  const h = recordingHooks(resume) as RecordingHooks & { control: TableControl | null };
  h.control = null;
  h.tableControl = () => h.control;
  return h;
}

async function pair(srcKind: Kind): Promise<void> {
  const src = await createDb(srcKind, 'lt_src');
  const tgt = await createDb('postgres', 'lt_tgt');
  dbs.push(src, tgt);
  const sx = await exec(src);
  const tx = await exec(tgt);
  for (const d of workloadDdl(src.kind)) await sx.query(d);
  for (const d of workloadDdl(tgt.kind)) await tx.query(d);
  await sx.query('CREATE TABLE extra (id bigint PRIMARY KEY, v varchar(100))');
  const values = Array.from({ length: EXTRA_ROWS }, (_, i) => `(${i + 1}, 'v${i + 1}')`).join(', ');
  await sx.query(`INSERT INTO extra (id, v) VALUES ${values}`);
  const ex = await exec(src);
  const ids = { next: EXTRA_ROWS + 1, n: 0 };
  const wl = new Workload(sx, srcKind === 'postgres' ? 141 : 142);
  const jobId = `lt_${srcKind}_${Date.now().toString(36)}`;
  const key = `${src.kind === 'postgres' ? 'public' : src.name}.extra`;
  const stateOf = (hh: RecordingHooks, table: string) => hh.progressReports.at(-1)?.cdc?.tableStates?.[table]?.state;
  const job = { mode: 'cdc' as const, tables: { include: ['items', 'order_lines'], exclude: [] } };
  // Progress every 100 ms and chunks 100 ms apart: the 'snapshotting' state is reported while the ~8 chunks run, on a
  // quiet machine too (with the 1 s default a fast snapshot could finish between two reports).
  const spec = { liveChunkRows: 400, liveChunkGapMs: 100, heartbeatMs: 1_000, progressEveryMs: 100 };

  // 1. streaming the workload tables
  const h = controlled();
  const run = runCdc(taskInput(jobId, src, tgt, job, spec), h);
  await waitFor('streaming', async () => h.logs.some((l) => l.includes('cdc: starting from')), 60_000);
  const load = writeInBackground(wl, 20);
  await waitFor('items streaming', async () => (await itemCount(tgt)) > 0, 60_000);

  // 2. add `extra` live, under writes to it and to the workload tables
  const writes = extraWriter(ex, ids);
  h.control = { tables: { include: ['items', 'order_lines', 'extra'], exclude: [] }, resyncs: {} };
  await waitFor('snapshot started', async () => eventOf(h, 'table.snapshot_started'), 60_000);
  const before = await itemCount(tgt);
  await waitFor('snapshot done', async () => eventOf(h, 'table.snapshot_done'), 120_000);
  // The other tables never stopped: their changes arrived while the snapshot ran.
  expect(await itemCount(tgt)).not.toBe(before);
  const during = h.progressReports.filter((p) => p.cdc?.tableStates && Object.values(p.cdc.tableStates).some((s) => s.state === 'snapshotting'));
  expect(during.length).toBeGreaterThan(0);
  await writes.stop();
  await waitFor('extra exact after the add', async () => JSON.stringify(await extraRows(src)) === JSON.stringify(await extraRows(tgt)), 60_000, 300);

  // 3. resync after corrupting the target: changed, deleted and extra rows
  await tx.query("UPDATE extra SET v = 'corrupt' WHERE id % 10 = 3");
  await tx.query('DELETE FROM extra WHERE id % 10 = 4');
  await tx.query("INSERT INTO extra (id, v) VALUES (900001, 'junk'), (900002, 'junk')");
  const writes2 = extraWriter(ex, ids);
  h.control = { ...h.control, resyncs: { [key]: 'r1' } };
  await waitFor('resync done', async () => eventOf(h, 'table.resync_done'), 120_000);
  await writes2.stop();
  await waitFor('extra exact after the resync', async () => JSON.stringify(await extraRows(src)) === JSON.stringify(await extraRows(tgt)), 60_000, 300);

  // 4. remove it: its changes stop; the workload's keep arriving
  h.control = { ...h.control, tables: { include: ['items', 'order_lines'], exclude: [] } };
  await waitFor('removed', async () => eventOf(h, 'table.removed'), 60_000);
  const frozen = await extraRows(tgt);
  const items0 = await itemCount(tgt);
  await ex.query("UPDATE extra SET v = 'after removal' WHERE id <= 10");
  // A marker committed after that update: once it is applied, the update has been streamed past.
  await ex.query("INSERT INTO items (id, qty, name) VALUES (99000001, 1, 'marker')");
  await waitFor('items still flowing', async () => (await itemCount(tgt)) !== items0, 60_000);
  await waitFor('marker applied', async () => (await all(tx, 'SELECT 1 AS x FROM items WHERE id = 99000001')).length > 0, 60_000);
  expect(await extraRows(tgt)).toEqual(frozen);
  await waitFor('extra reported removed', async () => stateOf(h, key) === 'removed', 30_000);
  await load.stop();
  h.controller.abort();
  await run;

  // 5. un-quarantine: the stored position says `extra` is quarantined (as an unsupported schema change
  //    leaves it); its changes are skipped across the restart; un-quarantine resyncs it.
  const cp = (await all(tx, `SELECT position FROM _sluice_checkpoints WHERE job_id = '${jobId}' AND stream = 'cdc'`))[0]!;
  const pos = typeof cp.position === 'string' ? JSON.parse(cp.position) : cp.position;
  pos.quarantined = { [key]: 'test: quarantined by an unsupported schema change' };
  pos.live = { ...pos.live, tables: [...(pos.live?.tables ?? []), key].sort() };
  await tx.query(`UPDATE _sluice_checkpoints SET position = $1 WHERE job_id = $2 AND stream = 'cdc'`, [JSON.stringify(pos), jobId]);
  const job2 = { ...job, tables: { include: ['items', 'order_lines', 'extra'], exclude: [] } };
  const h2 = controlled();
  const run2 = runCdc(taskInput(jobId, src, tgt, job2, spec), h2);
  await waitFor('restarted', async () => h2.logs.some((l) => l.includes('cdc: starting from')), 60_000);
  const load2 = writeInBackground(wl, 20);
  await ex.query("UPDATE extra SET v = 'while quarantined' WHERE id <= 20");
  await waitFor('quarantined reported', async () => stateOf(h2, key) === 'quarantined', 30_000);
  const writes3 = extraWriter(ex, ids);
  h2.control = { tables: job2.tables, resyncs: { [key]: 'uq1' } };
  await waitFor('un-quarantined and resynced', async () => eventOf(h2, 'table.resync_done'), 120_000);
  await writes3.stop();
  await load2.stop();
  await waitFor('extra exact after un-quarantine', async () => JSON.stringify(await extraRows(src)) === JSON.stringify(await extraRows(tgt)), 60_000, 300);
  await waitForSameRows(src, tgt, 60_000, 'workload tables to match at the end');
  await waitFor('extra reported streaming', async () => stateOf(h2, key) === 'streaming', 30_000);
  h2.controller.abort();
  await run2;
  await sx.close();
  await ex.close();
  await tx.close();
}

describe('live tables (add, resync, remove, un-quarantine) while the others stream', () => {
  it('MariaDB -> PG', () => pair('mysql'), 180_000);
  it('PG -> PG', () => pair('postgres'), 180_000);
});
