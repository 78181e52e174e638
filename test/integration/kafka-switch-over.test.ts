/**
 * Consumer switch-over (issue 16, item 4) on the real clusters A and B: a consumer group reads part of a topic on A
 * and commits; the topic is mirrored to B by the Kafka target's transactional writer (the offset syncs it writes are
 * what translation reads); `sluice-agent kafka translate-offsets` sets the group's offsets on B; the group resumes on
 * B and, record by record, reads exactly what it had not read on A: nothing skipped, nothing twice. The source has
 * a committed and an aborted transaction, so its offsets have gaps (markers, aborted records) and the target's have
 * markers of its own transactions: MirrorMaker 2's every-100-records syncs would be off here.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import type { KafkaRecord } from '../../agent/src/connectors/changes';
import { KafkaSide } from '../../agent/src/connectors/kafka/side';
import { KafkaTarget } from '../../agent/src/connectors/kafka/target';
import { kafkaBrokers } from '../support/kafka-fixtures';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [A] = kafkaBrokers('A');
const [B] = kafkaBrokers('B');
const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
interface Scenario {
  topic: string;
  group: string;
  jobId: string;
}
const scenarios: Scenario[] = [];
const scenario = (name: string): Scenario => {
  const s = { topic: `kafka-ops-sw-${name}-${stamp}`, group: `kafka-ops-sw-group-${name}-${stamp}`, jobId: `kafka-ops-sw-${name}-${stamp}` };
  scenarios.push(s);
  return s;
};
const kafka = (broker: string) => new Kafka({ clientId: 'kafka-ops-test', brokers: [broker], logLevel: logLevel.NOTHING });
const conn = (broker: string) => ({ kind: 'kafka' as const, config: { brokers: [broker], clientId: 'kafka-ops-test' } });

afterAll(async () => {
  for (const broker of [A!, B!]) {
    const admin = kafka(broker).admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const mine = scenarios.map((x) => x.topic).filter((t) => existing.has(t));
    if (mine.length) await admin.deleteTopics({ topics: mine });
    await admin.deleteGroups(scenarios.map((x) => x.group)).catch(() => undefined);
    await admin.disconnect();
  }
}, 60_000);

/** Reads `want[p]` records of each partition in `groupId`, committing the offset after the last one read. */
async function readAndCommit(broker: string, { topic, group }: Scenario, want: number[]): Promise<string[][]> {
  const got: string[][] = want.map(() => []);
  const unexpected: string[] = [];
  const consumer: Consumer = kafka(broker).consumer({ groupId: group, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${got.map((g) => g.length).join('/')} of ${want.join('/')} records on ${broker}`)), 60_000);
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const mine = got[partition]!;
        // A partition with nothing left to read must deliver nothing (one already read up to its count is paused).
        if (want[partition] === 0) unexpected.push(`${partition}@${message.offset}`);
        if (mine.length >= want[partition]!) return;
        mine.push(message.value!.toString());
        if (mine.length === want[partition]) {
          await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
          consumer.pause([{ topic, partitions: [partition] }]);
        }
        if (got.every((g, p) => g.length >= want[p]!)) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  // Nothing more arrives for a while: no record past the expected ones.
  await new Promise((r) => setTimeout(r, 1500));
  await consumer.disconnect();
  expect(unexpected, 'records past the translated offset of a partition read to its end').toEqual([]);
  return got;
}

/** Source: per partition 120 plain records, a committed transaction of 30, an aborted one of 20, 100 plain records. */
async function seedSource({ topic, jobId }: Scenario): Promise<string[][]> {
  const adminA = kafka(A!).admin();
  await adminA.connect();
  await adminA.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
  await adminA.disconnect();
  const plain = kafka(A!).producer();
  await plain.connect();
  const batch = (tag: string, n: number) =>
    [0, 1].map((partition) => ({ topic, messages: Array.from({ length: n }, (_, i) => ({ partition, key: `k${i}`, value: `${tag}-p${partition}-${i}` })) }));
  await plain.sendBatch({ topicMessages: batch('a', 120) });
  const tx = kafka(A!).producer({ transactionalId: `${jobId}-src`, idempotent: true, maxInFlightRequests: 1 });
  await tx.connect();
  const t1 = await tx.transaction();
  await t1.sendBatch({ topicMessages: batch('committed', 30) });
  await t1.commit();
  const t2 = await tx.transaction();
  await t2.sendBatch({ topicMessages: batch('aborted', 20) });
  await t2.abort();
  await tx.disconnect();
  await plain.sendBatch({ topicMessages: batch('b', 100) });
  await plain.disconnect();
  return [0, 1].map((p) => [
    ...Array.from({ length: 120 }, (_, i) => `a-p${p}-${i}`),
    ...Array.from({ length: 30 }, (_, i) => `committed-p${p}-${i}`),
    ...Array.from({ length: 100 }, (_, i) => `b-p${p}-${i}`),
  ]);
}

const translate = (spec: string) => cli(['kafka', 'translate-offsets', '--spec', spec, '--json']);

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn('npx', ['tsx', 'agent/src/cli/main.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('consumer switch-over: exact offset translation from A to B', () => {
  it('a group that read part of a topic on A resumes on B with no record skipped or read twice', async () => {
    const sc = scenario('writer');
    const { topic, group, jobId } = sc;
    const all = await seedSource(sc);
    const adminB = kafka(B!).admin();
    await adminB.connect();
    await adminB.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    await adminB.disconnect();

    // The group reads 150 of partition 0 (its committed offset is then the commit marker's) and 137 of partition 1.
    const want = [150, 137];
    const onA = await readAndCommit(A!, sc, want);
    expect(onA).toEqual(all.map((v, p) => v.slice(0, want[p])));

    // Mirror A -> B with the target's writer, in transactions of at most 70 records per partition.
    const src = new KafkaSide(conn(A!));
    const tgt = new KafkaTarget(conn(B!));
    const writer = await tgt.records.openWriter({ jobId, stream: 'main' });
    const ends = new Map((await (await src.admin()).partitionOffsets(topic)).map((p) => [p.partition, p.latest]));
    const stream = await src.client.consume({ assignments: [0, 1].map((partition) => ({ topic, partition, offset: 0n })), groupId: `${jobId}-reader` });
    const next = new Map<number, bigint>([
      [0, 0n],
      [1, 0n],
    ]);
    const pending = new Map<number, KafkaRecord[]>([
      [0, []],
      [1, []],
    ]);
    const flush = async () => {
      const parts = [0, 1].flatMap((p) =>
        pending.get(p)!.length
          ? [{ source: topic, sourcePartition: p, target: topic, records: pending.get(p)!.splice(0), partitions: p, maxRecordBytes: 1 << 20 }]
          : [],
      );
      if (!parts.length) return;
      await writer.write({ parts, position: { v: 1, kind: 'kafka', offsets: { [topic]: { 0: next.get(0)!.toString(), 1: next.get(1)!.toString() } } } });
    };
    while ([0, 1].some((p) => next.get(p)! < ends.get(p)!)) {
      const b = await stream.next(1000);
      if (!b) continue;
      for (const r of b.records) {
        pending.get(b.partition)!.push(r);
        if (pending.get(b.partition)!.length >= 70) {
          next.set(b.partition, BigInt(r.offset) + 1n);
          await flush();
        }
      }
      next.set(b.partition, b.next);
      await flush();
    }
    await stream.close();
    await writer.close();
    await src.close();

    const dir = mkdtempSync(path.join(tmpdir(), 'kafka-ops-sw-'));
    const spec = path.join(dir, 'job.json');
    writeFileSync(
      spec,
      JSON.stringify({
        jobId,
        source: conn(A!),
        target: conn(B!),
        job: { mode: 'full_cdc', tables: { include: [topic] }, kafka: { consumerGroups: [group], partitioning: 'same' } },
      }),
    );
    const r = await translate(spec);
    expect(r.code, r.err).toBe(0);
    const [outcome] = JSON.parse(r.out) as {
      status: string;
      partitions: { status: string; action: string; partition: number; sourceOffset: string; targetOffset: string }[];
    }[];
    expect(outcome!.status).toBe('translated');
    expect(outcome!.partitions.map((p) => [p.partition, p.sourceOffset, p.status, p.action]).sort()).toEqual([
      [0, '150', 'exact', 'written'],
      [1, '137', 'exact', 'written'],
    ]);

    // The group resumes on B: exactly the rest, in order.
    const rest = all.map((v, p) => v.length - want[p]!);
    const onB = await readAndCommit(B!, sc, rest);
    for (const p of [0, 1]) expect([...onA[p]!, ...onB[p]!]).toEqual(all[p]);

    // The group is now further on B than the translation: a second pass leaves it there.
    const again = await translate(spec);

    const [second] = JSON.parse(again.out) as { partitions: { action: string }[] }[];
    expect(
      second!.partitions.map((p) => p.action),
      again.out + again.err,
    ).toEqual(['ahead', 'ahead']);
    await tgt.close();
  }, 180_000);

  it('a real Kafka -> Kafka job (sluice-agent run, mode full) translates its consumer groups itself: the group resumes on B exactly', async () => {
    const sc = scenario('job');
    const all = await seedSource(sc);
    const want = [121, 250];
    const onA = await readAndCommit(A!, sc, want);
    expect(onA).toEqual(all.map((v, p) => v.slice(0, want[p])));

    const dir = mkdtempSync(path.join(tmpdir(), 'kafka-ops-sw-'));
    const spec = path.join(dir, 'job.json');
    const job = { mode: 'full', tables: { include: [sc.topic] }, kafka: { consumerGroups: [sc.group], partitioning: 'same' } };
    writeFileSync(spec, JSON.stringify({ jobId: sc.jobId, source: conn(A!), target: conn(B!), stateFile: path.join(dir, 'state.json'), job }));
    const run = await cli(['run', '--spec', spec, '--quiet', '--json']);
    expect(run.code, run.err).toBe(0);

    // The job wrote the group's offsets on B (job.kafka.consumerGroups): translating again finds them in place.
    const r = await translate(spec);
    expect(r.code, r.err).toBe(0);
    const [outcome] = JSON.parse(r.out) as { partitions: { partition: number; status: string; action: string; via: string }[] }[];
    // Partition 1 was read to its end: translated past the last mirrored record.
    expect(outcome!.partitions.map((p) => [p.partition, p.status, p.action, p.via]).sort()).toEqual([
      [0, 'exact', 'unchanged', 'run'],
      [1, 'exact', 'unchanged', 'end'],
    ]);
    const onB = await readAndCommit(B!, sc, [all[0]!.length - want[0]!, 0]);
    expect([...onA[0]!, ...onB[0]!]).toEqual(all[0]);
    expect(onB[1]).toEqual([]);
  }, 180_000);
});
