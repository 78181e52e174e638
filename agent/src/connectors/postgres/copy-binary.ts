/**
 * PostgreSQL binary COPY passed through (PG -> PG with identical column types): the source's
 * `COPY … TO STDOUT (FORMAT binary)` is split into whole tuples without decoding any value, and the
 * target's `COPY … FROM STDIN (FORMAT binary)` gets them between its own header and trailer. Only the
 * last tuple's key is decoded, for the chunk cursor (in COPY text form, as the text path stores it).
 */
import { ConnectorError, type Batch, type ChunkCursor, type ColumnType, type KeyValue, type ReadOptions, type SnapshotTask, type TableInfo } from '../spi';

/** Signature, flags (no OIDs), header extension length 0. */
export const PG_BINARY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
/** A tuple whose field count is -1 ends the data. */
export const PG_BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/**
 * Whether a column can travel in binary form between two PostgreSQL databases that declare it the same:
 * built-in types and enums (their binary form is the label). Arrays, composites, domains and other user
 * types carry type OIDs or need their own receive function, and stay on the text path.
 */
export function binaryColumnOk(t: ColumnType): boolean {
  switch (t.kind) {
    case 'bool':
    case 'int':
    case 'decimal':
    case 'float':
    case 'char':
    case 'varchar':
    case 'text':
    case 'blob':
    case 'date':
    case 'time':
    case 'timetz':
    case 'datetime':
    case 'timestamptz':
    case 'interval':
    case 'json':
    case 'uuid':
    case 'enum':
    case 'bit':
      return true;
    default:
      return false;
  }
}

/** Key columns whose binary form this module turns back into COPY text for the cursor. */
export function binaryKeyOk(t: ColumnType): boolean {
  return t.kind === 'int' || t.kind === 'char' || t.kind === 'varchar' || t.kind === 'text' || t.kind === 'uuid';
}

/** Every column of the task can travel in binary form, and its key can be read back for the cursor. */
export function binaryTaskOk(task: SnapshotTask, t: TableInfo | undefined): boolean {
  if (!t || task.readExpr) return false;
  const typeOf = (c: string) => t.columns.find((x) => x.name === c)?.type;
  const all = (cols: string[], ok: (ty: ColumnType) => boolean) =>
    cols.every((c) => {
      const ty = typeOf(c);
      return !!ty && ok(ty);
    });
  return all(task.columns, binaryColumnOk) && all(task.keyColumns, binaryKeyOk);
}

/** COPY text of one binary field (binaryKeyOk types only). */
function keyText(t: ColumnType, b: Buffer, at: number, len: number): string {
  if (t.kind === 'int') {
    if (len === 8) return b.readBigInt64BE(at).toString();
    if (len === 4) return t.unsigned ? String(b.readUInt32BE(at)) : String(b.readInt32BE(at));
    return String(b.readInt16BE(at));
  }
  if (t.kind === 'uuid') {
    const h = b.toString('hex', at, at + len);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return b.toString('utf8', at, at + len);
}

/**
 * Splits a binary COPY stream into whole tuples. `push` returns the complete tuples of what arrived
 * (a view on the input where possible), how many, and where the last one starts; the header is
 * dropped, and the trailer ends the stream (`ended`).
 */
export class BinaryCopySplitter {
  private rest: Buffer | null = null;
  private headerLeft = true;
  ended = false;

  push(chunk: Buffer): { tuples: Buffer; rows: number; lastStart: number } {
    let buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = null;
    let pos = 0;
    if (this.headerLeft) {
      if (buf.length < 19) {
        this.rest = Buffer.from(buf);
        return { tuples: buf.subarray(0, 0), rows: 0, lastStart: -1 };
      }
      if (!buf.subarray(0, 11).equals(PG_BINARY_HEADER.subarray(0, 11))) throw new Error('not a binary COPY stream');
      pos = 19 + buf.readUInt32BE(15);
      this.headerLeft = false;
      buf = buf.subarray(pos);
      pos = 0;
    }
    let rows = 0;
    let lastStart = -1;
    let end = 0;
    const n = buf.length;
    for (;;) {
      if (pos + 2 > n) break;
      const fields = buf.readInt16BE(pos);
      if (fields === -1) {
        this.ended = true;
        break;
      }
      let p = pos + 2;
      let whole = true;
      for (let f = 0; f < fields; f++) {
        if (p + 4 > n) {
          whole = false;
          break;
        }
        const len = buf.readInt32BE(p);
        p += 4 + (len > 0 ? len : 0);
        if (p > n) {
          whole = false;
          break;
        }
      }
      if (!whole) break;
      lastStart = pos;
      pos = p;
      end = p;
      rows++;
    }
    if (!this.ended && end < n) this.rest = Buffer.from(buf.subarray(end));
    return { tuples: buf.subarray(0, end), rows, lastStart };
  }

  /** The key of the tuple starting at `start` in `tuples`, in COPY text form (null for NULL). */
  static key(tuples: Buffer, start: number, keyIdx: number[], keyTypes: ColumnType[]): (string | null)[] {
    const fields = tuples.readInt16BE(start);
    const at: number[] = [];
    const lens: number[] = [];
    let p = start + 2;
    for (let f = 0; f < fields; f++) {
      const len = tuples.readInt32BE(p);
      at.push(p + 4);
      lens.push(len);
      p += 4 + (len > 0 ? len : 0);
    }
    return keyIdx.map((i, k) => (lens[i]! < 0 ? null : keyText(keyTypes[k]!, tuples, at[i]!, lens[i]!)));
  }
}

/** Batches of whole tuples from a binary COPY stream, with the cursor after each (the last tuple's key). */
export async function* binaryBatches(
  stream: AsyncIterable<Buffer>,
  task: SnapshotTask,
  cursor: ChunkCursor | undefined,
  opts: ReadOptions,
  keyTypes: ColumnType[],
): AsyncGenerator<Batch> {
  const keyIdx = task.keyColumns.map((k) => task.columns.indexOf(k));
  const splitter = new BinaryCopySplitter();
  let chunks: Buffer[] = [];
  let rows = 0;
  let bytes = 0;
  let total = cursor?.rows ?? 0;
  let totalBytes = cursor?.bytes ?? 0;
  let lastKey: KeyValue | undefined = cursor?.after;
  const mk = (done: boolean): Batch => {
    total += rows;
    totalBytes += bytes;
    const b: Batch = {
      columns: task.columns,
      rows: [],
      encoded: { format: 'pg-copy-binary', chunks, rows },
      bytes,
      cursor: { v: 1, done, rows: total, bytes: totalBytes, ...(lastKey ? { after: lastKey } : {}) },
    };
    chunks = [];
    rows = 0;
    bytes = 0;
    return b;
  };
  for await (const chunk of stream) {
    if (opts.signal?.aborted) throw new ConnectorError('aborted', { class: 'transient', code: 'ABORTED' });
    const got = splitter.push(chunk);
    if (!got.rows) continue;
    if (keyIdx.length) lastKey = BinaryCopySplitter.key(got.tuples, got.lastStart, keyIdx, keyTypes);
    chunks.push(got.tuples);
    rows += got.rows;
    bytes += got.tuples.length;
    if (rows >= opts.batchRows || bytes >= opts.batchBytes) yield mk(false);
  }
  if (!splitter.ended)
    throw new ConnectorError('the binary COPY stream ended without its trailer', { class: 'transient', code: 'TRUNCATED_COPY', retryable: true });
  yield mk(true);
}
