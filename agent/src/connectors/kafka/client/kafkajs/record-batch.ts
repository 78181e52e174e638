/**
 * Kafka record batches (magic 2) encoded in one pass into one Buffer, and CRC-32C (Castagnoli) by
 * slicing-by-8. kafkajs 2.2.4 encodes each record through its own Encoder objects (a Buffer, a Long
 * and a header object per record) and checks the batch with a byte-at-a-time CRC: at 100 B records
 * that encoding was the largest part of the Kafka -> Kafka job's CPU profile (ARCHITECTURE.md,
 * "Kafka -> Kafka benchmark"). `fast-paths.ts` installs this encoder into kafkajs's produce request.
 */

const CASTAGNOLI = 0x82f63b78;
const TABLES: Int32Array[] = (() => {
  const t = Array.from({ length: 8 }, () => new Int32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CASTAGNOLI : c >>> 1;
    t[0]![n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[0]![n]!;
    for (let k = 1; k < 8; k++) {
      c = t[0]![c & 0xff]! ^ (c >>> 8);
      t[k]![n] = c;
    }
  }
  return t;
})();

/** CRC-32C of buf[start, end), unsigned. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
  let crc = -1;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const a = crc ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
    crc =
      t7[a & 0xff]! ^
      t6[(a >>> 8) & 0xff]! ^
      t5[(a >>> 16) & 0xff]! ^
      t4[a >>> 24]! ^
      t3[buf[i + 4]!]! ^
      t2[buf[i + 5]!]! ^
      t1[buf[i + 6]!]! ^
      t0[buf[i + 7]!]!;
  }
  for (; i < end; i++) crc = t0[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** A record as kafkajs's producer hands it over: headers as ordered pairs (Sluice's) or kafkajs's object form. */
export interface BatchMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: [string, Buffer][] | Record<string, Buffer | string | (Buffer | string)[] | undefined>;
  timestamp?: string | number;
}

export interface BatchOptions {
  producerId: bigint;
  producerEpoch: number;
  firstSequence: number;
  transactional: boolean;
  /** Codec id (attributes bits 0-2) and how to compress the records section; none when absent. */
  compression?: { id: number; compress(records: Buffer): Promise<Buffer> };
  /** For messages without a timestamp. */
  now?: number;
}

const zig32 = (v: number): number => ((v << 1) ^ (v >> 31)) >>> 0;
/** ZigZag of a (safe-integer) 64-bit value, as a non-negative double. */
const zig64 = (v: number): number => (v >= 0 ? v * 2 : -v * 2 - 1);

function sizeOfUVarint(u: number): number {
  let n = 1;
  while (u >= 128) {
    u = Math.floor(u / 128);
    n++;
  }
  return n;
}

function writeUVarint(buf: Buffer, off: number, u: number): number {
  while (u >= 128) {
    buf[off++] = (u % 128) | 0x80;
    u = Math.floor(u / 128);
  }
  buf[off++] = u;
  return off;
}

const asBytes = (v: Buffer | string | null | undefined): Buffer | null => (v === null || v === undefined ? null : typeof v === 'string' ? Buffer.from(v) : v);

function headerPairs(h: BatchMessage['headers']): [string, Buffer | null][] {
  if (!h) return [];
  if (Array.isArray(h)) return h;
  const out: [string, Buffer | null][] = [];
  for (const name of Object.keys(h)) {
    const v = h[name];
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) out.push([name, asBytes(x)]);
    else out.push([name, asBytes(v)]);
  }
  return out;
}

const RECORDS_AT = 61;

