/**
 * TextRows: a batch of rows kept as the bytes a source read them in (UTF-8 text, or raw bytes for
 * binary columns) in one buffer, with each value's offset and length, so that a value which passes
 * through unchanged is never decoded into a JS string. Encoders write the bulk-load text formats
 * (PG COPY text, MySQL LOAD DATA) by copying bytes with their escapes. A column whose values are
 * converted (or decoded, e.g. BIT) carries them in `values`, which take precedence over the bytes.
 * `textRowsToRows()` gives the decoded rows, for any path that needs them. EncodedRows: rows already
 * in a wire format both sides speak.
 */
/** spi.ts's Value and Row (spi.ts imports this file). */
type Value = string | Buffer | null;
type Row = Value[];

export interface TextRows {
  count: number;
  columns: number;
  buf: Buffer;
  /** Per value (row * columns + column): offset in buf, and length (-1 = NULL). */
  starts: Int32Array;
  lens: Int32Array;
  /** Per column: the bytes are binary (a Buffer value), not UTF-8 text. */
  binary: boolean[];
  /** Per column: values that replace the bytes (converted or decoded), one per row. */
  values: (Value[] | undefined)[];
}

/** Rows already encoded in a wire format both sides speak (PG -> PG COPY text passes straight through). */
export interface EncodedRows {
  /**
   * pg-copy-text: COPY text lines. pg-copy-binary: whole binary COPY tuples, without the stream's header
   * and trailer (the writer adds its own), only between columns declared the same on both sides; a source
   * asked for it may answer with pg-copy-text for a table whose types binary cannot carry.
   */
  format: 'pg-copy-text' | 'pg-copy-binary';
  chunks: Buffer[];
  rows: number;
}

type Slicer = Buffer & { utf8Slice(start: number, end: number): string };

/** The value of row r, column c, as the row form would carry it. */
export function textRowsValue(t: TextRows, r: number, c: number): Value {
  const vals = t.values[c];
  if (vals) return vals[r] ?? null;
  const i = r * t.columns + c;
  const len = t.lens[i]!;
  if (len < 0) return null;
  const s = t.starts[i]!;
  return t.binary[c] ? Buffer.from(t.buf.subarray(s, s + len)) : (t.buf as Slicer).utf8Slice(s, s + len);
}

/** Decoded rows. */
export function textRowsToRows(t: TextRows): Row[] {
  const out: Row[] = new Array<Row>(t.count);
  for (let r = 0; r < t.count; r++) {
    const row: Value[] = new Array<Value>(t.columns);
    for (let c = 0; c < t.columns; c++) row[c] = textRowsValue(t, r, c);
    out[r] = row;
  }
  return out;
}

/** Column c's values (decoded), e.g. for a converter. */
export function textRowsColumn(t: TextRows, c: number): Value[] {
  const out: Value[] = new Array<Value>(t.count);
  for (let r = 0; r < t.count; r++) out[r] = textRowsValue(t, r, c);
  return out;
}

const HEX = Buffer.from('0123456789abcdef');

function grow(out: Buffer, o: number, n: number): Buffer {
  if (o + n <= out.length) return out;
  const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, o + n));
  out.copy(bigger, 0, 0, o);
  return bigger;
}

/** Hex of src[s, e) at out[o] (room checked by the caller: 3 + 2 * (e - s)); returns the new offset. */
function putHex(out: Buffer, o: number, src: Buffer, s: number, e: number, pgPrefix: boolean): number {
  if (pgPrefix) {
    out[o++] = 0x5c;
    out[o++] = 0x5c;
    out[o++] = 0x78; // \\x
  }
  for (let k = s; k < e; k++) {
    const b = src[k]!;
    out[o++] = HEX[b >> 4]!;
    out[o++] = HEX[b & 15]!;
  }
  return o;
}

/** src[s, e) with backslash escapes at out[o] (room checked by the caller: 2 * (e - s)); returns the new offset. */
function putEscaped(out: Buffer, o: number, src: Buffer, s: number, e: number, mysql: boolean): number {
  for (let k = s; k < e; k++) {
    const b = src[k]!;
    if (b > 0x5c || (b > 0x0d && b < 0x5c)) out[o++] = b;
    else if (b === 0x5c) {
      out[o++] = 0x5c;
      out[o++] = 0x5c;
    } else if (b === 0x09) {
      out[o++] = 0x5c;
      out[o++] = 0x74;
    } else if (b === 0x0a) {
      out[o++] = 0x5c;
      out[o++] = 0x6e;
    } else if (b === 0x0d) {
      out[o++] = 0x5c;
      out[o++] = 0x72;
    } else if (b === 0 && mysql) {
      out[o++] = 0x5c;
      out[o++] = 0x30;
    } else out[o++] = b;
  }
  return o;
}

/**
 * PG COPY text (`mysql` false: bytea as \\x hex) or MySQL LOAD DATA (`mysql` true: binary as hex, NUL
 * as \0), the same bytes encodePgCopyText / encodeMysqlLoadData write for the decoded rows. `hex`:
 * columns written as hex even though their bytes are text (a MySQL target's binary columns).
 */
export function* encodeTextRows(t: TextRows, mysql: boolean, hex?: boolean[], maxChunk = 1 << 20): Generator<Buffer> {
  const { buf, starts, lens, columns, values } = t;
  const hexText = Array.from({ length: columns }, (_, c) => !!hex?.[c]);
  const pg = !mysql;
  // about the input's size (escapes are rare; grow() covers the rest)
  const size = Math.min(maxChunk, buf.length + (buf.length >> 3)) + 4096;
  let out: Buffer = Buffer.allocUnsafe(size);
  let o = 0;
  let i = 0;
  for (let r = 0; r < t.count; r++) {
    for (let c = 0; c < columns; c++, i++) {
      if (c > 0) out[o++] = 0x09;
      const vals = values[c];
      let src: Buffer | null = null;
      let s = 0;
      let e = 0;
      let isBuf = false;
      if (vals) {
        const v = vals[r];
        if (v !== null && v !== undefined) {
          isBuf = typeof v !== 'string';
          src = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
          e = src.length;
        }
      } else {
        const len = lens[i]!;
        if (len >= 0) {
          src = buf;
          isBuf = t.binary[c]!;
          s = starts[i]!;
          e = s + len;
        }
      }
      // room for this value plus a separator, a NULL marker or the newline
      out = grow(out, o, 8 + 2 * (e - s));
      if (src === null) {
        out[o++] = 0x5c;
        out[o++] = 0x4e;
      } else if (isBuf || hexText[c]) o = putHex(out, o, src, s, e, pg);
      else o = putEscaped(out, o, src, s, e, mysql);
    }
    out[o++] = 0x0a;
    if (o >= maxChunk) {
      yield out.subarray(0, o);
      out = Buffer.allocUnsafe(size);
      o = 0;
    }
  }
  if (o > 0) yield out.subarray(0, o);
}
