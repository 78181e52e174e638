/**
 * CDC type torture: the engine's torture table (every type, NULLs, unicode,
 * zero dates, extremes, json, blobs, enum/set, bit) written to the source AFTER
 * the snapshot, so every value travels through CDC (binlog / pgoutput decoding,
 * the engine's converters, the CDC appliers), in all four directions, compared
 * by the independent checker (test/conformance/checker.ts). An update of every
 * row follows, then the comparison again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase, type MariaDatabase, type PgDatabase } from '../support/db-fixtures';
import { runEngineTask } from '../../agent/src/engine';
import { cleanupPgCdc } from '../../agent/src/cdc/pg-logical';
import { job, mysqlConnection, pgConnection, withMy, withPg } from '../conformance/helpers';
import { compareTables, type CheckCol, type Side } from '../conformance/checker';
import { MY_DDL, MY_ROWS_BASE, MY_TO_MY_TAIL, MY_TO_PG_TAIL, PG_DDL, PG_ROWS, myCols, mySide, pgSide, pgToMyCols, pgToPgCols } from '../support/type-torture';
import { recordingHooks, waitFor } from '../support/cdc-support';

// Table definitions and column checks: shared with engine-type-torture.test.ts (test/support/type-torture.ts).
const MY_ROWS = [...MY_ROWS_BASE, `INSERT INTO torture (id, d, dt) VALUES (6, '2020-00-15', '2020-05-00 10:00:00')`];

const MY_COLS: CheckCol[] = myCols({ name: 'fl', kind: 'f32' });

/** MySQL -> PG: expressions on the PG side and the documented conversions. */
function myToPgCols(): CheckCol[] {
  return [...MY_COLS, ...MY_TO_PG_TAIL];
}

function myToMyCols(): CheckCol[] {
  return [...MY_COLS, ...MY_TO_MY_TAIL];
}

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => {});
});

type Dir = 'my' | 'pg';

async function makeSource(kind: Dir): Promise<{ side: Side; conn: Parameters<typeof runEngineTask>[0]['source']; write: (sql: string[]) => Promise<void> }> {
  if (kind === 'my') {
    const db = await createMariaDatabase('h6_tt');
    cleanup.push(db.drop);
    await withMy(db, async (c) => {
      await c.query(MY_DDL);
    });
    return {
      side: mySide(db),
      conn: mysqlConnection(db),
      write: (sql) =>
        withMy(db, async (c) => {
          await c.query("SET SESSION sql_mode = ''");
          for (const s of sql) await c.query(s);
        }),
    };
  }
  const db = await createPgDatabase('h6_tt');
  cleanup.push(db.drop);
  await withPg(db, async (c) => {
    for (const s of PG_DDL) await c.query(s);
  });
  return {
    side: pgSide(db),
    conn: pgConnection(db),
    write: (sql) =>
      withPg(db, async (c) => {
        for (const s of sql) await c.query(s);
      }),
  };
}

async function makeTarget(kind: Dir): Promise<{ side: Side; conn: Parameters<typeof runEngineTask>[0]['source'] }> {
  if (kind === 'my') {
    const db = await createMariaDatabase('h6_tt');
    cleanup.push(db.drop);
    return { side: mySide(db), conn: mysqlConnection(db) };
  }
  const db = await createPgDatabase('h6_tt');
  cleanup.push(db.drop);
  return { side: pgSide(db), conn: pgConnection(db) };
}

const cases: { from: Dir; to: Dir; cols: () => CheckCol[]; rows: string[]; update: string; n: number }[] = [
  { from: 'my', to: 'pg', cols: myToPgCols, rows: MY_ROWS, update: "UPDATE torture SET vc = CONCAT(COALESCE(vc, ''), '+')", n: 6 },
  { from: 'my', to: 'my', cols: myToMyCols, rows: MY_ROWS, update: "UPDATE torture SET vc = CONCAT(COALESCE(vc, ''), '+')", n: 6 },
  {
    from: 'pg',
    to: 'my',
    cols: pgToMyCols,
    rows: PG_ROWS.filter((r) => !/specials|setval/.test(r)),
    update: "UPDATE torture SET vc = COALESCE(vc, '') || '+'",
    n: 4,
  },
  {
    from: 'pg',
    to: 'pg',
    cols: pgToPgCols,
    rows: PG_ROWS.filter((r) => !/specials|setval/.test(r)),
    update: "UPDATE torture SET vc = COALESCE(vc, '') || '+'",
    n: 4,
  },
];

describe.each(cases)('CDC type torture $from -> $to', ({ from, to, cols, rows, update, n }) => {
  it('every value written during CDC lands as the snapshot would have written it', async () => {
    const src = await makeSource(from);
    const tgt = await makeTarget(to);
    const jobId = `h6_tt_${from}${to}_${Date.now().toString(36)}`;
    const hooks = recordingHooks();
    const running = runEngineTask(
      {
        jobId,
        runId: 'r',
        taskId: 't',
        kind: 'full_cdc',
        job: job({ mode: 'full_cdc', options: { verifyAfterLoad: false } }),
        source: src.conn,
        target: tgt.conn,
        taskSpec: { heartbeatMs: 500 },
      },
      hooks,
    );
    let failure: Error | null = null;
    running.catch((e: Error) => {
      failure = e;
    });
    const alive = async () => {
      if (failure) throw new Error(`the CDC task failed: ${(failure as Error).message}`);
    };
    try {
      await waitFor(
        'CDC to start',
        async () => hooks.progressReports.some((p) => p.phase === 'cdc') || hooks.logs.some((l) => l.includes('cdc: starting')),
        60_000,
        100,
      );
      await src.write(rows);
      await waitFor(
        'all rows through CDC',
        async () => {
          await alive();
          return (await compareTables(src.side, tgt.side, cols())).targetRows === n;
        },
        60_000,
        300,
      );
      const rep = await compareTables(src.side, tgt.side, cols());
      expect(rep.mismatches).toEqual([]);
      await src.write([update]);
      let last = rep;
      await waitFor(
        'updates through CDC',
        async () => {
          last = await compareTables(src.side, tgt.side, cols());
          return last.mismatches.length === 0;
        },
        30_000,
        300,
      ).catch(() => undefined);
      expect(last.mismatches).toEqual([]);
      expect(last.targetRows).toBe(n);
      expect(hooks.events.filter((e) => e.type === 'table.quarantined')).toEqual([]);
    } finally {
      hooks.controller.abort();
      await running.catch(() => undefined);
      if (from === 'pg' && src.conn.kind === 'postgres') {
        const slot = `sluice_${jobId}`;
        await cleanupPgCdc(src.conn, { slot, publication: slot }).catch(() => undefined);
      }
    }
  });
});
