/**
 * Transient failures mid-load: reader and writer sessions are terminated by the
 * server while chunks are in flight. The engine retries the chunk from its last
 * committed cursor (re-importing the shared snapshot) and the result is exact.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase } from '../support/db-fixtures';
import { runEngineTask } from '../../agent/src/engine';
import { job, memHooks, myTableHash, mysqlConnection, pgConnection, pgTableHash, withMy, withPg } from '../conformance/helpers';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanup) await f().catch(() => {});
});

const EXPR = ['id::text', 'a::text', 'b'];

type Connection = Parameters<typeof runEngineTask>[0]['source'];

/** memHooks with the writer slowed down a little (each checkpoint waits 15 ms), so the kills land while chunks are in flight. */
function slowCheckpointHooks(): ReturnType<typeof memHooks> {
  const hooks = memHooks();
  const realCheckpoint = hooks.checkpoint.bind(hooks);
  hooks.checkpoint = async (s, p) => {
    await new Promise((r) => setTimeout(r, 15));
    return realCheckpoint(s, p);
  };
  return hooks;
}

/** The full load of `big` both tests run: 10k-row chunks, two in parallel, a checkpoint after every batch. */
function runBigLoad(source: Connection, target: Connection, hooks: ReturnType<typeof memHooks>) {
  return runEngineTask(
    { jobId: 'retry', runId: 'r', taskId: 't', kind: 'full', job: job({ options: { chunkSize: 10_000, parallelism: 2 } }), source, target, taskSpec: {} },
    hooks,
    { batchRows: 1000, checkpointEveryMs: 0 },
  );
}

/** Every `everyMs` (at most 400 times, while `more()`), once two chunks have checkpointed, calls `killOnce`. */
async function killMidLoad(hooks: ReturnType<typeof memHooks>, everyMs: number, more: () => boolean, killOnce: () => Promise<void>): Promise<void> {
  for (let i = 0; i < 400 && more(); i++) {
    await new Promise((r) => setTimeout(r, everyMs));
    if (Object.keys(hooks.checkpoints).filter((k) => k.startsWith('chunk:')).length < 2) continue;
    await killOnce();
  }
}

describe('engine retries transient failures', () => {
  it('PostgreSQL -> PostgreSQL with reader and writer sessions killed mid-load', async () => {
    const src = await createPgDatabase('h3_retry');
    const dst = await createPgDatabase('h3_retry');
    cleanup.push(src.drop, dst.drop);
    await withPg(src, async (c) => {
      await c.query(`CREATE TABLE big (id int PRIMARY KEY, a int, b text)`);
      await c.query(`INSERT INTO big SELECT g, g % 97, repeat(md5(g::text), 4) FROM generate_series(1, 150000) g`);
      await c.query('ANALYZE big');
    });
    const hooks = slowCheckpointHooks();
    const run = runBigLoad(pgConnection(src), pgConnection(dst), hooks);
    let killedReaders = 0;
    let killedWriters = 0;
    const killer = killMidLoad(
      hooks,
      25,
      () => (killedReaders < 1 || killedWriters < 1) && killedReaders + killedWriters < 3,
      async () => {
        await withPg(src, async (c) => {
          if (killedReaders >= 1) return;
          const r = await c.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'sluice' AND query LIKE 'COPY (%' AND state = 'active' LIMIT 1`,
          );
          killedReaders += r.rowCount ?? 0;
        });
        await withPg(dst, async (c) => {
          if (killedWriters >= 1) return;
          const r = await c.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'sluice' AND query LIKE 'COPY %FROM STDIN%' AND state = 'active' LIMIT 1`,
          );
          killedWriters += r.rowCount ?? 0;
        });
      },
    );
    const result = await run;
    await killer;
    expect(killedReaders + killedWriters).toBeGreaterThan(0);
    const retries = hooks.logs.filter((l) => /retry \d\/3/.test(l.message));
    expect(retries.length).toBeGreaterThan(0);
    expect((result.load as { rows: number }).rows).toBeGreaterThanOrEqual(150_000);
    expect(await pgTableHash(dst, 'big', EXPR)).toEqual(await pgTableHash(src, 'big', EXPR));
  });

  it('MySQL -> MySQL with reader and writer connections killed mid-load', async () => {
    const src = await createMariaDatabase('h3_retry');
    const dst = await createMariaDatabase('h3_retry');
    cleanup.push(src.drop, dst.drop);
    await withMy(src, async (c) => {
      await c.query(`CREATE TABLE big (id INT PRIMARY KEY, a INT, b TEXT)`);
      for (let start = 1; start <= 100_000; start += 25_000) {
        const vals: string[] = [];
        for (let g = start; g < start + 25_000; g++) vals.push(`(${g}, ${g % 97}, REPEAT(MD5(${g}), 4))`);
        await c.query(`INSERT INTO big VALUES ${vals.join(',')}`);
      }
      await c.query('ANALYZE TABLE big');
    });
    const hooks = slowCheckpointHooks();
    const run = runBigLoad(mysqlConnection(src), mysqlConnection(dst), hooks);
    let killedReaders = 0;
    let killedWriters = 0;
    const killer = killMidLoad(
      hooks,
      30,
      () => (killedReaders < 1 || killedWriters < 1) && killedReaders + killedWriters < 3,
      async () => {
        await withMy(src, async (c) => {
          const [rows] = (await c.query(
            `SELECT ID AS id, INFO AS info FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND COMMAND = 'Query' AND (INFO LIKE 'SELECT %' OR INFO LIKE 'LOAD DATA%') AND DB IN (?, ?)`,
            [src.database, dst.database],
          )) as unknown as [{ id: number; info: string }[]];
          // prefer a streamed reader (SELECT) until one was hit, then a writer (LOAD DATA)
          const readers = rows.filter((r) => r.info.startsWith('SELECT'));
          const writers = rows.filter((r) => r.info.startsWith('LOAD DATA'));
          const victim = (killedReaders < 1 ? readers[0] : undefined) ?? (killedWriters < 1 ? writers[0] : undefined) ?? readers[0];
          if (!victim) return;
          await c.query(`KILL ${Number(victim.id)}`).catch(() => {});
          if (victim.info.startsWith('SELECT')) killedReaders++;
          else killedWriters++;
        });
      },
    );
    await run;
    await killer;
    expect(killedReaders + killedWriters).toBeGreaterThan(0);
    expect(hooks.logs.filter((l) => /retry \d\/3/.test(l.message)).length).toBeGreaterThan(0);
    const MY = ['CAST(id AS CHAR)', 'CAST(a AS CHAR)', 'b'];
    expect(await myTableHash(dst, 'big', MY)).toEqual(await myTableHash(src, 'big', MY));
  });
});
