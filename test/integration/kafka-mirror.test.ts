/**
 * The reference scenario of issue 16 on real brokers: 50 topics x 500 JSON records (keys key-1..key-500)
 * on cluster A, a full + incremental job to cluster B, then every record compared (topic, partition,
 * order, key, value, headers, timestamp); 100 more per topic while the job is live, compared again.
 * Also: mode full stops at T0, a topic created while the job runs is picked up, renames and key-hash
 * partitioning, and the offset syncs the job wrote.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runEngineTask } from '../../agent/src/engine';
import { OFFSET_SYNCS_TOPIC } from '../../agent/src/connectors/kafka';
import { keyPartition } from '../../agent/src/connectors/kafka/murmur2';
import type { EngineResult } from '../../agent/src/engine/hooks';
import type { KafkaRecord, OutRecord } from '../../agent/src/connectors/kafka/client';
import { job, memHooks } from '../conformance/helpers';
import { KafkaTestKit, kafkaConnection } from '../support/kafka-core-fixtures';
import { waitFor } from '../support/wait';

const kit = new KafkaTestKit();
afterAll(() => kit.cleanup(), 120_000);
const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

function jsonRecords(topic: string, from: number, n: number, partitions: number): OutRecord[] {
  return Array.from({ length: n }, (_, j) => {
    const i = from + j;
    const key = Buffer.from(`key-${i}`);
    return {
      partition: keyPartition(key, partitions),
      key,
      value: Buffer.from(JSON.stringify({ topic, i, at: new Date(1_700_000_000_000 + i).toISOString() })),
      headers: [
        ['trace', Buffer.from(`t-${i}`)],
        ['bin', Buffer.from([i & 0xff, 0])],
      ],
      timestamp: String(1_700_000_000_000 + i * 1000),
    };
  });
}

const view = (r: KafkaRecord) => ({
  key: r.key?.toString('hex') ?? null,
  value: r.value?.toString('hex') ?? null,
  headers: r.headers.map(([n, v]) => [n, v.toString('hex')]),
  timestamp: r.timestamp,
});

/** Compares every record; the target's last commit markers may still be landing, so a difference is retried for a while. */
async function sameRecords(source: string, target: string): Promise<number> {
  const read = () => Promise.all([kit.readAll('A', source), kit.readAll('B', target)]);
  const same = (a: Map<number, KafkaRecord[]>, b: Map<number, KafkaRecord[]>) =>
    JSON.stringify([...a].map(([p, r]) => [p, r.map(view)])) === JSON.stringify([...b].map(([p, r]) => [p, r.map(view)]));
  let [a, b] = await read();
  const until = Date.now() + 30_000;
  while (!same(a, b) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    [a, b] = await read();
  }
  expect([...b.keys()]).toEqual([...a.keys()]);
  let n = 0;
  for (const [p, recs] of a) {
    expect(b.get(p)!.map(view), `${source} partition ${p}`).toEqual(recs.map(view));
    n += recs.length;
  }
  return n;
}

async function targetCount(topic: string): Promise<number> {
  return [...(await kit.readAll('B', topic)).values()].reduce((a, r) => a + r.length, 0);
}

