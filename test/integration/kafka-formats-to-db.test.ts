/**
 * Kafka -> database through the CDC apply path, on real brokers and databases:
 * - golden Debezium records (with the schema part) of the PostgreSQL type-torture table,
 *   produced to a topic, land in PostgreSQL exactly (table created from the schema part);
 * - records as a real Debezium MySQL connector writes them (hand-transcribed fixture) apply correctly;
 * - a key change as Debezium 3.5 MariaDB wrote it (recorded): the create's __debezium.oldkey header moves the row;
 * - bad input (not JSON, a table that does not exist, a value that overflows its column) goes to
 *   the dead-letter table with the reason, topic, partition and offset, and the job continues.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEngineTask } from '../../agent/src/engine';
import { jobSpecSchema } from '../../agent/src/protocol';
import type { EngineTaskInput } from '../../agent/src/engine/hooks';
import { createDb, pgAdmin, recordingHooks, waitFor, type Db } from '../support/cdc-support';
import { kafkaBrokers } from '../support/kafka-fixtures';
import { createTopics, produce } from '../support/kafka-formats-support';
import { FIXTURES, fromLines, goldenPath } from '../conformance/formats-fixtures';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

function input(jobId: string, db: Db, topics: string[], kafka: Record<string, unknown>): EngineTaskInput {
  const job = jobSpecSchema.parse({ mode: 'cdc', tables: { include: topics }, kafka });
  return {
    jobId,
    runId: `${jobId}-r`,
    taskId: `${jobId}-t`,
    kind: 'cdc',
    job,
    source: { kind: 'kafka', config: { brokers: ['127.0.0.1:19092'] } } as never,
    target: db.conn,
    taskSpec: {},
  };
}

async function start(jobId: string, db: Db, topics: string[], kafka: Record<string, unknown>) {
  const hooks = recordingHooks();
  const run = runEngineTask(input(jobId, db, topics, kafka), hooks);
  const stop = async () => {
    hooks.controller.abort();
    return await run;
  };
  cleanups.push(async () => void (await stop().catch(() => undefined)));
  return { hooks, run, stop };
}

async function pgRows(db: Db, sql: string): Promise<Record<string, unknown>[]> {
  const c = await pgAdmin(db.name);
  try {
    const r = await c.query<Record<string, unknown>>({ text: sql, types: { getTypeParser: () => (v: string) => v } } as unknown as string);
    return r.rows;
  } finally {
    await c.end();
  }
}

describe('Kafka -> PostgreSQL', () => {
  it('applies golden Debezium records of the type-torture table exactly (snapshot, then creates, updates, a key change, deletes)', async () => {
    const db = await createDb('postgres', 'kafka_formats_dbz');
    cleanups.push(() => db.drop());
    const t = await createTopics('dbz');
    cleanups.push(t.drop);
    const recs = [
      ...fromLines(fs.readFileSync(goldenPath('debezium-schema', 'pg', 'snapshot'), 'utf8')),
      ...fromLines(fs.readFileSync(goldenPath('debezium-schema', 'pg', 'changes'), 'utf8')),
    ];
    await produce(t.topics[0]!, recs);
    const job = await start('kf-dbz', db, t.topics, { format: 'debezium-schema' });
    await waitFor(
      'snapshot and changes applied',
      async () => (await pgRows(db, "SELECT string_agg(id::text, ',' ORDER BY id) AS ids FROM torture").catch(() => []))[0]?.ids === '1,2,6,7',
      60_000,
    );
    const res = await job.stop();
    expect(res.deadLetters).toBe(0);
    const rows = await pgRows(
      db,
      `SELECT id::text, n::text, nu::text, bi::text, by, tstz::text, ts::text, t::text, bt::text, vbt::text, arr::text, tarr::text, vc, jb::text FROM torture ORDER BY id`,
    );
    expect(rows.map((r) => r.id)).toEqual(['1', '2', '6', '7']);
    const byId = new Map(rows.map((r) => [r.id, r]));
    // Debezium's Bits carry a length but not whether the column was varying: the table created from the
    // schema part has bit(20) for the source's bit varying(20) (docs/formats/debezium.md).
    expect(byId.get('2')).toMatchObject({
      n: '1.0000000000',
      nu: '3.14159265358979323846',
      bi: '3',
      vc: 'updated ✓',
      tstz: '2024-02-29 07:44:15.123456+00',
      ts: '2024-02-29 13:14:15.123456',
      t: '13:14:15.123456',
      bt: '1010101010',
      vbt: '00000000000000000101',
      arr: '{1,2,3}',
      tarr: '{"a b","c,d",NULL}',
    });
    expect(byId.get('7')).toMatchObject({
      n: '-9999999999999999999999999999.9999999999',
      nu: '123456789012345678901234567890.123456789',
      bi: '-9223372036854775808',
      ts: '1000-01-01 00:00:00',
      t: '00:00:00',
      vbt: '00000000000000000000',
    });
    expect(byId.get('6')!.by).toBe('\\x00ff10ab0a0d09');
    const cp = await pgRows(db, `SELECT position::text AS p FROM _sluice_checkpoints WHERE job_id = 'kf-dbz'`);
    expect(JSON.parse(String(cp[0]!.p))).toMatchObject({ kind: 'kafka', offsets: { [t.topics[0]!]: { '0': String(recs.length) } } });
  });

  it('applies records as a real Debezium MySQL connector writes them', async () => {
    const db = await createDb('postgres', 'kafka_formats_real');
    cleanups.push(() => db.drop());
    const t = await createTopics('real');
    cleanups.push(t.drop);
    const recs = fromLines(fs.readFileSync(path.join(FIXTURES, 'debezium-real', 'mysql-customers.jsonl'), 'utf8'));
    await produce(t.topics[0]!, recs.slice(0, 2));
    const job = await start('kf-real', db, t.topics, { format: 'debezium' });
    await waitFor(
      'create + update applied',
      async () => (await pgRows(db, `SELECT first_name FROM customers WHERE id = 1004`).catch(() => []))[0]?.first_name === 'Anne Marie',
      60_000,
    );
    expect(await pgRows(db, `SELECT id::text, first_name, last_name, email FROM customers`)).toEqual([
      { id: '1004', first_name: 'Anne Marie', last_name: 'Kretchmar', email: 'annek@noanswer.org' },
    ]);
    await produce(t.topics[0]!, recs.slice(2));
    await waitFor('delete applied', async () => (await pgRows(db, `SELECT 1 FROM customers`)).length === 0, 30_000);
    const res = await job.stop();
    expect(res.deadLetters).toBe(0);
  });

  it("moves the row on a create that carries Debezium's __debezium.oldkey header, even before the old key's delete arrives (recorded fixture)", async () => {
    const db = await createDb('postgres', 'kafka_formats_oldkey');
    cleanups.push(() => db.drop());
    const c = await pgAdmin(db.name);
    await c.query('CREATE TABLE t (id int NOT NULL, code varchar(10) NOT NULL, note varchar(20), amount numeric(10,2), PRIMARY KEY (id, code))');
    await c.end();
    const t = await createTopics('oldkey');
    cleanups.push(t.drop);
    // snapshot (r), delete + tombstone (__debezium.newkey), create (__debezium.oldkey): Debezium 3.5 MariaDB's own records
    const [snap, del, tomb, create] = fromLines(fs.readFileSync(path.join(FIXTURES, 'debezium-real', 'mariadb-key-change.jsonl'), 'utf8'));
    const job = await start('kf-oldkey', db, t.topics, { format: 'debezium' });
    const rows = () => pgRows(db, `SELECT id::text, code, note, amount::text FROM t ORDER BY id`);
    await produce(t.topics[0]!, [snap!]);
    await waitFor('snapshot row applied', async () => (await rows()).length === 1, 60_000);
    // the create alone (its delete as if on another partition, read later): the old key goes, the new one comes
    await produce(t.topics[0]!, [create!]);
    await waitFor('create applied', async () => (await rows()).some((r) => r.id === '2'), 30_000);
    expect(await rows()).toEqual([{ id: '2', code: 'a', note: 'moved', amount: '12.50' }]);
    await produce(t.topics[0]!, [del!, tomb!]);
    await waitFor('late delete read', async () => {
      const cp = await pgRows(db, `SELECT position::text AS p FROM _sluice_checkpoints WHERE job_id = 'kf-oldkey'`);
      return cp.length === 1 && JSON.stringify(JSON.parse(String(cp[0]!.p)).offsets) === JSON.stringify({ [t.topics[0]!]: { '0': '4' } });
    });
    expect(await rows()).toEqual([{ id: '2', code: 'a', note: 'moved', amount: '12.50' }]);
    expect((await job.stop()).deadLetters).toBe(0);
  });

  it('sends bad records to the dead-letter table with the reason and offset, and keeps going', async () => {
    const db = await createDb('postgres', 'kafka_formats_bad');
    cleanups.push(() => db.drop());
    const c = await pgAdmin(db.name);
    await c.query('CREATE TABLE items (id int PRIMARY KEY, qty smallint, name varchar(5))');
    await c.end();
    const t = await createTopics('bad');
    cleanups.push(t.drop);
    const v = (o: unknown) => Buffer.from(JSON.stringify(o));
    const src = { connector: 'mysql', db: 'shop', table: 'items' };
    await produce(t.topics[0]!, [
      { key: null, value: Buffer.from('{"before": null, "after": {"id": 1') },
      { key: v({ id: 1 }), value: v({ before: null, after: { id: 1 }, source: { ...src, table: 'nowhere' }, op: 'c' }) },
      { key: v({ id: 2 }), value: v({ before: null, after: { id: 2, qty: 99999, name: 'ok' }, source: src, op: 'c' }) },
      { key: v({ id: 3 }), value: v({ before: null, after: { id: 3, qty: 7, name: 'toolong' }, source: src, op: 'c' }) },
      { key: v({ id: 4 }), value: v({ before: null, after: { id: 4, qty: 7, name: 'fine' }, source: src, op: 'c' }) },
    ]);
    const job = await start('kf-bad', db, t.topics, { format: 'debezium' });
    await waitFor('the good record applied', async () => (await pgRows(db, `SELECT 1 FROM items WHERE id = 4`)).length === 1, 60_000);
    await waitFor(
      'dead letters reported',
      () => job.hooks.progressReports.some((p) => (p as { kafka?: { deadLetters?: number } }).kafka?.deadLetters === 4),
      10_000,
    );
    const res = await job.stop();
    expect(res.deadLetters).toBe(4);
    const dl = await pgRows(
      db,
      `SELECT kafka_topic, kafka_partition::text AS p, kafka_offset::text AS o, reason, format, record_value IS NOT NULL AS has_value FROM _sluice_dead_letters ORDER BY kafka_offset`,
    );
    expect(dl.map((r) => [r.kafka_topic, r.p, r.o, r.format, r.has_value])).toEqual([0, 1, 2, 3].map((o) => [t.topics[0], '0', String(o), 'debezium', 't']));
    expect(dl[0]!.reason).toMatch(/not JSON/);
    expect(dl[1]!.reason).toMatch(/target table nowhere does not exist/);
    expect(dl[2]!.reason).toMatch(/99999.*not an integer in range.*qty/);
    expect(dl[3]!.reason).toMatch(/toolong.*longer than 5 characters/);
    expect(await pgRows(db, 'SELECT id::text, qty::text, name FROM items')).toEqual([{ id: '4', qty: '7', name: 'fine' }]);
  });
});
