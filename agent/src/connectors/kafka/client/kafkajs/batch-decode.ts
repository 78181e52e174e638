/**
 * A replacement for kafkajs 2.2.4's record batch decoder (protocol/recordBatch/v0/decoder.js), installed by
 * `fast-paths.ts`. Same input (kafkajs's Decoder at a batch), same output (the batch context and its
 * records as kafkajs's messages), so kafkajs's fetch, its aborted-transaction and control-record filtering
 * and its consumer run unchanged. It reads the records straight from the Buffer (kafkajs makes a Decoder,
 * two Long objects and a header object per record) and also gives each record its headers as ordered
 * pairs (`headerPairs`), so repeats of a name keep their interleaving with other names.
 */

export interface KjsDecoder {
  readInt64(): { toString(): string };
  readInt32(): number;
  slice(n: number): { buffer: Buffer };
  forward(n: number): void;
}

export interface DecodedRecord {
  magicByte: number;
  attributes: number;
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null | (Buffer | null)[]>;
  headerPairs: [string, Buffer | null][];
  isControlRecord: boolean;
  batchContext: Record<string, unknown>;
}

interface Deps {
  PartialMessageError: new (message: string) => Error;
  lookupCodecByAttributes(attributes: number): { decompress(b: Buffer): Promise<Buffer> } | null;
}

const LOG_APPEND_TIME = 1;
const NO_PAIRS = Object.freeze([]) as unknown as [string, Buffer | null][];
const NO_HEADERS = Object.freeze({}) as Record<string, Buffer | null>;
let pos = 0;

function varint(b: Buffer): number {
  let r = 0;
  let shift = 0;
  let x: number;
  do {
    x = b[pos++]!;
    r |= (x & 0x7f) << shift;
    shift += 7;
  } while (x & 0x80 && shift < 35);
  return (r >>> 1) ^ -(r & 1);
}

/** A zigzag varlong; exact while it is a safe integer (else through BigInt). */
function varlong(b: Buffer): number | bigint {
  const start = pos;
  let r = 0;
  let mul = 1;
  let x: number;
  do {
    x = b[pos++]!;
    r += (x & 0x7f) * mul;
    mul *= 128;
  } while (x & 0x80 && pos - start < 7);
  if (x & 0x80) {
    pos = start;
    let big = 0n;
    let sh = 0n;
    do {
      x = b[pos++]!;
      big |= BigInt(x & 0x7f) << sh;
      sh += 7n;
    } while (x & 0x80);
    return (big >> 1n) ^ -(big & 1n);
  }
  return r % 2 === 0 ? r / 2 : -(r + 1) / 2;
}

function bytes(b: Buffer): Buffer | null {
  const n = varint(b);
  if (n < 0) return null;
  const out = b.subarray(pos, pos + n);
  pos += n;
  return out;
}

/** base (decimal text) + delta, as decimal text. */
function plus(base: string, baseNum: number, delta: number | bigint): string {
  if (typeof delta === 'number') {
    const s = baseNum + delta;
    if (Number.isSafeInteger(baseNum) && Number.isSafeInteger(s)) return String(s);
    return (BigInt(base) + BigInt(delta)).toString();
  }
  return (BigInt(base) + delta).toString();
}

function decodeRecords(
  b: Buffer,
  count: number,
  ctx: Record<string, unknown>,
  firstOffset: string,
  firstTimestamp: string,
  maxTimestamp: string,
  logAppend: boolean,
  isControl: boolean,
): DecodedRecord[] {
  const records = new Array<DecodedRecord>(count);
  const offNum = Number(firstOffset);
  const tsNum = Number(firstTimestamp);
  const magicByte = ctx.magicByte as number;
  for (let i = 0; i < count; i++) {
    const len = varint(b);
    const end = pos + len;
    const attributes = b.readInt8(pos++);
    const tsDelta = varlong(b);
    const timestamp = logAppend && maxTimestamp ? maxTimestamp : plus(firstTimestamp, tsNum, tsDelta);
    const offset = plus(firstOffset, offNum, varint(b));
    const key = bytes(b);
    const value = bytes(b);
    const nh = varint(b);
    // No headers (the common case): shared empty (frozen) values, two allocations less per record.
    const headerPairs: [string, Buffer | null][] = nh ? [] : NO_PAIRS;
    const headers: Record<string, Buffer | null | (Buffer | null)[]> = nh ? {} : NO_HEADERS;
    for (let h = 0; h < nh; h++) {
      const kl = varint(b);
      const name = b.toString('utf8', pos, pos + kl);
      pos += kl;
      const v = bytes(b);
      headerPairs.push([name, v]);
      const cur = headers[name];
      headers[name] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur, v];
    }
    pos = end;
    records[i] = { magicByte, attributes, timestamp, offset, key, value, headers, headerPairs, isControlRecord: isControl, batchContext: ctx };
  }
  return records;
}

/** kafkajs's RecordBatchDecoder contract: reads one batch from the fetch response's decoder. */
export const makeBatchDecoder =
  (deps: Deps) =>
  async (fetchDecoder: KjsDecoder): Promise<Record<string, unknown> & { records: DecodedRecord[] }> => {
    const firstOffset = fetchDecoder.readInt64().toString();
    const length = fetchDecoder.readInt32();
    const b = fetchDecoder.slice(length).buffer;
    fetchDecoder.forward(length);
    if (b.length < length)
      throw new deps.PartialMessageError(`Tried to decode a partial record batch: remainingBytes(${b.length}) < recordBatchLength(${length})`);
    const attributes = b.readInt16BE(9);
    const firstTimestamp = b.readBigInt64BE(15).toString();
    const maxTimestamp = b.readBigInt64BE(23).toString();
    const isControlBatch = (attributes & 0x20) > 0;
    const timestampType = (attributes & 0x08) > 0 ? LOG_APPEND_TIME : 0;
    const recordContext = {
      firstOffset,
      firstTimestamp,
      partitionLeaderEpoch: b.readInt32BE(0),
      inTransaction: (attributes & 0x10) > 0,
      isControlBatch,
      lastOffsetDelta: b.readInt32BE(11),
      producerId: b.readBigInt64BE(31).toString(),
      producerEpoch: b.readInt16BE(39),
      firstSequence: b.readInt32BE(41),
      maxTimestamp,
      timestampType,
    };
    const ctx = { ...recordContext, magicByte: b.readInt8(4) };
    const count = b.readInt32BE(45);
    let records: DecodedRecord[] = [];
    if (count > 0) {
      const codec = deps.lookupCodecByAttributes(attributes);
      let body = b.subarray(49);
      if (codec) body = await codec.decompress(body);
      pos = 0;
      records = decodeRecords(body, count, ctx, firstOffset, firstTimestamp, maxTimestamp, timestampType === LOG_APPEND_TIME, isControlBatch);
    }
    return { ...recordContext, records };
  };
