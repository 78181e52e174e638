/**
 * Unchanged TOAST columns (PG source: not sent) replayed onto a target that is AHEAD of the stream: a snapshot read
 * after T0 (a resumed full_cdc snapshot, a live snapshot) holds rows where later events put them.
 * - A row moves key twice in one batch (1 -> 2 -> 3) and the target holds it at its middle key 2: the applier must take
 *   the column from key 2; looking only at the first key (1) lost the whole row on a PG target (an UPDATE of a row that
 *   is not there) and left NULL in it on a MySQL target: seen as a lost row in cdc-kill-resume's "interrupted during
 *   the snapshot" test under load.
 * - The target holds the row at none of its keys: the applier upserts the source's current row at its (new) key
 *   (cdc/current-rows.ts), or skips it when the source has no row there any more (its DELETE follows in the stream).
 *   Before: PG target dropped the update silently, MySQL target wrote NULL in the unsent column.
 * - End to end (a CDC job, PG source, `big text NOT NULL`): the target lacks rows whose small columns change. Before:
 *   the PG target never got them; MariaDB refused even the update of a row it held ("Field 'big' doesn't have a default
 *   value": an INSERT ... ON DUPLICATE KEY UPDATE of the sent columns) and the table was quarantined.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCdc } from '../../agent/src/cdc';
import { PgApplier } from '../../agent/src/cdc/apply-pg';
import { MysqlApplier } from '../../agent/src/cdc/apply-mysql';
import type { Applier, ResolvedPlan } from '../../agent/src/cdc/applier';
import type { MysqlConnection, PgConnection } from '../../agent/src/cdc/connections';
import { attachCurrentRows } from '../../agent/src/cdc/current-rows';
import { pgCurrentRows } from '../../agent/src/cdc/pg-current-rows';
import { reduceChanges } from '../../agent/src/cdc/reduce';
import type { CdcRow, Change } from '../../agent/src/cdc/types';
import { createDb, exec, recordingHooks, taskInput, waitFor, type Db, type Exec, type Kind } from '../support/cdc-support';

const dbs: Db[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
});

const BIG = 'x'.repeat(3000);

/** The batch as the CDC loop hands it to the applier (no renames: target names = source names). */
function plan(changes: Change[], source?: Db, asked: string[] = []): ResolvedPlan {
  const reduced = reduceChanges(changes, () => ['id']).get('public.t')!;
  const rp: ResolvedPlan = { table: 't', keyColumns: ['id'], truncate: false, deletes: [], upserts: [] };
  const sourceRows = new Map<CdcRow, { row: CdcRow; unchanged: string[] }>();
  for (const a of reduced.actions.values()) {
    if (a.kind === 'delete') rp.deletes.push(a.key);
    else {
      const row = { ...a.row };
      if (a.unchanged) sourceRows.set(row, { row: a.row, unchanged: a.unchanged });
      rp.upserts.push({
        row,
        ...(a.unchanged ? { unchanged: a.unchanged } : {}),
        ...(a.fromKey ? { fromKey: a.fromKey } : {}),
        ...(a.viaKeys ? { viaKeys: a.viaKeys } : {}),
      });
    }
  }
  const currentRows = (t: string, keys: CdcRow[], cols: string[]) => {
    asked.push(...keys.map((k) => String(k.id)));
    return pgCurrentRows(source!.conn as PgConnection, t, keys, cols);
  };
  if (source) attachCurrentRows(rp, { currentRows }, 'public.t', ['id'], sourceRows, (r) => r);
  return rp;
}

async function rows(x: Exec): Promise<string[]> {
  const r = (await x.query('SELECT id, v, length(big) AS n FROM t ORDER BY id')) as { rows?: unknown[] } | unknown[];
  return (Array.isArray(r) ? r : r.rows!).map((row) =>
    Object.values(row as object)
      .map(String)
      .join('|'),
  );
}

const upd = (from: string, to: string, v: string): Change => ({
  op: 'update',
  table: 'public.t',
  before: { id: from },
  after: { id: to, v },
  unchanged: ['big'],
});

