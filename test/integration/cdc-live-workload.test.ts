/**
 * Live workload across the T0 handoff: a random workload runs while the
 * snapshot is read and after it; CDC starts from T0 (captured before the
 * snapshot); after catch-up, source and target hold identical rows.
 * Real databases, every engine pair.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { capturePgStart, captureMysqlStart, copySnapshot, mysqlSnapshotRows, openPgSnapshotReader, pgSnapshotRows } from '../../agent/src/cdc/handoff';
import { cleanupPgCdc } from '../../agent/src/cdc/pg-logical';
import { runCdc } from '../../agent/src/cdc';
import { runEngineTask } from '../../agent/src/engine';
import { PgApplier } from '../../agent/src/cdc/apply-pg';
import { MysqlApplier } from '../../agent/src/cdc/apply-mysql';
import type { Applier } from '../../agent/src/cdc/applier';
import type { PgConnection, MysqlConnection } from '../../agent/src/cdc/connections';
import {
  createDb,
  diff,
  dumpTables,
  exec,
  recordingHooks,
  sourceTables,
  taskInput,
  waitFor,
  waitForSameRows,
  Workload,
  workloadDdl,
  workloadPair,
  writeInBackground,
  type Db,
  type Kind,
} from '../support/cdc-support';

const dbs: Db[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
});

const pairs: [Kind, Kind][] = [
  ['postgres', 'postgres'],
  ['mysql', 'postgres'],
  ['postgres', 'mysql'],
  ['mysql', 'mysql'],
];

describe.each(pairs)('CDC live workload %s -> %s', (srcKind, tgtKind) => {
  it('snapshot + CDC from T0 under a concurrent workload converges with no gap', async () => {
    const { src, tgt, sx } = await workloadPair(srcKind, tgtKind, 'src', 'tgt', dbs);
    const seed = 1000 + pairs.findIndex(([a, b]) => a === srcKind && b === tgtKind);
    const wl = new Workload(sx, seed);
    await wl.run(400);

    const tables = sourceTables(src);
    const jobId = `h6_live_${srcKind}_${tgtKind}_${Date.now().toString(36)}`;
    const slot = jobId.toLowerCase();
    const applier: Applier = tgtKind === 'postgres' ? new PgApplier(tgt.conn as PgConnection) : new MysqlApplier(tgt.conn as MysqlConnection);
    await applier.init();

    // T0 before any snapshot read, then the snapshot while the workload keeps writing.
    let t0: Record<string, unknown>;
    const snapTables = tables.map((t) => ({
      source: t,
      target: t.slice(t.indexOf('.') + 1),
      keyColumns: t.endsWith('.items') ? ['id'] : ['order_id', 'line'],
    }));
    if (srcKind === 'postgres') {
      const start = await capturePgStart(src.conn as PgConnection, { slot, publication: slot, tables });
      t0 = start.position;
      const reader = await openPgSnapshotReader(src.conn as PgConnection, start.snapshotName);
      await start.release();
      const writes = wl.run(300);
      await copySnapshot(pgSnapshotRows(reader), snapTables, applier, 50);
      await writes;
      await reader.query('COMMIT');
      await reader.end();
    } else {
      const start = await captureMysqlStart(src.conn as MysqlConnection, 1);
      t0 = start.position;
      const writes = wl.run(300);
      await copySnapshot(mysqlSnapshotRows(start.readers[0]!), snapTables, applier, 50);
      await writes;
      for (const r of start.readers) await r.end();
    }
    await applier.close();

    const hooks = recordingHooks();
    const input = taskInput(jobId, src, tgt, { mode: 'full_cdc' }, { cdcStart: t0, tables, slot, publication: slot, heartbeatMs: 500, progressEveryMs: 200 });
    const running = runCdc(input, hooks);
    running.catch(() => undefined);
    await wl.run(400);
    await sx.close();
    try {
      await waitForSameRows(src, tgt, 60_000).catch(async (e) => {
        const [a, b] = await Promise.all([dumpTables(src), dumpTables(tgt)]);
        const firstDiff = a.items.findIndex((r, i) => r !== b.items[i]);
        console.log('first differing item', firstDiff, a.items[firstDiff], '<>', b.items[firstDiff], a.items.length, b.items.length);
        const d1 = diff(a.items, b.items);
        const d2 = diff(a.lines, b.lines);
        throw new Error(
          `${(e as Error).message}: items missing ${d1.missing.length} extra ${d1.extra.length} ${JSON.stringify(d1).slice(0, 800)}; lines ${JSON.stringify(d2).slice(0, 400)}; logs ${hooks.logs.join(' / ')}`,
        );
      });
    } finally {
      hooks.controller.abort();
    }
    const result = await running;
    const [a, b] = await Promise.all([dumpTables(src), dumpTables(tgt)]);
    expect(b.items).toEqual(a.items);
    expect(b.lines).toEqual(a.lines);
    expect(a.items.length).toBeGreaterThan(100);
    expect(hooks.checkpoints.length).toBeGreaterThan(0);
    expect(Number(result.events)).toBeGreaterThan(100);
    const cdc = hooks.progressReports.at(-1)?.cdc;
    expect(cdc).toBeDefined();
    expect(cdc!.events).toBeGreaterThan(100);
    if (srcKind === 'postgres') await cleanupPgCdc(src.conn as PgConnection, { slot, publication: slot });
  });
});

describe.each(pairs)('full_cdc through the full-load engine %s -> %s', (srcKind, tgtKind) => {
  it('engine snapshot (T0 captured in plan) then CDC converges under a concurrent workload', async () => {
    const src = await createDb(srcKind, 'esrc');
    const tgt = await createDb(tgtKind, 'etgt');
    dbs.push(src, tgt);
    const sx = await exec(src);
    for (const s of workloadDdl(srcKind)) await sx.query(s);
    const seed = 2000 + pairs.findIndex(([a, b]) => a === srcKind && b === tgtKind);
    const wl = new Workload(sx, seed);
    await wl.bulk(6000);
    await wl.run(200);
    const jobId = `h6_eng_${srcKind}_${tgtKind}_${Date.now().toString(36)}`;
    const hooks = recordingHooks();
    const input = taskInput(
      jobId,
      src,
      tgt,
      { mode: 'full_cdc', options: { verifyAfterLoad: false, chunkSize: 1000, parallelism: 2 } },
      { heartbeatMs: 500, progressEveryMs: 200 },
    );
    const running = runEngineTask(input, hooks, { batchRows: 500 });
    running.catch(() => undefined);
    // Writes while the engine plans, snapshots and switches to CDC.
    const writer = writeInBackground(wl, 20);
    await waitFor('the snapshot to finish and CDC to start', async () => hooks.progressReports.some((p) => p.phase === 'cdc'), 90_000, 200);
    await writer.stop();
    await wl.run(300);
    await sx.close();
    try {
      await waitForSameRows(src, tgt, 60_000).catch(async (e) => {
        const [a, b] = await Promise.all([dumpTables(src), dumpTables(tgt)]);
        throw new Error(
          `${(e as Error).message}: items ${JSON.stringify(diff(a.items, b.items)).slice(0, 800)}; lines ${JSON.stringify(diff(a.lines, b.lines)).slice(0, 400)}`,
        );
      });
    } finally {
      hooks.controller.abort();
    }
    await running.catch((e: Error) => {
      if (!/abort/i.test(e.message)) throw e;
    });
    const start = hooks.checkpoints.find((c) => c.stream === 'cdc:start')?.position;
    expect(start).toBeDefined();
    expect(hooks.checkpoints.some((c) => c.stream === 'cdc')).toBe(true);
    const [a, b] = await Promise.all([dumpTables(src), dumpTables(tgt)]);
    expect(b.items).toEqual(a.items);
    expect(b.lines).toEqual(a.lines);
    expect(a.items.length).toBeGreaterThan(5000);
    if (srcKind === 'postgres') {
      expect(start!.slot).toBe(`sluice_${jobId}`);
      await cleanupPgCdc(src.conn as PgConnection, { slot: String(start!.slot), publication: String(start!.publication) });
    }
  });
});
