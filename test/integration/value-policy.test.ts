/**
 * Values the target can't hold (issue 15 item 4), in the directions that meet them: the type-torture
 * `specials` (NaN, ±Infinity, BC dates, ±infinity, a year after 9999; PG -> MySQL) and MySQL TIME
 * durations (MySQL -> PG), under each policy. Every such column is named at plan time (the dry run
 * included, timestamptz ±infinity too); dead-letter (the default) sends the rows to `_sluice_rejects`
 * and loads the rest; null and clamp store NULL / the nearest value and count them; fail stops naming
 * the column and says the table is left partly copied. Verification reports the rows the policy
 * explains as such, not as differences.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase, type MariaDatabase, type PgDatabase } from '../support/db-fixtures';
import { runEngineTask } from '../../agent/src/engine';
import type { VerifyResult } from '../../agent/src/verify';
import type { FullLoadResult } from '../../agent/src/engine/full-load';
import type { PlanReport } from '../../agent/src/engine/dry-run';
import type { Connection, JobSpecInput } from '../../agent/src/protocol';
import { job, memHooks, mysqlConnection, pgConnection, withMy, withPg } from '../conformance/helpers';
import { recordingHooks, waitFor } from '../support/cdc-support';
import { runCli } from '../support/agents-helpers';

let pgSrc: PgDatabase;
let mySrc: MariaDatabase;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  pgSrc = await createPgDatabase('cor_pol');
  mySrc = await createMariaDatabase('cor_pol');
  cleanup.push(pgSrc.drop, mySrc.drop);
  await withPg(pgSrc, async (c) => {
    await c.query('CREATE TABLE specials (id int PRIMARY KEY, r real, dp double precision, n numeric, d date, ts timestamp, tstz timestamptz)');
    await c.query(`INSERT INTO specials VALUES
      (1, 'NaN', 'Infinity', 'NaN', 'infinity', '-infinity', 'infinity'),
      (2, '-Infinity', '-0', '0.000000000000000000000001', '4713-01-01 BC', '0001-01-01 00:00:00', '294276-12-31 23:59:59.999999+00'),
      (3, 1.5, 2.5, '12.5', '2024-02-29', '2024-02-29 10:00:00', '2024-02-29 10:00:00+00')`);
  });
  await withMy(mySrc, async (c) => {
    await c.query("SET SESSION sql_mode = ''");
    await c.query('CREATE TABLE durations (id INT PRIMARY KEY, tm TIME(6), note VARCHAR(10))');
    await c.query(
      "INSERT INTO durations VALUES (1, '838:59:59', 'long'), (2, '-838:59:59', 'neg'), (3, '-00:00:01.5', 'neg small'), (4, '12:00:00.25', 'fine')",
    );
  });
});

afterAll(async () => {
  for (const f of cleanup) await f().catch(() => {});
});

function input(id: string, source: Connection, target: Connection, options: Record<string, unknown> = {}, mapping: JobSpecInput['mapping'] = {}) {
  return {
    jobId: id,
    runId: 'r1',
    taskId: 't1',
    kind: 'full' as const,
    job: job({ mode: 'full', options: { verifyAfterLoad: true, ...options }, mapping }),
    source,
    target,
    taskSpec: {},
  };
}

const warnings = (h: ReturnType<typeof memHooks>) => h.logs.filter((l) => l.level === 'warn').map((l) => l.message);

describe('PG -> MySQL: specials (NaN, ±Infinity, BC, ±infinity, year 294276)', () => {
  let dst: MariaDatabase;
  beforeAll(async () => {
    dst = await createMariaDatabase('cor_pol');
    cleanup.push(dst.drop);
  });
  const rows = () =>
    withMy(
      dst,
      async (c) =>
        (await c.query('SELECT id, r, dp, n, CAST(d AS CHAR) d, CAST(ts AS CHAR) ts, CAST(tstz AS CHAR) tstz FROM specials ORDER BY id'))[0] as Record<
          string,
          unknown
        >[],
    );

  it('the dry run names every column with its policy (timestamptz ±infinity included)', async () => {
    const h = memHooks();
    const r = (await runEngineTask({ ...input('cor-pol-dry', pgConnection(pgSrc), mysqlConnection(dst), { dryRun: true }) }, h)) as PlanReport;
    const t = r.tables.find((x) => x.table === 'specials')!;
    expect(t.outOfRange.map((o) => `${o.column}:${o.policy}`).sort()).toEqual([
      'd:dead-letter',
      'dp:dead-letter',
      'n:dead-letter',
      'r:dead-letter',
      'ts:dead-letter',
      'tstz:dead-letter',
    ]);
    expect(t.warnings.find((w) => w.startsWith('out of range: specials.tstz'))).toMatch(
      /out of range: specials\.tstz .*±infinity.*policy dead-letter: rows holding such values go to _sluice_rejects/,
    );
  });

  it('dead-letter (default): the rows go to _sluice_rejects with key, column, value and reason; the rest loads; verification says ok', async () => {
    const h = memHooks();
    const r = (await runEngineTask(input('cor-pol-dl', pgConnection(pgSrc), mysqlConnection(dst)), h)) as FullLoadResult & {
      load?: FullLoadResult;
      verify?: VerifyResult;
    };
    expect((await rows()).map((x) => x['id'])).toEqual([3]);
    const rejects = await withMy(
      dst,
      async (c) => (await c.query('SELECT source_table, row_key, column_name, value, reason, phase FROM _sluice_rejects ORDER BY row_key'))[0],
    );
    expect(rejects).toEqual([
      { source_table: 'public.specials', row_key: '{"id":"1"}', column_name: 'r', value: 'NaN', reason: 'NaN has no MySQL value', phase: 'load' },
      { source_table: 'public.specials', row_key: '{"id":"2"}', column_name: 'r', value: '-Infinity', reason: '-Infinity has no MySQL value', phase: 'load' },
    ]);
    expect(warnings(h).some((w) => /out of range: specials\.r \(policy dead-letter\): 2 row\(s\) sent to .*_sluice_rejects/.test(w))).toBe(true);
    const v = r.verify!.tables.find((t) => t.tableName === 'public.specials')!;
    expect({ status: v.status, byPolicy: v.rowsByPolicy, missing: v.rowsMissing }).toEqual({ status: 'ok', byPolicy: 2, missing: 0 });
  });

  it('null: NULLs, counted; clamp: the nearest storable values; verification ok for both', async () => {
    const h = memHooks();
    const r = (await runEngineTask(input('cor-pol-null', pgConnection(pgSrc), mysqlConnection(dst), { existingTable: 'truncate', outOfRange: 'null' }), h)) as {
      verify?: VerifyResult;
    };
    expect(await rows()).toEqual([
      { id: 1, r: null, dp: null, n: null, d: null, ts: null, tstz: null },
      { id: 2, r: null, dp: 0, n: '0.000000000000000000000001000000', d: null, ts: '0001-01-01 00:00:00.000000', tstz: null },
      { id: 3, r: 1.5, dp: 2.5, n: '12.500000000000000000000000000000', d: '2024-02-29', ts: '2024-02-29 10:00:00.000000', tstz: '2024-02-29 10:00:00.000000' },
    ]);
    expect(warnings(h).some((w) => /out of range: specials\.d \(policy null\): 2 value\(s\) stored as NULL/.test(w))).toBe(true);
    expect(r.verify!.tables[0]).toMatchObject({ status: 'ok', rowsByPolicy: 2 });

    const h2 = memHooks();
    const r2 = (await runEngineTask(
      input('cor-pol-clamp', pgConnection(pgSrc), mysqlConnection(dst), { existingTable: 'truncate', outOfRange: 'clamp' }),
      h2,
    )) as {
      verify?: VerifyResult;
    };
    const got = (await rows()) as Record<string, unknown>[];
    expect(got.slice(0, 2)).toEqual([
      { id: 1, r: null, dp: 1.7976931348623157e308, n: null, d: '9999-12-31', ts: '0001-01-01 00:00:00.000000', tstz: '9999-12-31 23:59:59.999999' },
      {
        id: 2,
        r: -3.40282e38,
        dp: 0,
        n: '0.000000000000000000000001000000',
        d: '0001-01-01',
        ts: '0001-01-01 00:00:00.000000',
        tstz: '9999-12-31 23:59:59.999999',
      },
    ]);
    expect(warnings(h2).some((w) => /out of range: specials\.tstz \(policy clamp\): 2 value\(s\) clamped/.test(w))).toBe(true);
    expect(r2.verify!.tables[0]).toMatchObject({ status: 'ok', rowsByPolicy: 2 });
  });

  it('fail: the load stops naming the table, column and value, and says the table is left partly copied', async () => {
    const e = await runEngineTask(
      input('cor-pol-fail', pgConnection(pgSrc), mysqlConnection(dst), { existingTable: 'truncate', outOfRange: 'fail' }),
      memHooks(),
    ).then(
      () => null,
      (x: unknown) => x as { code: string; message: string; fix: string; column: string },
    );
    expect(e).toMatchObject({ code: 'VALUE_OUT_OF_RANGE', column: 'r' });
    expect(e!.message).toMatch(/specials\.r: (NaN|-Infinity) has no MySQL value/);
    expect(e!.fix).toMatch(/left partly copied/);
  });
});

describe('MySQL -> PG: TIME durations', () => {
  let dst: PgDatabase;
  beforeAll(async () => {
    dst = await createPgDatabase('cor_pol');
    cleanup.push(dst.drop);
  });
  const rows = () => withPg(dst, async (c) => (await c.query('SELECT id, tm::text AS tm FROM durations ORDER BY id')).rows);

  it('per column: clamp to 00:00:00 / 24:00:00; job default dead-letter elsewhere', async () => {
    const h = memHooks();
    const r = (await runEngineTask(input('cor-pol-my', mysqlConnection(mySrc), pgConnection(dst), {}, { durations: { outOfRange: { tm: 'clamp' } } }), h)) as {
      verify?: VerifyResult;
    };
    expect(await rows()).toEqual([
      { id: 1, tm: '24:00:00' },
      { id: 2, tm: '00:00:00' },
      { id: 3, tm: '00:00:00' },
      { id: 4, tm: '12:00:00.25' },
    ]);
    expect(
      warnings(h).some((w) =>
        /out of range: durations\.tm time\(6\) -> time\(6\) without time zone: TIME values outside 00:00:00\.\.24:00:00.*policy clamp/.test(w),
      ),
    ).toBe(true);
    expect(r.verify!.tables[0]).toMatchObject({ status: 'ok', rowsByPolicy: 3 });
  });

  it('dead-letter: three rows to _sluice_rejects, one loaded', async () => {
    const r = (await runEngineTask(input('cor-pol-my2', mysqlConnection(mySrc), pgConnection(dst), { existingTable: 'truncate' }), memHooks())) as {
      verify?: VerifyResult;
    };
    expect(await rows()).toEqual([{ id: 4, tm: '12:00:00.25' }]);
    const rej = await withPg(
      dst,
      async (c) => (await c.query(`SELECT row_key, value FROM _sluice_rejects WHERE job_id = 'cor-pol-my2' ORDER BY row_key`)).rows,
    );
    expect(rej).toEqual([
      { row_key: '{"id":"1"}', value: '838:59:59.000000' },
      { row_key: '{"id":"2"}', value: '-838:59:59.000000' },
      { row_key: '{"id":"3"}', value: '-00:00:01.500000' },
    ]);
    expect(r.verify!.tables[0]).toMatchObject({ status: 'ok', rowsByPolicy: 3 });
  });
});

describe('MySQL -> PG during CDC: the policy applies to changes too', () => {
  it('a changed row with a TIME PG cannot hold goes to _sluice_rejects (an update removes the old row); a clamped column is clamped', async () => {
    const src = await createMariaDatabase('cor_polc');
    const dst = await createPgDatabase('cor_polc');
    cleanup.push(src.drop, dst.drop);
    await withMy(src, async (c) => {
      await c.query('CREATE TABLE shifts (id INT PRIMARY KEY, tm TIME(6), tc TIME(6))');
      await c.query("INSERT INTO shifts VALUES (1, '10:00:00', '11:00:00')");
    });
    const jobId = `cor_polc_${Date.now().toString(36)}`;
    const hooks = recordingHooks();
    const running = runEngineTask(
      {
        jobId,
        runId: 'r',
        taskId: 't',
        kind: 'full_cdc',
        job: job({ mode: 'full_cdc', options: { verifyAfterLoad: false }, mapping: { shifts: { outOfRange: { tc: 'clamp' } } } }),
        source: mysqlConnection(src),
        target: pgConnection(dst),
        taskSpec: { heartbeatMs: 500 },
      },
      hooks,
    );
    let failure: Error | null = null;
    running.catch((e: Error) => {
      failure = e;
    });
    const target = () => withPg(dst, async (c) => (await c.query('SELECT id, tm::text AS tm, tc::text AS tc FROM shifts ORDER BY id')).rows);
    try {
      await waitFor(
        'CDC to start',
        async () => hooks.progressReports.some((p) => p.phase === 'cdc') || hooks.logs.some((l) => l.includes('cdc: starting')),
        60_000,
        100,
      );
      await withMy(src, async (c) => {
        await c.query("INSERT INTO shifts VALUES (2, '-838:59:59', '01:00:00'), (3, '12:00:00', '30:00:00')");
        await c.query("UPDATE shifts SET tm = '100:00:00' WHERE id = 1");
        await c.query("INSERT INTO shifts VALUES (4, '13:00:00', '14:00:00')");
      });
      await waitFor(
        'the changes through CDC',
        async () => {
          if (failure) throw new Error(`the CDC task failed: ${(failure as Error).message}`);
          return (await target()).some((r: { id: number }) => r.id === 4);
        },
        60_000,
        300,
      );
      expect(await target()).toEqual([
        { id: 3, tm: '12:00:00', tc: '24:00:00' },
        { id: 4, tm: '13:00:00', tc: '14:00:00' },
      ]);
      const rejects = await withPg(
        dst,
        async (c) => (await c.query(`SELECT row_key, column_name, value, phase FROM _sluice_rejects WHERE job_id = $1 ORDER BY row_key`, [jobId])).rows,
      );
      expect(rejects).toEqual([
        { row_key: '{"id":"1"}', column_name: 'tm', value: '100:00:00.000000', phase: 'cdc' },
        { row_key: '{"id":"2"}', column_name: 'tm', value: '-838:59:59.000000', phase: 'cdc' },
      ]);
      expect(hooks.events.some((e) => e.type === 'values.outOfRange')).toBe(true);
    } finally {
      hooks.controller.abort();
      await running.catch(() => undefined);
    }
  }, 120_000);
});

describe('the CLI', () => {
  it('--out-of-range sets the job-wide policy (a bad value is a usage error); the summary and the receipt carry the counts', async () => {
    const dst = await createPgDatabase('cor_polcli');
    cleanup.push(dst.drop);
    const dir = mkdtempSync(path.join(tmpdir(), 'sluice-policies-cli-'));
    const file = path.join(dir, 'durations.json');
    writeFileSync(file, JSON.stringify({ mode: 'full', tables: { include: ['durations'], exclude: [] }, options: { verifyAfterLoad: true } }));
    const urls = [
      '--source',
      `mysql://${mySrc.user}@${mySrc.host}:${mySrc.port}/${mySrc.database}`,
      '--target',
      `postgres://${dst.user}@${dst.host}:${dst.port}/${dst.database}?schema=public`,
    ];
    const creds = ['--credentials', path.join(dir, 'no-agent.json'), '--state-file', path.join(dir, 'state.json')];
    const bad = await runCli(['run', '--spec', file, ...urls, ...creds, '--out-of-range', 'drop']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--out-of-range drop: use one of dead-letter, fail, null, clamp/);
    const r = await runCli(['run', '--spec', file, ...urls, ...creds, '--out-of-range', 'null'], {}, 120_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/out of range: durations\.tm \(policy null\): 3 value\(s\) stored as NULL/);
    expect(await withPg(dst, async (c) => (await c.query('SELECT count(*)::int AS n, count(tm)::int AS t FROM durations')).rows[0])).toEqual({ n: 4, t: 1 });
    const receipt = JSON.parse(readFileSync(path.join(dir, 'durations.receipt.json'), 'utf8')) as {
      body: { plan: { tables: { outOfRange?: unknown }[] }; load: { outOfRange: unknown[]; rejects: number } };
    };
    expect(receipt.body.plan.tables[0]!.outOfRange).toEqual([{ column: 'tm', policy: 'null' }]);
    expect(receipt.body.load).toMatchObject({ rejects: 0, outOfRange: [{ table: `${mySrc.database}.durations`, column: 'tm', policy: 'null', nulled: 3 }] });
  }, 150_000);
});