describe('Kafka -> Kafka reference scenario', () => {
  it('copies 50 topics x 500 records exactly, then keeps up live with 100 more per topic', async () => {
    const topics = Array.from({ length: 50 }, (_, i) => `kafka-core-${tag}-Topic-${i + 1}`);
    const parts = (i: number) => (i % 3) + 1;
    // The records carry fixed 2023 timestamps: a retention shorter than their age lets the broker's retention pass
    // (every 5 minutes) delete them mid-test. Ten years keeps them, and is still a config the target must copy.
    for (const [i, t] of topics.entries()) await kit.createTopic('A', t, parts(i), { 'retention.ms': '315360000000' });
    for (const t of topics) kit.track('B', t);
    await Promise.all(topics.map((t, i) => kit.produce('A', t, jsonRecords(t, 1, 500, parts(i)))));
    // T0 is the last stable offset: let the commit markers land so that T0 covers the 500 records of every topic.
    const admin = await kit.admin('A');
    for (const [i, t] of topics.entries()) {
      await waitFor(
        `${t} committed on A`,
        async () => (await admin.partitionOffsets(t)).reduce((a, p) => a + p.latest, 0n) === BigInt(500 + parts(i)),
        30_000,
        100,
      );
    }

    const hooks = memHooks();
    const jobId = `kafka-core-ref-${tag}`;
    const input = {
      jobId,
      runId: 'r',
      taskId: 't',
      kind: 'full_cdc',
      job: job({ mode: 'full_cdc', tables: { include: [`kafka-core-${tag}-Topic-*`], exclude: [] } }),
      source: kafkaConnection('A'),
      target: kafkaConnection('B'),
      taskSpec: {},
    };
    const running: Promise<EngineResult | Error> = runEngineTask(input, hooks).catch((e: unknown) => e as Error);
    try {
      await waitFor('the full phase to finish', () => hooks.progressEvents.some((p) => p.kafka?.phase === 'live'), 240_000, 200);
      let total = 0;
      for (const t of topics) total += await sameRecords(t, t);
      expect(total).toBe(50 * 500);
      const plan = hooks.logs.find((l) => l.message.startsWith('kafka.plan'));
      expect(plan?.message).toContain('50 topics');

      const liveAt = Date.now();
      await Promise.all(topics.map((t, i) => kit.produce('A', t, jsonRecords(t, 501, 100, parts(i)))));
      for (const t of topics) await waitFor(`${t} to reach 600 records on B`, async () => (await targetCount(t)) === 600, 60_000, 200);
      const catchUp = Date.now() - liveAt;
      for (const t of topics) expect(await sameRecords(t, t)).toBe(600);
      expect(catchUp).toBeLessThan(60_000);

      const syncs = [...(await kit.readAll('B', OFFSET_SYNCS_TOPIC)).values()].flat().filter((r) => r.key?.toString() === jobId);
      const runs = syncs.flatMap((r) => (JSON.parse(r.value!.toString()) as { runs: { t: string; n: number }[] }).runs);
      expect(runs.reduce((a, r) => a + r.n, 0)).toBe(50 * 600);
      expect(new Set(runs.map((r) => r.t)).size).toBe(50);
    } finally {
      hooks.abort.abort();
      const end = await running;
      expect(end).toMatchObject({ code: 'ABORTED' });
    }
  }, 600_000);

  it('mode full stops at T0; renames and key-hash partitioning to a target with other partition counts', async () => {
    const src = await kit.createTopic('A', `kafka-core-${tag}-full`, 3);
    await kit.produce('A', src, jsonRecords(src, 1, 300, 3));
    const target = await kit.createTopic('B', `kafka-core-${tag}-renamed-full-x`, 2);
    const hooks = memHooks();
    const input = {
      jobId: `kafka-core-full-${tag}`,
      runId: 'r',
      taskId: 't',
      kind: 'full',
      job: job({ mode: 'full', tables: { include: [src], exclude: [] }, kafka: { topicMap: { [src]: `kafka-core-${tag}-renamed-full` }, topicSuffix: '-x' } }),
      source: kafkaConnection('A'),
      target: kafkaConnection('B'),
      taskSpec: {},
    };
    const r = (await runEngineTask(input, hooks)) as {
      kafka: { records: number; plan: { topics: { partitioning: string; action: string; notes: string[] }[] } };
    };
    expect(r.kafka.records).toBe(300);
    expect(r.kafka.plan.topics[0]).toMatchObject({ partitioning: 'hash', action: 'mismatch' });
    const b = await kit.readAll('B', target);
    for (const [p, recs] of b) for (const rec of recs) expect(keyPartition(rec.key!, 2)).toBe(p);
    const a = [...(await kit.readAll('A', src)).values()].flat();
    expect(
      [...b.values()]
        .flat()
        .map(view)
        .sort((x, y) => (x.key! < y.key! ? -1 : 1)),
    ).toEqual(a.map(view).sort((x, y) => (x.key! < y.key! ? -1 : 1)));
  }, 180_000);
});
