/**
 * The MySQL snapshot reader's hot path: a text-protocol row parser that reads each row packet
 * straight into an array (no per-field typeCast wrapper and closure, as mysql2's typeCast hook
 * costs), and batches collected from the query's row events with the connection paused while two
 * batches wait (no object-mode stream, whose per-row push and async iteration cost as much as the
 * parsing). Values keep the exact forms of makeTypeCast (read-sql.ts): text as strings, binary kinds
 * as Buffers, BIT as '0101'.
 */
import type { Connection as CoreConnection } from 'mysql2';
import type { ColumnType, Row, Value } from '../spi';
import type { TextRows } from '../text-rows';
import { bitString } from './read-sql';

const TEXT = 0;
const BINARY = 1;
const BIT = 2;

interface RawPacket {
  buffer: Buffer;
  offset: number;
}
type Slicer = Buffer & { utf8Slice(start: number, end: number): string };

export class TextRowParser {
  private readonly kinds: Uint8Array;
  private readonly bits: number[];
  /** Approximate bytes of the rows parsed so far (rowBytes' measure: value length + 1). */
  bytes = 0;
  constructor(types: ColumnType[]) {
    this.kinds = Uint8Array.from(types, (t) =>
      t.kind === 'binary' || t.kind === 'varbinary' || t.kind === 'blob' || t.kind === 'geometry' ? BINARY : t.kind === 'bit' ? BIT : TEXT,
    );
    this.bits = types.map((t) => t.length ?? 1);
  }

  kindsOf(): Uint8Array {
    return this.kinds;
  }

  /** mysql2's row parser interface (Query#_rowParser.next). */
  next(packet: RawPacket): Row {
    const buf = packet.buffer as Slicer;
    const kinds = this.kinds;
    const n = kinds.length;
    let o = packet.offset;
    let bytes = 0;
    const row: Value[] = new Array<Value>(n);
    for (let i = 0; i < n; i++) {
      let len = buf[o++]!;
      if (len >= 0xfb) {
        if (len === 0xfb) {
          row[i] = null;
          bytes += 1;
          continue;
        }
        if (len === 0xfc) {
          len = buf[o]! | (buf[o + 1]! << 8);
          o += 2;
        } else if (len === 0xfd) {
          len = buf[o]! | (buf[o + 1]! << 8) | (buf[o + 2]! << 16);
          o += 3;
        } else {
          len = buf.readUInt32LE(o) + buf.readUInt32LE(o + 4) * 0x1_0000_0000;
          o += 8;
        }
      }
      const end = o + len;
      const k = kinds[i]!;
      if (k === TEXT) row[i] = buf.utf8Slice(o, end);
      else if (k === BINARY) row[i] = Buffer.from(buf.subarray(o, end));
      else row[i] = bitString(buf.subarray(o, end), this.bits[i]!);
      bytes += len + 1;
      o = end;
    }
    packet.offset = o;
    this.bytes += bytes;
    return row;
  }
}

/**
 * The same rows kept as bytes (TextRows): each row packet's payload is copied once into the batch's
 * buffer, and only BIT values are decoded.
 */
export class TextBatchParser {
  private readonly kinds: Uint8Array;
  private readonly bits: number[];
  private buf: Buffer;
  private o = 0;
  private starts: Int32Array;
  private lens: Int32Array;
  private bitValues: (Value[] | undefined)[];
  count = 0;
  bytes = 0;
  constructor(
    types: ColumnType[],
    private readonly bufBytes: number,
  ) {
    this.kinds = new TextRowParser(types).kindsOf();
    this.bits = types.map((t) => t.length ?? 1);
    this.buf = Buffer.allocUnsafe(Math.min(bufBytes, 256 << 10));
    this.starts = new Int32Array(256 * types.length);
    this.lens = new Int32Array(256 * types.length);
    this.bitValues = this.newBitValues();
  }

  private newBitValues(): (Value[] | undefined)[] {
    return Array.from(this.kinds, (k) => (k === BIT ? [] : undefined));
  }

