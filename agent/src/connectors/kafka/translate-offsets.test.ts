import { describe, expect, it } from 'vitest';
import { OffsetTranslator, parseOffsetSyncs, type OffsetSyncRun, type PartitionTranslation } from './translate-offsets';

const run = (s: bigint | number, o: bigint | number, n: number, extra: Partial<OffsetSyncRun> = {}): OffsetSyncRun => ({
  sourceTopic: 'orders',
  sourcePartition: 0,
  sourceOffset: BigInt(s),
  targetTopic: 'orders',
  targetPartition: 0,
  targetOffset: BigInt(o),
  count: BigInt(n),
  ...extra,
});

function translate(
  runs: OffsetSyncRun[],
  c: bigint | number,
  copied: bigint | number | null,
  partitioning: 'same' | 'hash' | 'auto' = 'same',
): PartitionTranslation {
  const offset = BigInt(c);
  const t = new OffsetTranslator([{ topic: 'orders', partition: 0, offset }]);
  t.add(runs);
  const checkpoint = new Map<string, Map<number, bigint>>(copied === null ? [] : [['orders', new Map([[0, BigInt(copied)]])]]);
  const [out] = t.translate({ committed: new Map([['orders', new Map([[0, offset]])]]), checkpoint, targetTopicOf: (x) => x, partitioning });
  return out!;
}

const targetOf = (r: PartitionTranslation): bigint | string => (r.status === 'exact' ? r.targetOffset : r.status);

