/**
 * Database -> Kafka -> database on real brokers and databases: MariaDB -> Kafka (Debezium format,
 * snapshot then CDC, transactional with the position in the same Kafka transaction) -> PostgreSQL
 * (Kafka -> database through the CDC apply path), under a live write load; the final target is
 * identical to the source.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { runEngineTask } from '../../agent/src/engine';
import { jobSpecSchema } from '../../agent/src/protocol';
import type { Connection } from '../../agent/src/protocol';
import { diff, dumpTables, recordingHooks, waitFor, waitForSameRows, workloadPair, Workload, writeInBackground, type Db } from '../support/cdc-support';
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

describe('database -> Kafka -> database', () => {
  it('keeps the target identical to the source under a live write load (Debezium format, snapshot then CDC)', async () => {
    const { src, tgt, sx } = await workloadPair('mysql', 'postgres', 'kafka_formats_rt_src', 'kafka_formats_rt_tgt', dbs);
    const wl = new Workload(sx, 17);
    await wl.run(300);
    const toKafka = start('kf-rt-out', src.conn, kafkaConn, {
      mode: 'full_cdc',
      tables: { include: ['items', 'order_lines'] },
      kafka: { format: 'debezium', prefix, transactionMarkers: true },
    });
    await waitFor('topics created and the snapshot written', () => toKafka.hooks.logs.some((l) => l.includes('streaming from')), 60_000);
    const fromKafka = start('kf-rt-in', kafkaConn, tgt.conn, {
      mode: 'cdc',
      tables: { include: [`${prefix}.*.items`, `${prefix}.*.order_lines`] },
      kafka: { format: 'debezium' },
    });
    const load = writeInBackground(wl, 20);
    await new Promise((r) => setTimeout(r, 8000));
    await load.stop();
    await waitForSameRows(src, tgt, 40_000).catch((e: Error) => {
      throw new Error(`${e.message}\nto Kafka: ${toKafka.hooks.logs.slice(-8).join('\n')}\nfrom Kafka: ${fromKafka.hooks.logs.slice(-8).join('\n')}`);
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
