import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { keyPartition, murmur2 } from './murmur2';

const kafkajs = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');

describe('murmur2 key partitioning', () => {
  it('matches the Java client (values from Kafka Utils.murmur2)', () => {
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(Buffer.from([0x61, 0x62, 0x63]))).toBe(479470107);
  });

  it('picks the partition kafkajs DefaultPartitioner picks, for keys of every length', () => {
    const partitioner = kafkajs.Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: 7 }, (_, i) => ({ partitionId: i, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));
    for (let i = 0; i < 500; i++) {
      const key = Buffer.from(`key-${i}`.repeat((i % 5) + 1));
      expect(keyPartition(key, 7)).toBe(partitioner({ topic: 't', partitionMetadata, message: { key, value: null } }));
    }
  });
});
