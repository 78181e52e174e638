/**
 * Replacements inside kafkajs 2.2.4's producer and fetch, installed through Node's CommonJS module cache before
 * kafkajs loads (it has had no release since, so the internals are fixed; any other version is left alone):
 *   - the Produce request (v3, which v4-v7 extend) encodes each partition's records with
 *     `encodeRecordBatch` (one Buffer per batch, slicing-by-8 CRC-32C, headers given as ordered pairs kept
 *     in order) instead of an Encoder, a Long and a header object per record;
 *   - messages are grouped per partition in linear time (kafkajs copies the partition's array for every
 *     message, O(n^2) per request);
 *   - fetched record batches are decoded by `batch-decode.ts` (straight from the Buffer, headers also as
 *     ordered pairs), and a fetch's records are checked against the fetched offset once, not through a Long
 *     per record (consumer/batch.js).
 * Everything else (producer id and epoch, sequences, AddPartitionsToTxn, retries, the fetch loop, aborted
 * transaction and control record filtering) stays kafkajs's. The wire formats are unchanged.
 */
import { createRequire } from 'node:module';
import { makeBatchDecoder } from './batch-decode';
import { encodeRecordBatch, type BatchMessage } from './record-batch';

const require = createRequire(import.meta.url);

interface KjsEncoder {
  writeString(s: string | null): KjsEncoder;
  writeInt16(n: number): KjsEncoder;
  writeInt32(n: number): KjsEncoder;
  writeBuffer(b: Buffer): KjsEncoder;
  buffer: Buffer;
}
type EncoderClass = new (initialSize?: number) => KjsEncoder;
type Codec = { compress(encoder: { buffer: Buffer }): Promise<Buffer> };

interface PartitionData {
  partition: number;
  firstSequence?: number;
  messages: BatchMessage[];
}
interface ProduceArgs {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: { toString(): string } | string | number;
  producerEpoch?: number;
  compression?: number;
  topicData: { topic: string; partitions: PartitionData[] }[];
}

let installed: boolean | null = null;