/** One record batch (base offset 0: the broker assigns offsets) holding `messages` in order. */
export async function encodeRecordBatch(messages: BatchMessage[], o: BatchOptions): Promise<Buffer> {
  const n = messages.length;
  const now = o.now ?? Date.now();
  const ts = new Float64Array(n);
  let first = Infinity;
  let max = -Infinity;
  let lastText: string | number | undefined;
  let lastTs = 0;
  for (let i = 0; i < n; i++) {
    const t = messages[i]!.timestamp;
    // one transaction's records often share one timestamp text: parse it once
    const v = t === undefined || t === null || t === '' ? now : t === lastText ? lastTs : ((lastText = t), (lastTs = Number(t)));
    ts[i] = v;
    if (v < first) first = v;
    if (v > max) max = v;
  }
  if (!n) first = max = now;
  // Sizes first, then one allocation.
  const keys: (Buffer | null)[] = new Array<Buffer | null>(n);
  const values: (Buffer | null)[] = new Array<Buffer | null>(n);
  const heads: [string, Buffer | null][][] = new Array<[string, Buffer | null][]>(n);
  const bodies = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const m = messages[i]!;
    const k = (keys[i] = asBytes(m.key));
    const v = (values[i] = asBytes(m.value));
    const h = (heads[i] = headerPairs(m.headers));
    let body = 1 + sizeOfUVarint(zig64(ts[i]! - first)) + sizeOfUVarint(zig32(i));
    body += k ? sizeOfUVarint(zig32(k.length)) + k.length : 1;
    body += v ? sizeOfUVarint(zig32(v.length)) + v.length : 1;
    body += sizeOfUVarint(zig32(h.length));
    for (const [name, hv] of h) {
      const nl = Buffer.byteLength(name);
      body += sizeOfUVarint(zig32(nl)) + nl + (hv ? sizeOfUVarint(zig32(hv.length)) + hv.length : 1);
    }
    bodies[i] = body;
    total += sizeOfUVarint(zig32(body)) + body;
  }
  // Uncompressed, the records are written in place after the batch header; compressed, they are a buffer of their own.
  const records: Buffer = Buffer.allocUnsafe(o.compression ? total : RECORDS_AT + total);
  let off = o.compression ? 0 : RECORDS_AT;
  for (let i = 0; i < n; i++) {
    off = writeUVarint(records, off, zig32(bodies[i]!));
    records[off++] = 0;
    off = writeUVarint(records, off, zig64(ts[i]! - first));
    off = writeUVarint(records, off, zig32(i));
    // key, then value; TypedArray#set copies a small Buffer far cheaper than Buffer#copy (a native call each)
    const k = keys[i];
    if (!k) records[off++] = 1;
    else {
      off = writeUVarint(records, off, zig32(k.length));
      records.set(k, off);
      off += k.length;
    }
    const v = values[i];
    if (!v) records[off++] = 1;
    else {
      off = writeUVarint(records, off, zig32(v.length));
      records.set(v, off);
      off += v.length;
    }
    const h = heads[i]!;
    off = writeUVarint(records, off, zig32(h.length));
    for (const [name, hv] of h) {
      off = writeUVarint(records, off, zig32(Buffer.byteLength(name)));
      off += records.write(name, off);
      if (!hv) records[off++] = 1;
      else {
        off = writeUVarint(records, off, zig32(hv.length));
        off += hv.copy(records, off);
      }
    }
  }
  let batch = records;
  if (o.compression) {
    const packed = await o.compression.compress(records);
    batch = Buffer.allocUnsafe(RECORDS_AT + packed.length);
    packed.copy(batch, RECORDS_AT);
  }
  batch.writeBigInt64BE(0n, 0); // base offset
  batch.writeInt32BE(batch.length - 12, 8); // batch length
  batch.writeInt32BE(0, 12); // partition leader epoch
  batch.writeInt8(2, 16); // magic
  batch.writeInt16BE((o.compression?.id ?? 0) | (o.transactional ? 0x10 : 0), 21);
  batch.writeInt32BE(n - 1, 23); // last offset delta
  batch.writeBigInt64BE(BigInt(first), 27);
  batch.writeBigInt64BE(BigInt(max), 35);
  batch.writeBigInt64BE(o.producerId, 43);
  batch.writeInt16BE(o.producerEpoch, 51);
  batch.writeInt32BE(o.firstSequence, 53);
  batch.writeInt32BE(n, 57);
  batch.writeUInt32BE(crc32c(batch, 21), 17);
  return batch;
}