describe.each(['postgres', 'mysql'] as Kind[])('unchanged TOAST, target ahead of the stream -> %s', (kind) => {
  async function withTarget(seed: string, run: (applier: Applier, x: Exec) => Promise<void>, big = 'text'): Promise<void> {
    const tgt = await createDb(kind, 'tmove');
    dbs.push(tgt);
    const x = await exec(tgt);
    await x.query(`CREATE TABLE t (id bigint PRIMARY KEY, v varchar(20), big ${big})`);
    await x.query(`INSERT INTO t (id, v, big) VALUES ${seed}`, [BIG]);
    const applier: Applier = kind === 'postgres' ? new PgApplier(tgt.conn as PgConnection) : new MysqlApplier(tgt.conn as MysqlConnection);
    await applier.init();
    try {
      await run(applier, x);
    } finally {
      await applier.close();
      await x.close();
    }
  }

  it('takes the unchanged column from the key the target holds the row at', async () => {
    // the snapshot read after the first move: the row at key 2; key 9 is a row the stream does not touch
    await withTarget(`(2, 'b', $1), (9, 'z', 'other')`, async (applier, x) => {
      await applier.apply([plan([upd('1', '2', 'b'), upd('2', '3', 'c')])], null);
      expect(await rows(x)).toEqual(['3|c|3000', '9|z|5']);
    });
  });

  it('upserts the source row when the target holds it at none of its keys, and skips a row the source no longer has', async () => {
    const src = await createDb('postgres', 'tsrc');
    dbs.push(src);
    const s = await exec(src);
    await s.query(`CREATE TABLE t (id bigint PRIMARY KEY, v varchar(20), big text)`);
    // the source now: the moved row at 3, the updated row 4 (v changed again later: that event follows), no row 5
    await s.query(`INSERT INTO t (id, v, big) VALUES (3, 'c', $1), (4, 'd2', $1), (9, 'y', 'other')`, [BIG]);
    await s.close();
    // the target holds 9 (found: only v is written, no source read for it) and none of 1, 2, 3, 4, 5;
    // big NOT NULL without default: MariaDB in strict mode refused an INSERT of the sent columns even for row 9
    await withTarget(
      `(9, 'z', 'other'), (100, 'pad', $1)`,
      async (applier, x) => {
        const changes = [upd('1', '2', 'b'), upd('2', '3', 'c'), upd('4', '4', 'd'), upd('5', '5', 'e'), upd('9', '9', 'y')];
        const asked: string[] = [];
        await applier.apply([plan(changes, src, asked)], null);
        expect(await rows(x)).toEqual(['3|c|3000', '4|d2|3000', '9|y|5', '100|pad|3000']);
        expect(asked.sort()).toEqual(['3', '4', '5']); // one source read, only for the rows the target did not hold
      },
      'text NOT NULL',
    );
  });
});

describe.each(['postgres', 'mysql'] as Kind[])('unchanged TOAST end to end, PG source -> %s target that lacks the rows', (kind) => {
  it('a CDC job writes the whole source row when only its small columns change', async () => {
    const src = await createDb('postgres', 'tfsrc');
    const tgt = await createDb(kind, 'tftgt');
    dbs.push(src, tgt);
    const ddl = `CREATE TABLE t (id bigint PRIMARY KEY, v varchar(20), big text NOT NULL)`;
    const sx = await exec(src);
    const tx = await exec(tgt);
    await sx.query(ddl);
    await tx.query(ddl);
    // 3,200 hex characters: not compressible enough, so PG stores `big` out of line and an update of `v` leaves it out
    await sx.query(
      `INSERT INTO t SELECT g, 'a', (SELECT string_agg(md5(g::text || '-' || i::text), '') FROM generate_series(1, 100) i) FROM generate_series(1, 3) g`,
    );
    const one = ((await sx.query(`SELECT big FROM t WHERE id = 1`)) as { rows: { big: string }[] }).rows[0]!.big;
    await tx.query(kind === 'postgres' ? `INSERT INTO t VALUES (1, 'a', $1)` : `INSERT INTO t VALUES (1, 'a', ?)`, [one]);
    const dump = async (x: Exec) => {
      const r = (await x.query('SELECT id, v, md5(big) AS h FROM t ORDER BY id')) as { rows?: unknown[] } | unknown[];
      return (Array.isArray(r) ? r : r.rows!).map((row) => Object.values(row as object).join('|'));
    };
    const h = recordingHooks();
    const running = runCdc(taskInput(`tf_${kind}_${Date.now().toString(36)}`, src, tgt, { mode: 'cdc' }, { heartbeatMs: 500 }), h);
    running.catch(() => undefined);
    try {
      await waitFor('streaming', async () => h.logs.some((l) => l.includes('cdc: starting')), 30_000);
      // the target lacks 2 (only v changes) and 3 (moves to 30 with only v sent): both come whole from the source
      await sx.query(`UPDATE t SET v = 'b' WHERE id IN (1, 2)`);
      await sx.query(`UPDATE t SET id = 30, v = 'c' WHERE id = 3`);
      const want = await dump(sx);
      expect(want).toHaveLength(3);
      await waitFor('target to match the source', async () => JSON.stringify(await dump(tx)) === JSON.stringify(want), 8_000).catch(async (e) => {
        throw new Error(`${(e as Error).message}: target ${JSON.stringify(await dump(tx))}; errors ${h.logs.filter((l) => /error|warn/i.test(l)).join(' / ')}`);
      });
    } finally {
      h.controller.abort();
      await running.catch(() => undefined);
      await sx.close();
      await tx.close();
    }
  });
});