describe('translate-offsets: one committed offset', () => {
  it('maps an offset inside a run by its distance from the run start', () => {
    expect(targetOf(translate([run(0, 0, 100)], 47, 100))).toBe(47n);
    expect(targetOf(translate([run(1000, 20, 100)], 1099, 1100))).toBe(119n);
  });

  it('is exact where MirrorMaker 2 is not: 250 on the source is the 251st record, across transaction markers on the target', () => {
    // Three transactions of 100, 100 and 50 records; each commit leaves a marker, so target offsets skip one after each.
    const runs = [run(0, 0, 100), run(100, 101, 100), run(200, 202, 50)];
    expect(targetOf(translate(runs, 100, 250))).toBe(101n);
    expect(targetOf(translate(runs, 150, 250))).toBe(151n);
    expect(targetOf(translate(runs, 249, 250))).toBe(251n);
    // Everything read: just after the last mirrored record (the consumer skips the marker that follows).
    const end = translate(runs, 250, 250);
    expect(end).toMatchObject({ status: 'exact', targetOffset: 252n, via: 'end' });
  });

  it('maps an offset in a source gap (a transaction marker or compacted records) to the next mirrored record', () => {
    // Source offset 10 is a marker of a source transaction; offsets 30..39 were compacted away.
    const runs = [run(0, 0, 10), run(11, 10, 19), run(40, 30, 5)];
    expect(translate(runs, 10, 45)).toMatchObject({ status: 'exact', targetOffset: 10n, via: 'gap', unmirrored: 0n });
    expect(translate(runs, 33, 45)).toMatchObject({ status: 'exact', targetOffset: 30n, via: 'gap', unmirrored: 0n });
    expect(targetOf(translate(runs, 30, 45))).toBe(30n);
  });

  it('says how many source offsets precede the first mirrored record', () => {
    expect(translate([run(500, 0, 10)], 480, 510)).toMatchObject({ status: 'exact', targetOffset: 0n, unmirrored: 20n });
  });

  it('keeps int64 offsets exact past 2^53', () => {
    const big = 2n ** 62n + 3n;
    const r = translate([run(big, big + 10n, 1000)], big + 999n, big + 1000n);
    expect(targetOf(r)).toBe(big + 1009n);
    expect(Number(big + 1009n) === Number(big + 1008n)).toBe(true); // a JS number could not tell them apart
    expect(targetOf(translate([run(big, 7n, 10)], big + 10n, big + 10n))).toBe(17n);
  });

  it('waits while the job has not copied up to the committed offset', () => {
    const r = translate([run(0, 0, 10)], 15, 10);
    expect(r.status).toBe('pending');
    expect(r.status === 'pending' && r.reason).toMatch(/up to source offset 10, not yet up to the group's 15/);
    expect(translate([], 5, null).status).toBe('pending');
    expect(translate([], 0, 0).status).toBe('pending');
  });

  it('refuses to guess with partitioning by key hash', () => {
    expect(translate([run(0, 0, 10)], 5, 10, 'hash').status).toBe('inexact');
    const spread = [run(0, 0, 5), run(5, 0, 5, { targetPartition: 1 })];
    const r = translate(spread, 3, 10, 'auto');
    expect(r.status).toBe('inexact');
    expect(r.status === 'inexact' && r.reason).toMatch(/several target partitions/);
  });

  it('takes runs in any order, and a later run for the same source offsets replaces an earlier one', () => {
    const runs = [run(200, 202, 50), run(0, 0, 100), run(100, 101, 100)];
    expect(targetOf(translate(runs, 120, 250))).toBe(121n);
    expect(targetOf(translate([run(0, 0, 10), run(0, 50, 10)], 4, 10))).toBe(54n);
  });

  it('reports the renamed target topic of the run', () => {
    const r = translate([run(0, 0, 10, { targetTopic: 'mirror.orders' })], 3, 10);
    expect(r).toMatchObject({ status: 'exact', targetTopic: 'mirror.orders', targetPartition: 0, targetOffset: 3n });
  });
});

describe('translate-offsets: several groups and partitions in one pass', () => {
  it('answers every (topic, partition, offset) asked, from one stream of runs', () => {
    const wanted = [
      { topic: 'a', partition: 0, offset: 5n },
      { topic: 'a', partition: 0, offset: 15n },
      { topic: 'a', partition: 1, offset: 2n },
    ];
    const t = new OffsetTranslator(wanted);
    t.add([run(0, 0, 10, { sourceTopic: 'a', targetTopic: 'a' }), run(10, 11, 10, { sourceTopic: 'a', targetTopic: 'a' })]);
    t.add([run(0, 0, 4, { sourceTopic: 'a', sourcePartition: 1, targetTopic: 'a', targetPartition: 1 })]);
    const checkpoint = new Map([
      [
        'a',
        new Map([
          [0, 20n],
          [1, 4n],
        ]),
      ],
    ]);
    const g1 = t.translate({
      committed: new Map([
        [
          'a',
          new Map([
            [0, 5n],
            [1, 2n],
          ]),
        ],
      ]),
      checkpoint,
      targetTopicOf: (x) => x,
      partitioning: 'same',
    });
    const g2 = t.translate({ committed: new Map([['a', new Map([[0, 15n]])]]), checkpoint, targetTopicOf: (x) => x, partitioning: 'same' });
    expect(g1.map(targetOf)).toEqual([5n, 2n]);
    expect(g2.map(targetOf)).toEqual([16n]);
  });
});

describe('parseOffsetSyncs', () => {
  const value = { v: 1, jobId: 'job-1', runs: [{ t: 'orders', p: 2, s: '9223372036854775000', d: 'copy.orders', q: 2, o: '12', n: 7 }] };

  it('reads the runs of this job with offsets as bigint', () => {
    expect(parseOffsetSyncs(Buffer.from(JSON.stringify(value)), 'job-1')).toEqual([
      {
        sourceTopic: 'orders',
        sourcePartition: 2,
        sourceOffset: 9223372036854775000n,
        targetTopic: 'copy.orders',
        targetPartition: 2,
        targetOffset: 12n,
        count: 7n,
      },
    ]);
  });

  it("ignores another job's syncs, malformed values, numeric offsets and tombstones", () => {
    expect(parseOffsetSyncs(JSON.stringify(value), 'job-2')).toBeNull();
    expect(parseOffsetSyncs('{not json', 'job-1')).toBeNull();
    expect(parseOffsetSyncs(JSON.stringify({ ...value, runs: [{ ...value.runs[0], s: 5 }] }), 'job-1')).toBeNull();
    expect(parseOffsetSyncs(null, 'job-1')).toBeNull();
  });
});
