/**
 * Bad input for a Kafka -> Kafka job gets a clear, classed error naming what to fix, and nothing is
 * half-written: an unreachable broker, a source topic that does not exist, a target that may not create
 * a missing topic, too few target partitions to keep partitions, and a record over the target's
 * max.message.bytes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runEngineTask } from '../../agent/src/engine';
import type { JobSpecInput } from '../../agent/src/protocol';
import { job, memHooks } from '../conformance/helpers';
import { KafkaTestKit, kafkaConnection, topicName } from '../support/kafka-core-fixtures';

const kit = new KafkaTestKit();
afterAll(() => kit.cleanup(), 60_000);

function input(spec: Partial<JobSpecInput>, source = kafkaConnection('A')) {
  return {
    jobId: topicName('bad'),
    runId: 'r',
    taskId: 't',
    kind: 'full',
    job: job({ mode: 'full', ...spec }),
    source,
    target: kafkaConnection('B'),
    taskSpec: {},
  };
}

const small = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    partition: 0,
    key: Buffer.from(`k${i}`),
    value: Buffer.from(`v${i}`),
    headers: [] as [string, Buffer][],
    timestamp: String(Date.now()),
  }));

describe('Kafka job bad input', () => {
  it('an unreachable broker: transient, with the broker named and the fix', async () => {
    const bad = { kind: 'kafka' as const, config: { brokers: ['127.0.0.1:1'], clientId: 'kafka-core-test' } };
    await expect(runEngineTask(input({ tables: { include: ['x'], exclude: [] } }, bad), memHooks())).rejects.toMatchObject({
      code: 'UNREACHABLE',
      class: 'transient',
      message: expect.stringContaining('127.0.0.1:1'),
      fix: expect.stringContaining('broker addresses'),
    });
  }, 120_000);

  it('a source topic that does not exist', async () => {
    const missing = topicName('missing');
    await expect(runEngineTask(input({ tables: { include: [missing], exclude: [] } }), memHooks())).rejects.toMatchObject({
      code: 'TOPIC_MISSING',
      class: 'config',
      message: `source topic ${missing} does not exist`,
    });
    expect(await (await kit.admin('B')).listTopics()).not.toContain(missing);
  });

  it('a target topic that is missing while the job may not create topics, and too few target partitions to keep partitions', async () => {
    const src = await kit.createTopic('A', topicName('nocreate'), 2);
    await kit.produce('A', src, small(5));
    await expect(runEngineTask(input({ tables: { include: [src], exclude: [] }, kafka: { createTopics: false } }), memHooks())).rejects.toMatchObject({
      code: 'TOPIC_MISSING',
      class: 'config',
      fix: expect.stringContaining('createTopics'),
    });
    expect(await (await kit.admin('B')).listTopics()).not.toContain(src);
    await kit.createTopic('B', src, 1);
    await expect(runEngineTask(input({ tables: { include: [src], exclude: [] }, kafka: { partitioning: 'same' } }), memHooks())).rejects.toMatchObject({
      code: 'INCOMPATIBLE_TARGET',
      fix: expect.stringContaining('add partitions'),
    });
    expect((await kit.readAll('B', src)).get(0)).toEqual([]);
  });

  it('a record over the target topic max.message.bytes: a config error, and nothing of its transaction is visible', async () => {
    const src = await kit.createTopic('A', topicName('big'), 1, { 'max.message.bytes': String(4 << 20) });
    await kit.createTopic('B', src, 1, { 'max.message.bytes': String(1 << 20) });
    await kit.produce('A', src, [
      ...small(10),
      { partition: 0, key: Buffer.from('big'), value: Buffer.alloc(2 << 20, 7), headers: [], timestamp: String(Date.now()) },
      ...small(3),
    ]);
    const hooks = memHooks();
    await expect(runEngineTask(input({ tables: { include: [src], exclude: [] } }), hooks)).rejects.toMatchObject({
      code: 'RECORD_TOO_LARGE',
      class: 'config',
      message: expect.stringContaining(`over max.message.bytes=${1 << 20} of target topic ${src}`),
      fix: expect.stringContaining('max.message.bytes'),
    });
    // Whatever committed before the big record is an exact prefix of the source, and the big one never made it.
    const target = (await kit.readAll('B', src)).get(0)!;
    expect(target.length).toBeLessThanOrEqual(10);
    expect(target.map((r) => r.key?.toString())).toEqual(
      small(10)
        .slice(0, target.length)
        .map((r) => r.key.toString()),
    );
  }, 120_000);
});
