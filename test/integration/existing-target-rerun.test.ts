/**
 * Existing targets (issue 15 item 5): rerunning a job into tables that already exist with
 * `existingTable: upsert` never duplicates a table without a key (it is emptied and loaded whole,
 * said in the plan and the log), and the plan says what happens to rows that exist only in the
 * target (kept; verification reports them as extra; repair deletes them only when it is on).
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

function run(jobId: string, repair: boolean) {
  const hooks = memHooks();
  const input = {
    jobId,
    runId: jobId,
    taskId: 't1',
    kind: 'full' as const,
    job: job({ options: { existingTable: 'upsert', verifyAfterLoad: true, repair } }),
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

    // With repair on, the plan says so and repair deletes the target-only row.
    const third = await run('cor-ext-3', true);
    expect(third.hooks.logs.some((l) => /repair deletes them \(set options\.repair: false to keep them\)/.test(l.message))).toBe(true);
    expect(await count('keyed')).toBe(3);
    expect(await count('nokey')).toBe(6);
  }, 120_000);
});
