/**
 * Type torture: one table holding every type, NULLs, unicode + emoji, zero
 * dates, extreme values, json, blobs, enum/set and bit, copied in all four
 * directions and compared by an independent checker (test/conformance/checker.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase, type MariaDatabase, type PgDatabase } from '../support/db-fixtures';
import { runEngineTask } from '../../agent/src/engine';
import { job, memHooks, mysqlConnection, pgConnection, withMy, withPg } from '../conformance/helpers';
import { compareTables, type CheckCol, type Side } from '../conformance/checker';
import { MY_DDL, MY_ROWS_BASE, MY_TO_MY_TAIL, MY_TO_PG_TAIL, PG_DDL, PG_ROWS, myCols, mySide, pgSide, pgToMyCols, pgToPgCols } from '../support/type-torture';

const MY_ROWS = [
  ...MY_ROWS_BASE,
  `INSERT INTO torture (id, d, dt, fl, db) VALUES (6, '2020-00-15', '2020-05-00 10:00:00', 16777217, 0.1)`,
  `INSERT INTO torture (id, fl) VALUES (7, 1.2345678)`,
];

// FLOAT read as DOUBLE on both sides: the exact float32 value, not MySQL's 6-digit display
const MY_COLS: CheckCol[] = myCols({ name: 'fl', kind: 'f64', src: 'CAST(fl AS DOUBLE)' });

/** MySQL -> PG: expressions on the PG side and the documented conversions. */
function myToPgCols(): CheckCol[] {
  return [...MY_COLS.map((c) => (c.name === 'fl' ? { ...c, dst: 'fl::float8::text' } : c)), ...MY_TO_PG_TAIL];
}

function myToMyCols(): CheckCol[] {
  return [...MY_COLS.map((c) => (c.name === 'fl' ? { ...c, dst: 'CAST(fl AS DOUBLE)' } : c)), ...MY_TO_MY_TAIL];
}

let mySrc: MariaDatabase;
let pgSrc: PgDatabase;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  mySrc = await createMariaDatabase('h3_tt');
  pgSrc = await createPgDatabase('h3_tt');
  cleanup.push(mySrc.drop, pgSrc.drop);
  await withMy(mySrc, async (c) => {
    await c.query("SET SESSION sql_mode = ''");
    await c.query(MY_DDL);
    for (const r of MY_ROWS) await c.query(r);
  });
  await withPg(pgSrc, async (c) => {
    for (const s of [...PG_DDL, ...PG_ROWS]) await c.query(s);
  });
});

afterAll(async () => {
  for (const f of cleanup) await f().catch(() => {});
});

async function run(source: Parameters<typeof runEngineTask>[0]['source'], target: Parameters<typeof runEngineTask>[0]['target'], exclude: string[] = []) {
  const hooks = memHooks();
  const result = await runEngineTask(
    {
      jobId: 'tt',
      runId: 'r1',
      taskId: 't1',
      kind: 'full',
      job: job({ tables: { include: ['*'], exclude }, options: { chunkSize: 2 * 100, parallelism: 2 } }),
      source,
      target,
      taskSpec: {},
    },
    hooks,
  );
  return { result, hooks };
}

describe('engine type torture', () => {
  it('MySQL -> PostgreSQL', async () => {
    const dst = await createPgDatabase('h3_tt');
    cleanup.push(dst.drop);
    const { result, hooks } = await run(mysqlConnection(mySrc), pgConnection(dst));
    expect((result.load as { rows: number }).rows).toBe(7);
    // the rows travelled as bytes (TextRows) into COPY text, the exactness checked below
    expect((result.load as { tables: { wire: string[] }[] }).tables.map((t) => t.wire)).toEqual([['text-rows']]);
    // lossy mappings are reported at plan time
    const warns = hooks.logs
      .filter((l) => l.level === 'warn')
      .map((l) => l.message)
      .join('\n');
    expect(warns).toMatch(/biu bigint\(20\) unsigned -> numeric\(20,0\)/);
    expect(warns).toMatch(/zero datetimes become NULL/);
    const rep = await compareTables(mySide(mySrc), pgSide(dst), myToPgCols());
    expect(rep.mismatches).toEqual([]);
    expect(rep.targetRows).toBe(7);
    // identity set past the max
    const next = await withPg(dst, (c) => c.query<{ id: string }>(`INSERT INTO torture (ti) VALUES (1) RETURNING id::text`));
    expect(Number(next.rows[0]!.id)).toBeGreaterThan(6);
  });

  it('MySQL -> MySQL (TIME durations, zero dates kept)', async () => {
    await withMy(mySrc, async (c) => {
      await c.query('CREATE TABLE durations (id INT PRIMARY KEY, tm TIME(6), d DATE)');
      await c
        .query("INSERT INTO durations VALUES (1, '838:59:59', '0000-00-00'), (2, '-838:59:59.000001', NULL), (3, '-00:00:01.5', '2000-01-01')")
        .catch(async () => {
          await c.query("SET SESSION sql_mode = ''");
          await c.query("INSERT INTO durations VALUES (1, '838:59:59', '0000-00-00'), (2, '-838:59:59.000000', NULL), (3, '-00:00:01.5', '2000-01-01')");
        });
    });
    const dst = await createMariaDatabase('h3_tt');
    cleanup.push(dst.drop);
    try {
      await run(mysqlConnection(mySrc), mysqlConnection(dst));
      const rep = await compareTables(mySide(mySrc), mySide(dst), myToMyCols());
      expect(rep.mismatches).toEqual([]);
      expect(rep.targetRows).toBe(7);
      const rep2 = await compareTables(mySide(mySrc, 'durations'), mySide(dst, 'durations'), [
        { name: 'tm', kind: 'text' },
        { name: 'd', kind: 'text' },
      ]);
      expect(rep2.mismatches).toEqual([]);
      expect(rep2.targetRows).toBe(3);
    } finally {
      await withMy(mySrc, (c) => c.query('DROP TABLE durations'));
    }
  });

  it('PostgreSQL -> MySQL', async () => {
    const dst = await createMariaDatabase('h3_tt');
    cleanup.push(dst.drop);
    const { hooks } = await run(pgConnection(pgSrc), mysqlConnection(dst), ['specials']);
    const warns = hooks.logs
      .filter((l) => l.level === 'warn')
      .map((l) => l.message)
      .join('\n');
    expect(warns).toMatch(/tstz timestamp\(6\) with time zone -> DATETIME\(6\)/);
    const rep = await compareTables(pgSide(pgSrc), mySide(dst), pgToMyCols());
    expect(rep.mismatches).toEqual([]);
    expect(rep.targetRows).toBe(4);
  });

  it('PostgreSQL -> PostgreSQL (including NaN, infinities, BC dates)', async () => {
    const dst = await createPgDatabase('h3_tt');
    cleanup.push(dst.drop);
    await run(pgConnection(pgSrc), pgConnection(dst));
    const rep = await compareTables(pgSide(pgSrc), pgSide(dst), pgToPgCols());
    expect(rep.mismatches).toEqual([]);
    expect(rep.targetRows).toBe(4);
    const special = ['r', 'dp', 'n', 'd', 'ts', 'tstz'].map((name) => ({ name, kind: 'text' as const }));
    const rep2 = await compareTables(pgSide(pgSrc, 'specials'), pgSide(dst, 'specials'), special);
    expect(rep2.mismatches).toEqual([]);
    expect(rep2.targetRows).toBe(2);
  });
});