  next(packet: RawPacket & { end: number }): null {
    const n = this.kinds.length;
    const size = packet.end - packet.offset;
    if (this.o + size > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.o + size));
      this.buf.copy(bigger, 0, 0, this.o);
      this.buf = bigger;
    }
    const at = this.count * n;
    if (at + n > this.starts.length) {
      const s = new Int32Array(this.starts.length * 2);
      s.set(this.starts);
      this.starts = s;
      const l = new Int32Array(this.lens.length * 2);
      l.set(this.lens);
      this.lens = l;
    }
    const buf = this.buf;
    const src = packet.buffer;
    // Buffer#copy costs more than a short row's bytes: small rows are copied here, big ones by set()
    if (size < 512) for (let k = packet.offset, d = this.o; k < packet.end; k++, d++) buf[d] = src[k]!;
    else buf.set(src.subarray(packet.offset, packet.end), this.o);
    let o = this.o;
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      let len = buf[o++]!;
      if (len >= 0xfb) {
        if (len === 0xfb) {
          this.lens[at + i] = -1;
          if (this.kinds[i] === BIT) this.bitValues[i]!.push(null);
          bytes += 1;
          continue;
        }
        if (len === 0xfc) {
          len = buf[o]! | (buf[o + 1]! << 8);
          o += 2;
        } else if (len === 0xfd) {
          len = buf[o]! | (buf[o + 1]! << 8) | (buf[o + 2]! << 16);
          o += 3;
        } else {
          len = buf.readUInt32LE(o) + buf.readUInt32LE(o + 4) * 0x1_0000_0000;
          o += 8;
        }
      }
      this.starts[at + i] = o;
      this.lens[at + i] = len;
      if (this.kinds[i] === BIT) this.bitValues[i]!.push(bitString(buf.subarray(o, o + len), this.bits[i]!));
      bytes += len + 1;
      o += len;
    }
    this.o = o;
    this.count++;
    this.bytes += bytes;
    packet.offset = packet.end;
    return null;
  }

  /** The rows parsed since the last take(). */
  take(): TextRows {
    const n = this.kinds.length;
    const t: TextRows = {
      count: this.count,
      columns: n,
      buf: this.buf.subarray(0, this.o),
      starts: this.starts.subarray(0, this.count * n),
      lens: this.lens.subarray(0, this.count * n),
      binary: Array.from(this.kinds, (k) => k === BINARY),
      values: this.bitValues,
    };
    // the next batch's buffer: as big as this one needed (large fresh buffers cost page faults)
    this.buf = Buffer.allocUnsafe(Math.min(this.bufBytes, Math.max(64 << 10, this.o + (this.o >> 3))));
    this.o = 0;
    this.starts = new Int32Array(this.starts.length);
    this.lens = new Int32Array(this.lens.length);
    this.bitValues = this.newBitValues();
    this.count = 0;
    this.bytes = 0;
    return t;
  }
}

export interface RowBatch {
  /** Decoded rows; empty when `text` is set. */
  rows: Row[];
  text?: TextRows;
  bytes: number;
  /** The query's last batch (possibly empty). */
  last: boolean;
}

/**
 * Streams a SELECT's rows in batches of up to `batchRows` rows / `batchBytes` bytes. The connection
 * is paused while two batches wait for the consumer. Returning early leaves the query unfinished:
 * the caller drops the connection (it may still be paused).
 */
export async function* readRowBatches(
  core: CoreConnection,
  sql: string,
  types: ColumnType[],
  opts: { batchRows: number; batchBytes: number; dead?: boolean; text?: boolean },
): AsyncGenerator<RowBatch> {
  const tp = opts.text ? new TextBatchParser(types, opts.batchBytes + (opts.batchBytes >> 2) + (64 << 10)) : null;
  const parser = tp ?? new TextRowParser(types);
  const q = core.query({ sql, rowsAsArray: true }) as unknown as NodeJS.EventEmitter & { _rowParser: unknown };
  // mysql2 builds its own parser when the column definitions arrive; ours reads the rows instead
  Object.defineProperty(q, '_rowParser', { get: () => parser, set: () => {}, configurable: true });
  const ready: RowBatch[] = [];
  let rows: Row[] = [];
  let failed: Error | null = null;
  let ended = false;
  let paused = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const take = (last: boolean): RowBatch => {
    const bytes = parser.bytes;
    parser.bytes = 0;
    if (tp) return { rows: [], text: tp.take(), bytes, last };
    const b = { rows, bytes, last };
    rows = [];
    return b;
  };
  const flush = () => {
    ready.push(take(false));
    if (ready.length >= 2 && !paused) {
      paused = true;
      core.pause();
    }
    signal();
  };
  const fail = (e?: unknown) => {
    failed ??=
      e instanceof Error ? e : Object.assign(new Error('Connection lost: the server closed the connection'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true });
    signal();
  };
  // a query without a callback reports a lost connection only on the connection
  const onConnEnd = () => fail();
  q.on('result', (row: Row | null) => {
    if (tp) {
      if (tp.count >= opts.batchRows || tp.bytes >= opts.batchBytes) flush();
    } else {
      rows.push(row!);
      if (rows.length >= opts.batchRows || parser.bytes >= opts.batchBytes) flush();
    }
  });
  q.on('error', fail);
  q.on('end', () => {
    ended = true;
    signal();
  });
  core.on('error', fail);
  core.on('end', onConnEnd);
  if (opts.dead) fail();
  try {
    for (;;) {
      if (failed) throw failed;
      const b = ready.shift();
      if (b) {
        if (paused && ready.length < 2) {
          paused = false;
          core.resume();
        }
        yield b;
        continue;
      }
      if (ended) {
        if (failed) throw failed;
        yield take(true);
        return;
      }
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    core.off('error', fail);
    core.off('end', onConnEnd);
  }
}
