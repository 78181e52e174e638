/**
 * The Kafka connector on real brokers (clusters A and B): the data-source test, discovery, compressed
 * batches in every codec, and the target's transactional writer with its checkpoint and offset syncs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { discover, testConnection } from '../../agent/src/engine';
import { openTarget } from '../../agent/src/connectors';
import { CHECKPOINT_TOPIC, OFFSET_SYNCS_TOPIC } from '../../agent/src/connectors/kafka';
import type { KafkaCatalog } from '../../agent/src/protocol/kafka-shapes';
import type { OutRecord } from '../../agent/src/connectors/kafka/client';
import { KafkaTestKit, kafkaConnection, topicName } from '../support/kafka-core-fixtures';

const kit = new KafkaTestKit();
afterAll(() => kit.cleanup(), 60_000);

const records = (n: number, tag: string): OutRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    partition: i % 2,
    key: i === 3 ? null : Buffer.from(`key-${i + 1}`),
    value: i === 4 ? null : Buffer.from(JSON.stringify({ i, tag })),
    headers: [
      ['h', Buffer.from('1')],
      ['x', Buffer.from([0xff, 0x00])],
      ['h', Buffer.from('2')],
    ],
    timestamp: String(1_700_000_000_000 + i),
  }));

describe('Kafka data source test', () => {
  it('checks reachability, version, listing, and for a target topic creation and transactions', async () => {
    const src = await testConnection(kafkaConnection('A'), 'source');
    expect(src.ok).toBe(true);
    expect(src.version).toMatch(/^Kafka \d/);
    expect(src.checks.map((c) => c.name)).toEqual(['connect', 'version', 'list topics']);
    const tgt = await testConnection(kafkaConnection('B'), 'target');
    expect(tgt.ok).toBe(true);
    expect(tgt.checks.map((c) => [c.name, c.ok])).toEqual([
      ['connect', true],
      ['version', true],
      ['list topics', true],
      ['create topics', true],
      ['transactions', true],
    ]);
  });

  it('names the unreachable broker and the fix', async () => {
    const r = await testConnection({ kind: 'kafka', config: { brokers: ['127.0.0.1:1'], clientId: 'kafka-core-test' } }, 'source');
    expect(r.ok).toBe(false);
    expect(r.checks[0]).toMatchObject({
      name: 'connect',
      ok: false,
      message: expect.stringContaining('cannot reach the Kafka brokers at 127.0.0.1:1'),
      fix: expect.stringContaining('broker addresses'),
    });
  }, 60_000);
});

describe('Kafka discovery and compression', () => {
  it('reads and writes batches in every codec, keeping keys, tombstones, headers (order, repeats) and timestamps', async () => {
    const topic = await kit.createTopic('A', topicName('codecs'), 2, { 'cleanup.policy': 'delete', 'retention.ms': '315360000000' });
    const codecs = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
    for (const c of codecs) await kit.produce('A', topic, records(10, c), c);
    const all = await kit.readAll('A', topic);
    const p0 = all.get(0)!;
    expect(p0).toHaveLength(25);
    expect(p0.map((r) => (r.value ? (JSON.parse(r.value.toString()) as { tag: string }).tag : null))).toEqual(codecs.flatMap((c) => [c, c, null, c, c]));
    const r = p0[0]!;
    expect(r.key?.toString()).toBe('key-1');
    expect(r.timestamp).toBe('1700000000000');
    // Headers come back exactly as written: a repeated name keeps its place among the others (client/kafkajs/batch-decode.ts).
    expect(r.headers.map(([n, v]) => [n, v.toString('hex')])).toEqual([
      ['h', '31'],
      ['x', 'ff00'],
      ['h', '32'],
    ]);
    expect(all.get(1)!.find((x) => x.key === null)).toBeDefined();

    const cat = (await discover(kafkaConnection('A'))) as KafkaCatalog;
    expect(cat.engine).toBe('kafka');
    const t = cat.topics.find((x) => x.name === topic)!;
    expect(t.partitions).toHaveLength(2);
    expect(BigInt(t.messages)).toBeGreaterThanOrEqual(50n);
    expect(t.configs).toMatchObject({ 'cleanup.policy': 'delete', 'retention.ms': '315360000000' });
    expect(t.sample).toMatchObject({ encoding: 'utf8', value: expect.stringContaining('"tag":"zstd"') });
  }, 90_000);
});

describe('Kafka target writer', () => {
  it('commits records with the checkpoint and offset syncs in one transaction; a new writer fences the old one', async () => {
    const topic = await kit.createTopic('B', topicName('writer'), 2);
    const t = openTarget(kafkaConnection('B'));
    const jobId = `kafka-core-${Date.now().toString(36)}`;
    try {
      const rec = (o: number, p: number) => ({
        topic: 'src',
        partition: p,
        offset: String(o),
        key: Buffer.from(`k${o}`),
        value: Buffer.from(`v${o}`),
        headers: [],
        timestamp: '1700000000000',
        timestampType: 'create' as const,
      });
      const w1 = await t.records!.openWriter({ jobId, stream: 'kafka', epoch: '7' });
      const position = { v: 1 as const, kind: 'kafka' as const, offsets: { src: { '0': '3', '1': '2' } } };
      const res = await w1.write({
        parts: [
          { source: 'src', sourcePartition: 0, target: topic, records: [rec(0, 0), rec(1, 0), rec(2, 0)], partitions: 0, maxRecordBytes: 1 << 20 },
          { source: 'src', sourcePartition: 1, target: topic, records: [rec(0, 1), rec(1, 1)], partitions: 1, maxRecordBytes: 1 << 20 },
        ],
        position,
      });
      expect(res.map((r) => [r.partition, r.count]).sort()).toEqual([
        [0, 3],
        [1, 2],
      ]);
      // Resume order: open the writer (fencing the one before), then read the checkpoint.
      const w2 = await t.records!.openWriter({ jobId, stream: 'kafka' });
      expect(await t.records!.readCheckpoint(jobId, 'kafka')).toMatchObject({
        position: { ...position, targetEnds: { [topic]: { '0': '3', '1': '2' } } },
        epoch: '7',
      });
      const syncs = [...(await kit.readAll('B', OFFSET_SYNCS_TOPIC)).values()].flat().filter((r) => r.key?.toString() === jobId);
      expect(syncs.map((r) => (JSON.parse(r.value!.toString()) as { runs: unknown[] }).runs)).toEqual([
        [
          { t: 'src', p: 0, s: '0', d: topic, q: 0, o: '0', n: 3 },
          { t: 'src', p: 1, s: '0', d: topic, q: 1, o: '0', n: 2 },
        ],
      ]);
      // The second writer (another agent after a kill) fenced the first: its next transaction fails, nothing of it is visible.
      await expect(
        w1.write({ parts: [{ source: 'src', sourcePartition: 0, target: topic, records: [rec(3, 0)], partitions: 0, maxRecordBytes: 1 << 20 }], position }),
      ).rejects.toMatchObject({ code: 'FENCED' });
      await w1.close();
      await w2.close();
      expect((await kit.readAll('B', topic)).get(0)!.map((r) => r.offset)).toEqual(['0', '1', '2']);
      expect((await kit.readAll('B', CHECKPOINT_TOPIC)).size).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  }, 90_000);
});
