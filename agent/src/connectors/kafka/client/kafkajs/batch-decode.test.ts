import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { makeBatchDecoder } from './batch-decode';
import { encodeRecordBatch } from './record-batch';

const require = createRequire(import.meta.url);
const kjs = (p: string): unknown => require(`kafkajs/src/${p}`);
type Decoder = new (b: Buffer) => unknown;
const Decoder = kjs('protocol/decoder') as Decoder;
const theirs = kjs('protocol/recordBatch/v0/decoder') as (d: unknown) => Promise<{ records: Record<string, unknown>[] }>;
const compression = kjs('protocol/message/compression') as { lookupCodecByAttributes(a: number): { decompress(b: Buffer): Promise<Buffer> } | null };
const { KafkaJSPartialMessageError } = kjs('errors') as { KafkaJSPartialMessageError: new (m: string) => Error };
const ours = makeBatchDecoder({ PartialMessageError: KafkaJSPartialMessageError, lookupCodecByAttributes: compression.lookupCodecByAttributes });

/** A batch as a fetch returns it: base offset set by the broker. */
async function batch(gzip: boolean, baseOffset: bigint): Promise<Buffer> {
  const gz = kjs('protocol/message/compression/gzip') as { compress(e: { buffer: Buffer }): Promise<Buffer> };
  const b = await encodeRecordBatch(
    [
      {
        key: Buffer.from('k1'),
        value: Buffer.from('v1'),
        headers: [
          ['a', Buffer.from('1')],
          ['b', Buffer.from('2')],
          ['a', Buffer.from('3')],
        ],
        timestamp: '1700000000500',
      },
      { key: null, value: null, headers: [], timestamp: '1700000000000' },
      { key: Buffer.alloc(0), value: Buffer.from('x'.repeat(200)), timestamp: '1700000009999' },
    ],
    {
      producerId: 77n,
      producerEpoch: 2,
      firstSequence: 5,
      transactional: true,
      ...(gzip ? { compression: { id: 1, compress: (buffer: Buffer) => gz.compress({ buffer }) } } : {}),
    },
  );
  b.writeBigInt64BE(baseOffset, 0);
  return b;
}

describe('record batch decoding', () => {
  for (const gzip of [false, true]) {
    it(`reads what kafkajs reads (${gzip ? 'gzip' : 'uncompressed'}), plus ordered header pairs`, async () => {
      const buf = await batch(gzip, 9_007_199_254_740_990n);
      const a = await ours(new Decoder(buf) as never);
      const b = await theirs(new Decoder(buf));
      const { records: ra, ...ca } = a;
      const { records: rb, ...cb } = b;
      expect(ca).toEqual(cb);
      expect(ra.map(({ headerPairs: _, ...r }) => r)).toEqual(rb);
      expect(ra.map((r) => r.offset)).toEqual(['9007199254740990', '9007199254740991', '9007199254740992']);
      expect(ra[0]!.headerPairs.map(([n, v]) => `${n}=${v?.toString()}`)).toEqual(['a=1', 'b=2', 'a=3']);
    });
  }

  it('throws kafkajs partial-message error on a cut batch', async () => {
    const buf = await batch(false, 0n);
    await expect(ours(new Decoder(buf.subarray(0, buf.length - 10)) as never)).rejects.toThrow(KafkaJSPartialMessageError);
  });
});
