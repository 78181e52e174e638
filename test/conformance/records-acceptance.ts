/**
 * The acceptance suite for connectors with the `records` capability (Kafka and Kafka-compatible
 * brokers), the records-shaped sibling of acceptance.ts: a connector declares its capabilities and
 * `runRecordsAcceptance` registers the cases that apply. Real brokers only.
 *
 * The fixture's seed(p, n) makes a source topic of p partitions holding n records each, whose values are
 * `<partition>:<index>` (index 0..n-1) and whose keys are `k<partition>-<index>`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectors, type Connection, type KafkaRecord, type SourceCapabilities, type TargetCapabilities } from '../../agent/src/connectors';
import { parsePosition } from '../../agent/src/connectors/position';

export interface RecordsFixture {
  /** A connection to the system records are read from (and written to, for target cases). */
  conn: Connection;
  seed(partitions: number, perPartition: number): Promise<string>;
  /** Every committed record of a topic (read_committed), per partition in offset order. */
  read(topic: string): Promise<Map<number, KafkaRecord[]>>;
  /** A fresh, empty topic to write to (deleted by drop). */
  emptyTopic(partitions: number): Promise<string>;
  drop(): Promise<void>;
}

export interface RecordsConnectorUnderTest {
  name: string;
  make(): Promise<RecordsFixture>;
  capabilities: { source?: Partial<SourceCapabilities>; target?: Partial<TargetCapabilities> };
}

const values = (rs: KafkaRecord[]) => rs.map((r) => r.value?.toString());

