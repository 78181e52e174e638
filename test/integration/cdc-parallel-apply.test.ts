/**
 * Parallel CDC apply (issue 19 §2) under kill -9: the CDC task applies through 4 partitions
 * (options.applyPartitions) in a child process while a workload of multi-row transactions,
 * primary-key updates (some of rows with TOASTed columns, which apply serially), deletes and
 * composite keys writes to the source. The child is SIGKILLed at random moments and restarted;
 * every restart resumes from the earliest partition row. After the last one catches up, source
 * and target hold exactly the same rows, and the target holds one checkpoint row per partition.
 *
 * Default run: 1 kill per direction (CI budget). SLUICE_LONG=1: 8 kills per direction, bigger backlogs.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupPgCdc } from '../../agent/src/cdc/pg-logical';
import type { PgConnection } from '../../agent/src/cdc/connections';
import { exec, rng, sourceTables, taskInput, Workload, workloadPair, writeInBackground, type Db, type Exec, type Kind } from '../support/cdc-support';
import { captureCdcStart, childEnv, expectSameRows, killCdcChild, resumeUntilSame, startCdcChild } from '../support/cdc-child-process';

const LONG = process.env.SLUICE_LONG === '1';
const KILLS = LONG ? 8 : 1;
const PARTITIONS = 4;

const dbs: Db[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function checkpointRows(x: Exec, jobId: string): Promise<Map<string, string>> {
  const r = (await x.query('SELECT stream, position FROM _sluice_checkpoints WHERE job_id = $1', [jobId])) as
    { rows?: { stream: string; position: unknown }[] } | { stream: string; position: unknown }[];
  const rows = Array.isArray(r) ? r : (r.rows ?? []);
  return new Map(rows.map((row) => [row.stream, typeof row.position === 'string' ? row.position : JSON.stringify(row.position)]));
}

const pairs: [Kind, Kind][] = [
  ['mysql', 'postgres'],
  ['postgres', 'mysql'],
];

describe.each(pairs)('CDC with %d apply partitions, kill -9 and resume %s -> %s'.replace('%d', String(PARTITIONS)), (srcKind, tgtKind) => {
  it(`is exact after ${KILLS} SIGKILLs under multi-row transactions and key updates`, { timeout: 600_000 }, async () => {
    const { src, tgt, sx } = await workloadPair(srcKind, tgtKind, 'psrc', 'ptgt', dbs);
    const tables = sourceTables(src);
    const jobId = `pa_${srcKind}_${Date.now().toString(36)}`;
    const cdcStart = await captureCdcStart(src, jobId, tables);
    const input = taskInput(
      jobId,
      src,
      tgt,
      { mode: 'cdc', options: { applyPartitions: PARTITIONS } },
      { cdcStart, tables, slot: jobId, publication: jobId, heartbeatMs: 1000, batchMaxChanges: 2000 },
    );
    const env = childEnv(input, 'pa-kill-', dirs);

    const wl = new Workload(sx, 1900 + KILLS);
    await wl.bulk(2000);
    let writer = writeInBackground(wl, 10);
    const r = rng(19);
    const failures: string[] = [];
    const seen = new Set<string>();
    const probe = await exec(tgt);
    const streams = ['cdc', 'cdc@p1', 'cdc@p2', 'cdc@p3'];
    let maxApart = 0;
    let lastApart = 0;
    let killsApart = 0;
    for (let i = 0; i < KILLS; i++) {
      // A backlog for the next run to drain through its partitions: 500-row transactions plus the random workload.
      await writer.stop();
      await wl.bulk(LONG ? 6000 : 3000);
      writer = writeInBackground(wl, 10);
      const c = startCdcChild(env);
      await c.streaming;
      // The backlog written while no task ran drains through the partitions: once the first batch
      // committed (a row moved past the start position), sample the rows and kill at a random moment.
      const sample = async (): Promise<Map<string, string>> => {
        const rowsNow = await checkpointRows(probe, jobId);
        for (const s of rowsNow.keys()) seen.add(s);
        lastApart = new Set([...rowsNow].filter(([k]) => streams.includes(k)).map(([, v]) => v)).size;
        maxApart = Math.max(maxApart, lastApart);
        return rowsNow;
      };
      const atStart = (await sample()).get('cdc@p1');
      const applying = Date.now() + 30_000;
      while (Date.now() < applying && c.child.exitCode === null) {
        const now = await sample();
        if (now.get('cdc@p1') !== atStart || now.get('cdc') !== atStart) break;
      }
      const killAt = Date.now() + Math.floor(r() * (LONG ? 1500 : 400));
      while (Date.now() < killAt) await sample();
      if (lastApart > 1) killsApart++;
      await killCdcChild(c, i, failures);
    }
    await writer.stop();
    await wl.run(LONG ? 400 : 100);
    await sx.close();
    await resumeUntilSame(env, src, tgt, 90_000);
    expect(failures).toEqual([]);
    await expectSameRows(src, tgt);
    expect(wl.ops).toBeGreaterThan(100);
    // one checkpoint row per partition (partition 0 is the stream's own row), written while it ran
    expect([...(await checkpointRows(probe, jobId)).keys()].filter((s) => !s.startsWith('lease:')).sort()).toEqual(streams);
    expect([...seen].filter((s) => streams.includes(s)).sort()).toEqual(streams);
    // how far apart the partitions were seen (1: all at one position; up to 4): logged, not asserted (timing)
    process.stdout.write(
      `${srcKind} -> ${tgtKind}: partitions seen at up to ${maxApart} different positions at once; ${killsApart} of ${KILLS} kills right after a sample with the partitions apart\n`,
    );
    await probe.close();
    if (srcKind === 'postgres') await cleanupPgCdc(src.conn as PgConnection, { slot: jobId, publication: jobId });
  });
});