/** Installs the replacements if kafkajs is 2.2.4 and not loaded yet; true when they are in place. */
export function installFastPaths(): boolean {
  if (installed !== null) return installed;
  installed = false;
  const base = require.resolve('kafkajs/package.json').replace(/package\.json$/, '');
  const version = (require('kafkajs/package.json') as { version: string }).version;
  if (version !== '2.2.4' || require.cache[require.resolve('kafkajs')]) return false;
  const Encoder = require(`${base}src/protocol/encoder`) as EncoderClass;
  const { Produce: apiKey } = require(`${base}src/protocol/requests/apiKeys`) as { Produce: number };
  const { lookupCodec } = require(`${base}src/protocol/message/compression`) as { lookupCodec(t: number): Codec | null };

  const request = ({ acks, timeout, transactionalId = null, producerId = -1, producerEpoch = 0, compression = 0, topicData }: ProduceArgs) => ({
    apiKey,
    apiVersion: 3,
    apiName: 'Produce',
    expectResponse: () => acks !== 0,
    encode: async () => {
      const codec = compression ? lookupCodec(compression) : null;
      const pid = BigInt(String(producerId));
      const now = Date.now();
      // Batches first, then one Encoder of the exact size (kafkajs's nested Encoders copy every batch several times).
      const batches: Buffer[][] = [];
      let size = 2 + Buffer.byteLength(transactionalId ?? '') + 2 + 4 + 4;
      for (const { topic, partitions } of topicData) {
        const parts: Buffer[] = [];
        size += 2 + Buffer.byteLength(topic) + 4;
        for (const p of partitions) {
          const batch = await encodeRecordBatch(p.messages, {
            producerId: pid,
            producerEpoch,
            firstSequence: p.firstSequence ?? 0,
            transactional: !!transactionalId,
            now,
            ...(codec ? { compression: { id: compression & 0x07, compress: (buffer: Buffer) => codec.compress({ buffer }) } } : {}),
          });
          parts.push(batch);
          size += 8 + batch.length;
        }
        batches.push(parts);
      }
      const e = new Encoder(size).writeString(transactionalId).writeInt16(acks).writeInt32(timeout).writeInt32(topicData.length);
      topicData.forEach(({ topic, partitions }, t) => {
        e.writeString(topic).writeInt32(partitions.length);
        partitions.forEach((p, i) => e.writeInt32(p.partition).writeInt32(batches[t]![i]!.length).writeBuffer(batches[t]![i]!));
      });
      return e;
    },
  });

  type Partitioner = (a: { topic: string; partitionMetadata: unknown[]; message: unknown }) => number;
  const group = ({
    topic,
    partitionMetadata,
    messages,
    partitioner,
  }: {
    topic: string;
    partitionMetadata: unknown[];
    messages: unknown[];
    partitioner: Partitioner;
  }) => {
    const out: Record<number, unknown[]> = {};
    if (partitionMetadata.length === 0) return out;
    for (const message of messages) (out[partitioner({ topic, partitionMetadata, message })] ??= []).push(message);
    return out;
  };

  const put = (path: string, exports: unknown) => {
    const file = require.resolve(`${base}${path}`);
    require(file);
    require.cache[file]!.exports = exports;
  };
  put('src/protocol/requests/produce/v3/request', request);
  put('src/producer/groupMessagesPerPartition', group);
  const { KafkaJSPartialMessageError } = require(`${base}src/errors`) as { KafkaJSPartialMessageError: new (m: string) => Error };
  const { lookupCodecByAttributes } = require(`${base}src/protocol/message/compression`) as {
    lookupCodecByAttributes(a: number): { decompress(b: Buffer): Promise<Buffer> } | null;
  };
  put('src/protocol/recordBatch/v0/decoder', makeBatchDecoder({ PartialMessageError: KafkaJSPartialMessageError, lookupCodecByAttributes }));
  put(
    'src/consumer/batch',
    fastBatch(require(`${base}src/consumer/batch`) as BatchClass, require(`${base}src/consumer/filterAbortedMessages`) as FilterAborted),
  );
  installed = true;
  return true;
}

/** Whether the producer may hand kafkajs headers as ordered pairs (only the installed encoder reads them). */
export const fastPathsInstalled = (): boolean => installed === true;

type Msg = { offset: string; isControlRecord: boolean };
type BatchClass = { prototype: object };
type FilterAborted = (a: { messages: Msg[]; abortedTransactions: unknown }) => Msg[];
interface BatchFields {
  fetchedOffset: string;
  topic: string;
  partition: number;
  highWatermark: string;
  rawMessages: Msg[];
  messagesWithinOffset: Msg[];
  messages: Msg[];
}

/** kafkajs's Batch with its constructor's offset filter done once per fetch (offsets only grow within it); same methods. */
function fastBatch(Original: BatchClass, filterAborted: FilterAborted): unknown {
  function Batch(
    this: BatchFields,
    topic: string,
    fetchedOffset: string,
    data: { partition: number; highWatermark: string; abortedTransactions: unknown; messages: Msg[] },
  ) {
    this.fetchedOffset = fetchedOffset;
    this.topic = topic;
    this.partition = data.partition;
    this.highWatermark = data.highWatermark;
    const raw = (this.rawMessages = data.messages);
    const from = BigInt(fetchedOffset);
    this.messagesWithinOffset = !raw.length || BigInt(raw[0]!.offset) >= from ? raw : raw.filter((m) => BigInt(m.offset) >= from);
    this.messages = filterAborted({ messages: this.messagesWithinOffset, abortedTransactions: data.abortedTransactions }).filter((m) => !m.isControlRecord);
  }
  Batch.prototype = Original.prototype;
  return Batch;
}