export function runRecordsAcceptance(c: RecordsConnectorUnderTest): void {
  const src = c.capabilities.source ?? {};
  const tgt = c.capabilities.target ?? {};
  describe(`records acceptance: ${c.name}`, () => {
    let f: RecordsFixture;
    let topic: string;
    beforeAll(async () => {
      f = await c.make();
      topic = await f.seed(3, 400);
    }, 60_000);
    afterAll(() => f?.drop(), 60_000);

    it('declares the capabilities it implements, and has no tables to read or write', async () => {
      const s = connectors.openSource(f.conn);
      const t = connectors.openTarget(f.conn);
      try {
        if (c.capabilities.source) expect(s.capabilities()).toMatchObject(c.capabilities.source);
        if (c.capabilities.target) expect(t.capabilities()).toMatchObject(c.capabilities.target);
        expect(!!s.records).toBe(!!src.records);
        expect(!!t.records).toBe(!!tgt.records);
        expect(() => connectors.createSource(f.conn)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
      } finally {
        await Promise.all([s.close(), t.close()]);
      }
    });

    it.runIf(src.records)(
      'reads every partition from an offset exactly once and in order; a stored position resumes exactly the rest',
      async () => {
        const s = connectors.openSource(f.conn);
        try {
          const r = s.records!;
          const ends = await r.endOffsets(topic);
          expect(ends.map((e) => e.partition)).toEqual([0, 1, 2]);
          const stream = await r.open(
            ends.map((e) => ({ topic, partition: e.partition, offset: e.earliest })),
            `acc-${randomUUID()}`,
          );
          const got = new Map<number, KafkaRecord[]>([
            [0, []],
            [1, []],
            [2, []],
          ]);
          const next = new Map<number, bigint>();
          try {
            while ([...got.values()].some((x) => x.length < 200)) {
              const b = await stream.next(5000);
              if (!b) throw new Error('no records within 5 s');
              got.get(b.partition)!.push(...b.records);
              next.set(b.partition, b.next);
            }
          } finally {
            await stream.close();
          }
          // The position of what was read, through a JSON round trip (it is stored in checkpoints).
          const position = parsePosition(
            JSON.stringify({ v: 1, kind: 'kafka', offsets: { [topic]: Object.fromEntries([...next].map(([p, o]) => [String(p), o.toString()])) } }),
          );
          if (position.kind !== 'kafka') throw new Error('not a kafka position');
          const resumed = await r.open(
            Object.entries(position.offsets[topic]!).map(([p, o]) => ({ topic, partition: Number(p), offset: BigInt(o) })),
            `acc-${randomUUID()}`,
          );
          try {
            for (;;) {
              const done = ends.every((e) => (next.get(e.partition) ?? 0n) >= e.latest);
              if (done) break;
              const b = await resumed.next(5000);
              if (!b) throw new Error('no records within 5 s');
              got.get(b.partition)!.push(...b.records);
              next.set(b.partition, b.next);
            }
          } finally {
            await resumed.close();
          }
          for (const p of [0, 1, 2]) expect(values(got.get(p)!)).toEqual(Array.from({ length: 400 }, (_, i) => `${p}:${i}`));
          expect(typeof got.get(0)![0]!.offset).toBe('string'); // int64 as text, never a JS number
        } finally {
          await s.close();
        }
      },
      60_000,
    );

    it.runIf(src.records)('finds the start offsets: earliest, latest and by timestamp', async () => {
      const s = connectors.openSource(f.conn);
      try {
        const r = s.records!;
        const ends = await r.endOffsets(topic);
        expect([...(await r.offsetsAt(topic, 'earliest')).values()]).toEqual(ends.map((e) => e.earliest));
        expect([...(await r.offsetsAt(topic, 'latest')).values()]).toEqual(ends.map((e) => e.latest));
        // Records were stamped 1_700_000_000_000 + index * 1000: index 100 starts at +100 s.
        expect([...(await r.offsetsAt(topic, { timestamp: 1_700_000_100_000 })).values()]).toEqual([100n, 100n, 100n]);
        expect([...(await r.offsetsAt(topic, { timestamp: Date.now() + 3_600_000 })).values()]).toEqual(ends.map((e) => e.latest));
      } finally {
        await s.close();
      }
    });

    it.runIf(tgt.records)(
      'commits records with their checkpoint in one transaction; a new writer fences the old one',
      async () => {
        const out = await f.emptyTopic(2);
        const t = connectors.openTarget(f.conn);
        const jobId = `acc-${randomUUID().slice(0, 8)}`;
        try {
          const r = t.records!;
          const rec = (o: number, p: number): KafkaRecord => ({
            topic: 'src',
            partition: p,
            offset: String(o),
            key: Buffer.from(`k${o}`),
            value: Buffer.from(`${p}:${o}`),
            headers: [['h', Buffer.from('x')]],
            timestamp: '1700000000000',
            timestampType: 'create',
          });
          const at = (o0: string, o1: string) => ({ v: 1 as const, kind: 'kafka' as const, offsets: { src: { '0': o0, '1': o1 } } });
          const w1 = await r.openWriter({ jobId, stream: 's' });
          expect(await r.readCheckpoint(jobId, 's')).toBeNull();
          const part = (p: number, from: number, n: number) => ({
            source: 'src',
            sourcePartition: p,
            target: out,
            records: Array.from({ length: n }, (_, i) => rec(from + i, p)),
            partitions: p,
            maxRecordBytes: 1 << 20,
          });
          await w1.write({ parts: [part(0, 0, 50), part(1, 0, 20)], position: at('50', '20') });
          const w2 = await r.openWriter({ jobId, stream: 's' });
          // The checkpoint also says where the job's records end on the target (a resume proves the target still holds them).
          expect((await w2.checkpoint())?.position).toEqual({ ...at('50', '20'), targetEnds: { [out]: { '0': '50', '1': '20' } } });
          await expect(w1.write({ parts: [part(0, 50, 10)], position: at('60', '20') })).rejects.toMatchObject({ code: 'FENCED' });
          await w2.write({ parts: [part(0, 50, 10)], position: at('60', '20') });
          await Promise.all([w1.close(), w2.close()]);
          const got = await f.read(out);
          expect(values(got.get(0)!)).toEqual(Array.from({ length: 60 }, (_, i) => `0:${i}`));
          expect(values(got.get(1)!)).toEqual(Array.from({ length: 20 }, (_, i) => `1:${i}`));
          expect(got.get(0)![0]!.headers.map(([n, v]) => [n, v.toString()])).toEqual([['h', 'x']]);
          // The writer records the ends its own transaction reached (50 records, a commit marker, then 10 more: 61).
          expect((await r.readCheckpoint(jobId, 's'))?.position).toEqual({ ...at('60', '20'), targetEnds: { [out]: { '0': '61' } } });
        } finally {
          await t.close();
        }
      },
      60_000,
    );
  });
}
