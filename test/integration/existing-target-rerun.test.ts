/**
 * Existing targets (issue 15 item 5): rerunning a job into tables that already exist with
 * `existingTable: upsert` never duplicates a table without a key (it is emptied and loaded whole,
 * said in the plan and the log), and the plan says what happens to rows that exist only in the
 * target (kept, and verification reports them as extra; repair deletes them only with options.targetOnlyRows: delete).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase, type MariaDatabase, type PgDatabase } from '../support/db-fixtures';
import { runEngineTask } from '../../agent/src/engine';
import type { VerifyResult } from '../../agent/src/verify';
import { job, memHooks, mysqlConnection, pgConnection, withMy, withPg } from '../conformance/helpers';

let src: MariaDatabase;
let dst: PgDatabase;

beforeAll(async () => {
  src = await createMariaDatabase('cor_ext');
  dst = await createPgDatabase('cor_ext');
  await withMy(src, async (c) => {
    await c.query('CREATE TABLE nokey (x INT, y VARCHAR(10))');
    await c.query("INSERT INTO nokey VALUES (1, 'a'), (2, 'b'), (3, 'c'), (1, 'a'), (5, NULL), (NULL, 'z')");
    await c.query('CREATE TABLE keyed (id INT PRIMARY KEY, v VARCHAR(10))');
    await c.query("INSERT INTO keyed VALUES (1, 'one'), (2, 'two'), (3, 'three')");
  });
});

afterAll(async () => {
  await src?.drop();
  await dst?.drop();
});

const count = (t: string) => withPg(dst, async (c) => Number((await c.query(`SELECT count(*)::int AS n FROM "${t}"`)).rows[0].n));

function run(jobId: string, repair: boolean, targetOnlyRows?: 'keep' | 'delete') {
  const hooks = memHooks();
  const input = {
    jobId,
    runId: jobId,
    taskId: 't1',
    kind: 'full' as const,
    job: job({ options: { existingTable: 'upsert', verifyAfterLoad: true, repair, ...(targetOnlyRows ? { targetOnlyRows } : {}) } }),
    source: mysqlConnection(src),
    target: pgConnection(dst),
    taskSpec: {},
  };
  return runEngineTask(input, hooks).then((r) => ({ r: r as { verify?: VerifyResult }, hooks }));
}

describe('rerun into existing target tables (existingTable: upsert)', () => {
  it('a keyless table is emptied and loaded whole, never doubled; rows only in the target are kept and reported', async () => {
    await run('cor-ext-1', false);
    expect(await count('nokey')).toBe(6);
    await withPg(dst, (c) => c.query(`INSERT INTO keyed (id, v) VALUES (99, 'ghost')`));

    const { r, hooks } = await run('cor-ext-2', false);
    expect(await count('nokey')).toBe(6);
    const warns = hooks.logs.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warns.some((w) => /nokey has no key: if public\.nokey already exists in the target it is emptied and loaded whole/.test(w))).toBe(true);
    expect(warns.some((w) => /public\.nokey has no key and already exists in the target: emptied and loaded whole/.test(w))).toBe(true);
    expect(
      warns.some((w) => /rows that exist only in the target are kept by the load; verification reports them as extra, and repair is off, so they stay/.test(w)),
    ).toBe(true);
    expect(await count('keyed')).toBe(4);
    const keyed = r.verify!.tables.find((t) => t.tableName.endsWith('.keyed'))!;
    expect({ status: keyed.status, extra: keyed.rowsExtra }).toEqual({ status: 'mismatch', extra: 1 });
    expect(keyed.differences).toEqual([{ kind: 'extra', key: '99' }]);
    expect(r.verify!.tables.find((t) => t.tableName.endsWith('.nokey'))?.status).toBe('ok');

    // With repair on, the target-only row is still kept (the table was the user's before the job), said in the plan
    // and in the verification result; only options.targetOnlyRows: delete has repair delete it.
    const third = await run('cor-ext-3', true);
    expect(third.hooks.logs.some((l) => /repair keeps them \(set options\.targetOnlyRows: delete to have repair delete them\)/.test(l.message))).toBe(true);
    expect(await count('keyed')).toBe(4);
    const kept = third.r.verify!.tables.find((t) => t.tableName.endsWith('.keyed'))!;
    expect({ status: kept.status, extra: kept.rowsExtra }).toEqual({ status: 'mismatch', extra: 1 });
    expect(kept.notes.some((n) => /1 row\(s\) exist only in the target and are kept/.test(n))).toBe(true);
    const fourth = await run('cor-ext-4', true, 'delete');
    expect(fourth.hooks.logs.some((l) => /repair deletes them \(options\.targetOnlyRows: delete/.test(l.message))).toBe(true);
    expect(await count('keyed')).toBe(3);
    expect(fourth.r.verify!.tables.find((t) => t.tableName.endsWith('.keyed'))?.status).toBe('repaired');
    expect(await count('nokey')).toBe(6);
  }, 120_000);
});
