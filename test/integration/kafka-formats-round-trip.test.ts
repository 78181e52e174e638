/**
 * Database -> Kafka -> database on real brokers and databases: MariaDB -> Kafka -> PostgreSQL and
 * PostgreSQL -> Kafka -> MySQL (Debezium format, snapshot then CDC, transactional with the position in the
 * same Kafka transaction; Kafka -> database through the CDC apply path), under a live write load; the final
 * target is identical to the source.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { runEngineTask } from '../../agent/src/engine';
import { jobSpecSchema } from '../../agent/src/protocol';
import type { Connection } from '../../agent/src/protocol';
import {
  diff,
  dumpTables,
  recordingHooks,
  waitFor,
  waitForSameRows,
  workloadPair,
  Workload,
  writeInBackground,
  type Db,
  type Kind,
} from '../support/cdc-support';
import { kafkaBrokers } from '../support/kafka-fixtures';

const dbs: Db[] = [];
const stops: (() => Promise<unknown>)[] = [];
const prefix = `kafka-formats-rt${Date.now().toString(36)}`;
const kafkaConn: Connection = { kind: 'kafka', config: { brokers: kafkaBrokers('A'), clientId: 'kafka-formats-test' } };

afterAll(async () => {
  for (const s of stops.reverse()) await s().catch(() => undefined);
  for (const d of dbs) await d.drop().catch(() => undefined);
  const admin = new Kafka({ clientId: 'kafka-formats-test', brokers: kafkaBrokers('A'), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (mine.length) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
  await admin.disconnect();
});

function start(name: string, source: Connection, target: Connection, spec: Record<string, unknown>) {
  // Job ids are unique per run: the Kafka side keeps its checkpoints in the brokers' __sluice_checkpoints topic.
  const jobId = `${name}-${prefix}`;
  const hooks = recordingHooks();
  const run = runEngineTask(
    { jobId, runId: `${jobId}-r`, taskId: `${jobId}-t`, kind: 'cdc', job: jobSpecSchema.parse(spec), source, target, taskSpec: {} },
    hooks,
  );
  run.catch((e: Error) => hooks.logs.push(`failed: ${e.message}`));
  const stop = async () => {
    hooks.controller.abort();
    return await run;
  };
  stops.push(stop);
  return { hooks, run, stop };
}

// PostgreSQL -> Kafka -> MySQL covers the key-moving update whose TOAST columns did not change (the workload's
// `UPDATE items SET id` on rows with a large `note`): PostgreSQL sends no value for them, the database -> Kafka
// side reads them from the source by the new key, so the create the reader stores is whole (never NULL).
const cases: { name: string; from: Kind; to: Kind; format: 'debezium' | 'sluice' }[] = [
  { name: 'MariaDB -> Kafka (Debezium) -> PostgreSQL', from: 'mysql', to: 'postgres', format: 'debezium' },
  { name: 'PostgreSQL -> Kafka (Debezium) -> MySQL', from: 'postgres', to: 'mysql', format: 'debezium' },
];

describe.each(cases)('database -> Kafka -> database: $name', ({ from, to, format }) => {
  it('keeps the target identical to the source under a live write load (snapshot then CDC)', async () => {
    const tag = `${from[0]}${to[0]}`;
    const { src, tgt, sx } = await workloadPair(from, to, `kafka_formats_rt_src_${tag}`, `kafka_formats_rt_tgt_${tag}`, dbs);
    const wl = new Workload(sx, 17);
    await wl.run(300);
    const topicPrefix = `${prefix}-${tag}`;
    // The dry run says what an interrupted snapshot does (written again from its start: op r records may repeat).
    const plan = (await runEngineTask(
      {
        jobId: `kf-rt-plan-${tag}`,
        runId: 'r',
        taskId: 't',
        kind: 'cdc',
        job: jobSpecSchema.parse({ mode: 'full_cdc', tables: { include: ['items'] }, kafka: { format, prefix: topicPrefix }, options: { dryRun: true } }),
        source: src.conn,
        target: kafkaConn,
        taskSpec: {},
      },
      recordingHooks(),
    )) as { warnings?: string[]; topics?: string[] };
    expect(plan.topics?.length).toBe(1);
    expect(plan.warnings?.join(' ')).toContain('may repeat');
    const toKafka = start(`kf-rt-out-${tag}`, src.conn, kafkaConn, {
      mode: 'full_cdc',
      tables: { include: ['items', 'order_lines'] },
      kafka: { format, prefix: topicPrefix, transactionMarkers: true },
    });
    await waitFor('topics created and the snapshot written', () => toKafka.hooks.logs.some((l) => l.includes('streaming from')), 60_000);
    const fromKafka = start(`kf-rt-in-${tag}`, kafkaConn, tgt.conn, {
      mode: 'cdc',
      tables: { include: [`${topicPrefix}.*.items`, `${topicPrefix}.*.order_lines`] },
      kafka: { format },
    });
    const load = writeInBackground(wl, 20);
    await new Promise((r) => setTimeout(r, 8000));
    await load.stop();
    await waitForSameRows(src, tgt, 40_000).catch(async (e: Error) => {
      const [a, b] = await Promise.all([dumpTables(src), dumpTables(tgt)]);
      throw new Error(
        `${e.message}: items ${JSON.stringify(diff(a.items, b.items)).slice(0, 800)}\nto Kafka: ${toKafka.hooks.logs.slice(-8).join('\n')}\nfrom Kafka: ${fromKafka.hooks.logs.slice(-8).join('\n')}`,
      );
    });
    const inResult = (await fromKafka.stop()) as { deadLetters?: number };
    const outResult = (await toKafka.stop()) as { snapshotRows?: number; events?: number };
    expect(inResult.deadLetters).toBe(0);
    expect(outResult.snapshotRows).toBeGreaterThan(0);
    expect(outResult.events).toBeGreaterThan(0);
    expect(toKafka.hooks.events.some((e) => e.type === 'kafka.topics_created')).toBe(true);
    await sx.close();
  });
});
