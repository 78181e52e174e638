/**
 * The column layout of every row event is the one the source had at that
 * position (issue 14 §3). On a private MariaDB with binlog_row_metadata=FULL
 * (test/services/mariadb.sh writes it), six ADD COLUMNs in quick succession
 * run while two writers insert: one fills every column that exists when it
 * writes, the other only the first two. Three run while the job streams, three
 * while it is stopped, so the resumed job reads them when INFORMATION_SCHEMA is
 * already ahead of the binlog (the issue's case). Every value names its own column, so
 * a row shifted by one column (the issue's `p=Q101, q=R101`) cannot match.
 * The target ends identical to the source, column by column.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCdc } from '../../agent/src/cdc';
import { preflightCdc } from '../../agent/src/cdc/preflight-for-job';
import { createDb, recordingHooks, taskInput, waitFor, type Db } from '../support/cdc-support';
import { execOn as exec, privateDb, privateMy, privateService } from '../support/private-sources';

const dbs: Db[] = [];
beforeAll(async () => {
  await privateService('mariadb', 'up');
  const c = await privateMy();
  const [r] = await c.query<import('mysql2/promise').RowDataPacket[]>('SELECT @@binlog_row_metadata AS m');
  await c.end();
  // An instance started before the script wrote FULL: start it again with the current my.cnf.
  if (String(r[0]?.m) !== 'FULL') {
    await privateService('mariadb', 'down');
    await privateService('mariadb', 'up');
  }
}, 180_000);
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
});

const COLS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

async function dump(db: Db, cols: string[]): Promise<string[]> {
  const x = await exec(db);
  try {
    const r = (await x.query(`SELECT id, ${cols.join(', ')} FROM t ORDER BY id`)) as { rows?: Record<string, unknown>[] } | Record<string, unknown>[];
    const rows = Array.isArray(r) ? r : (r.rows ?? []);
    return rows.map((row) => [row.id, ...cols.map((c) => row[c] ?? 'NULL')].join(' '));
  } finally {
    await x.close();
  }
}

describe('rapid successive ALTERs under writes (binlog_row_metadata=FULL)', () => {
  it('lands every row in the right columns', async () => {
    const src = await privateDb('mysql', 'layout_src');
    const tgt = await createDb('postgres', 'lc_layout_dst');
    dbs.push(src, tgt);
    const sx = await exec(src);
    await sx.query('CREATE TABLE t (id int PRIMARY KEY, s0 varchar(20) NOT NULL)');
    const tx = await exec(tgt);
    await tx.query('CREATE TABLE t (id int PRIMARY KEY, s0 varchar(20) NOT NULL)');
    await tx.close();

    const jobId = `lc_layout_${Date.now().toString(36)}`;
    const h = recordingHooks();
    const run = runCdc(taskInput(jobId, src, tgt, { mode: 'cdc' }, {}), h);
    await waitFor('streaming', async () => h.logs.some((l) => l.includes('cdc: starting')), 30_000);
    const checks = h.events.find((e) => e.type === 'cdc.preflight')?.data?.checks as { name: string; ok: boolean }[];
    expect(checks.find((c) => c.name === 'binlog_row_metadata')).toMatchObject({ ok: true });

    // Writers: a background one fills only id and s0, as fast as it can; the foreground runs ADD COLUMN
    // after ADD COLUMN, each followed at once by rows that fill every column existing then.
    let id = 0;
    let bg = 100_000;
    const present = ['s0'];
    const alterUnderWrites = async (cols: string[]) => {
      let writing = true;
      const bx = await exec(src);
      const background = (async () => {
        while (writing) {
          bg++;
          await bx.query(`INSERT INTO t (id, s0) VALUES (${bg}, 's0-${bg}')`);
        }
      })();
      for (const col of cols) {
        await sx.query(`ALTER TABLE t ADD COLUMN ${col} varchar(20) AFTER id`); // not at the end: a stale layout shifts values
        present.push(col);
        for (let i = 0; i < 3; i++) {
          id++;
          await sx.query(`INSERT INTO t (id, ${present.join(', ')}) VALUES (${id}, ${present.map((c) => `'${c}-${id}'`).join(', ')})`);
        }
      }
      writing = false;
      await background;
      await bx.close();
    };
    // While the job streams...
    await alterUnderWrites(COLS.slice(0, 3));
    await waitFor('the live part', async () => (await dump(tgt, ['s0', 'c1', 'c2', 'c3']).catch(() => [])).length === id + (bg - 100_000), 60_000, 300);
    h.controller.abort();
    await run;
    // ...and while it is stopped: it then reads these events when INFORMATION_SCHEMA already has every column.
    await alterUnderWrites(COLS.slice(3));
    await sx.close();
    const h2 = recordingHooks();
    const run2 = runCdc(taskInput(jobId, src, tgt, { mode: 'cdc' }, {}), h2);

    const expected = await dump(src, ['s0', ...COLS]);
    expect(expected.length).toBe(id + (bg - 100_000));
    expect(expected[0]).toBe('1 s0-1 c1-1 NULL NULL NULL NULL NULL');
    await waitFor(
      'the target to match the source, column by column',
      async () => JSON.stringify(await dump(tgt, ['s0', ...COLS]).catch(() => [])) === JSON.stringify(expected),
      60_000,
      500,
    );
    expect([...h.events, ...h2.events].filter((e) => /quarantine/.test(e.type))).toEqual([]);
    h2.controller.abort();
    await run2;
  }, 180_000);

  it('without binlog_row_metadata=FULL the preflight fails, with the fix, and the job does not start', async () => {
    const src = await privateDb('mysql', 'layout_pre');
    const tgt = await createDb('postgres', 'lc_layout_pre_dst');
    dbs.push(src, tgt);
    for (const db of [src, tgt]) {
      const x = await exec(db);
      await x.query('CREATE TABLE t (id int PRIMARY KEY)');
      await x.close();
    }
    const admin = await privateMy();
    await admin.query("SET GLOBAL binlog_row_metadata = 'NO_LOG'");
    try {
      const meta = (await preflightCdc(src.conn)).find((c) => c.name === 'binlog_row_metadata');
      expect(meta).toMatchObject({
        ok: false,
        severity: 'error',
        message: expect.stringMatching(/NO_LOG; CDC needs FULL/),
        fixSql: expect.stringContaining("SET GLOBAL binlog_row_metadata = 'FULL'"),
      });
      await expect(runCdc(taskInput(`lc_pre_${Date.now().toString(36)}`, src, tgt, { mode: 'cdc' }, {}), recordingHooks())).rejects.toMatchObject({
        code: 'CDC_PREFLIGHT',
        message: expect.stringContaining('binlog_row_metadata'),
      });
    } finally {
      await admin.query("SET GLOBAL binlog_row_metadata = 'FULL'");
      await admin.end();
    }
  }, 60_000);
});
