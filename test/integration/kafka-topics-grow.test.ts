/**
 * Kafka -> Kafka while live, on the two real clusters: a partition added to a source topic the job copies is copied
 * too (the target topic grows to the same count, and each record keeps its partition), and a topic created on the
 * source that matches the include pattern is picked up. The agent looks every 10 s; here every 500 ms, through the
 * same runRecordJob.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openSource, openTarget } from '../../agent/src/connectors';
import type { OutRecord } from '../../agent/src/connectors/kafka/client';
import { runRecordJob } from '../../agent/src/engine/records';
import { jobSpecSchema } from '../../agent/src/protocol';
import { recordingHooks } from '../support/cdc-support';
import { KafkaTestKit, kafkaConnection } from '../support/kafka-core-fixtures';
import { waitFor } from '../support/wait';

const kit = new KafkaTestKit();
afterAll(() => kit.cleanup(), 60_000);

const records = (partition: number, from: number, n: number): OutRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    partition,
    key: Buffer.from(`k${from + i}`),
    value: Buffer.from(`${partition}:${from + i}`),
    headers: [],
    timestamp: String(Date.now()),
  }));

describe('Kafka -> Kafka: source topics that grow', () => {
  it('copies a partition added to a source topic (target grown to match) and a new matching topic', { timeout: 120_000 }, async () => {
    const base = `kafka-core-kcorrect-grow-${Date.now().toString(36)}`;
    const first = await kit.createTopic('A', `${base}-a`, 1);
    kit.track('B', first);
    await kit.produce('A', first, records(0, 0, 20));
    const source = openSource(kafkaConnection('A'));
    const target = openTarget(kafkaConnection('B'));
    if (!source.records || !target.records) throw new Error('expected Kafka on both sides');
    const hooks = recordingHooks();
    const jobId = `kcorrect-grow-${Date.now().toString(36)}`;
    const run = runRecordJob(
      {
        jobId,
        runId: `${jobId}-r`,
        taskId: `${jobId}-t`,
        kind: 'cdc',
        job: jobSpecSchema.parse({ mode: 'full_cdc', tables: { include: [`${base}-*`] } }),
        source: kafkaConnection('A'),
        target: kafkaConnection('B'),
        taskSpec: {},
      },
      hooks,
      source.records,
      target.records,
      { refreshMs: 500 },
    );
    run.catch((e: Error) => hooks.logs.push(`failed: ${e.message}`));
    const count = async (topic: string) => [...(await kit.readAll('B', topic).catch(() => new Map())).values()].reduce((a, r) => a + r.length, 0);
    try {
      await waitFor('the first topic copied', async () => (await count(first)) === 20, 60_000, 200);
      await (await kit.admin('A')).createPartitions(first, 2);
      await kit.produce('A', first, records(1, 20, 10));
      const second = await kit.createTopic('A', `${base}-b`, 1);
      kit.track('B', second);
      await kit.produce('A', second, records(0, 0, 5));
      await waitFor('the added partition and the new topic copied', async () => (await count(first)) === 30 && (await count(second)) === 5, 60_000, 200).catch(
        (e: Error) => {
          throw new Error(`${e.message}\n${hooks.logs.slice(-5).join('\n')}`);
        },
      );
      const b = await kit.readAll('B', first);
      expect(b.size).toBe(2);
      expect(b.get(1)!.map((r) => r.value!.toString())).toEqual(Array.from({ length: 10 }, (_, i) => `1:${20 + i}`));
      expect(b.get(0)!.length).toBe(20);
      expect(hooks.events.some((e) => e.type === 'kafka.partitions_added' && e.message.includes(`${first} [1]`))).toBe(true);
      expect(hooks.events.some((e) => e.type === 'kafka.topics_added' && e.message.includes(second))).toBe(true);
    } finally {
      hooks.controller.abort();
      await run.catch(() => undefined);
      await source.close();
      await target.close();
    }
  });
});
