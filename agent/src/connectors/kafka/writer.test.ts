import { describe, expect, it } from 'vitest';
import type { KafkaRecord } from '../changes';
import { MAX_CHUNK_RECORDS, addRuns, chunkParts, recordBytes, type OffsetRun, type OpenRun } from './writer';

const rec = (offset: number, size = 10, partition = 0): KafkaRecord => ({
  topic: 's',
  partition,
  offset: String(offset),
  key: Buffer.from(String(offset).padStart(6, '0')),
  value: Buffer.alloc(size),
  headers: [],
  timestamp: '1700000000000',
  timestampType: 'create',
});
const position = { v: 1 as const, kind: 'kafka' as const, offsets: {} };

describe('Kafka writer chunks', () => {
  it('keeps each chunk under the topic limit and the order of a partition across rounds', () => {
    const records = Array.from({ length: 100 }, (_, i) => rec(i, 100));
    const per = recordBytes(records[0]!);
    const rounds = chunkParts({ parts: [{ source: 's', sourcePartition: 0, target: 'd', records, partitions: 0, maxRecordBytes: 61 + per * 10 }], position });
    expect(rounds).toHaveLength(10);
    expect(rounds.flatMap((r) => r.flatMap((c) => c.src.map((x) => Number(x.offset))))).toEqual(records.map((_, i) => i));
    for (const r of rounds) expect(r).toHaveLength(1);
  });

  it('caps a chunk at MAX_CHUNK_RECORDS small records', () => {
    const records = Array.from({ length: 2 * MAX_CHUNK_RECORDS + 5 }, (_, i) => rec(i, 10));
    const rounds = chunkParts({ parts: [{ source: 's', sourcePartition: 0, target: 'd', records, partitions: 0, maxRecordBytes: 1 << 20 }], position });
    expect(rounds.map((r) => r[0]!.out.length)).toEqual([MAX_CHUNK_RECORDS, MAX_CHUNK_RECORDS, 5]);
    expect(rounds.flatMap((r) => r[0]!.src.map((x) => Number(x.offset)))).toEqual(records.map((_, i) => i));
  });

  it('spreads records by their target partition and refuses a record over max.message.bytes before sending', () => {
    const records = [rec(0), rec(1), rec(2), rec(3)];
    const rounds = chunkParts({
      parts: [{ source: 's', sourcePartition: 0, target: 'd', records, partitions: Int32Array.from([1, 0, 1, 0]), maxRecordBytes: 1 << 20 }],
      position,
    });
    expect(rounds).toHaveLength(1);
    expect(rounds[0]!.map((c) => [c.partition, c.src.map((x) => x.offset)])).toEqual([
      [1, ['0', '2']],
      [0, ['1', '3']],
    ]);
    expect(() =>
      chunkParts({ parts: [{ source: 's', sourcePartition: 0, target: 'd', records: [rec(0, 2000)], partitions: 0, maxRecordBytes: 1000 }], position }),
    ).toThrow(expect.objectContaining({ code: 'RECORD_TOO_LARGE', class: 'config' }));
  });
});

describe('offset sync runs', () => {
  it('extends a run while source and target offsets are both contiguous, and starts one at any gap', () => {
    const runs: OffsetRun[] = [];
    const last = new Map<string, OpenRun>();
    // Source 0..4, then a gap (compaction / a marker) at 5, then 6..7; target 100..106 contiguous.
    const src = [0, 1, 2, 3, 4, 6, 7].map((o) => rec(o));
    addRuns(runs, last, { topic: 'd', partition: 0, out: [], src, bytes: 0 }, 100n);
    // The next transaction: target offsets skip the commit marker (108), source continues at 8.
    addRuns(runs, last, { topic: 'd', partition: 0, out: [], src: [rec(8), rec(9)], bytes: 0 }, 108n);
    expect(runs).toEqual([
      { t: 's', p: 0, s: '0', d: 'd', q: 0, o: '100', n: 5 },
      { t: 's', p: 0, s: '6', d: 'd', q: 0, o: '105', n: 2 },
      { t: 's', p: 0, s: '8', d: 'd', q: 0, o: '108', n: 2 },
    ]);
  });

  it('keeps runs apart per source partition and per target partition (hash partitioning)', () => {
    const runs: OffsetRun[] = [];
    const last = new Map<string, OpenRun>();
    addRuns(runs, last, { topic: 'd', partition: 0, out: [], src: [rec(0, 1, 0), rec(0, 1, 1), rec(1, 1, 0)], bytes: 0 }, 10n);
    addRuns(runs, last, { topic: 'd', partition: 1, out: [], src: [rec(2, 1, 0)], bytes: 0 }, 50n);
    expect(runs).toEqual([
      { t: 's', p: 0, s: '0', d: 'd', q: 0, o: '10', n: 1 },
      { t: 's', p: 1, s: '0', d: 'd', q: 0, o: '11', n: 1 },
      { t: 's', p: 0, s: '1', d: 'd', q: 0, o: '12', n: 1 },
      { t: 's', p: 0, s: '2', d: 'd', q: 1, o: '50', n: 1 },
    ]);
  });
});
