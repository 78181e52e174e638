/**
 * Text row codecs shared by the connectors:
 *  - PostgreSQL COPY text format (tab separated, \N for NULL, backslash escapes).
 *  - MySQL LOAD DATA format (same shape; \0 for NUL; binary columns as hex).
 * Both operate on Buffers; values are strings or Buffers, never numbers.
 */
import type { Row, Value } from './spi';

const BS = 0x5c;

/** Decodes one COPY text field (already split) into a string. */
export function unescapeCopyField(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '\\' || i + 1 >= s.length) {
      out += ch;
      continue;
    }
    const n = s[++i]!;
    switch (n) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1, i + 3));
        if (m) {
          out += String.fromCharCode(parseInt(m[0], 16));
          i += m[0].length;
        } else out += 'x';
        break;
      }
      default:
        if (n >= '0' && n <= '7') {
          const m = /^[0-7]{1,3}/.exec(s.slice(i, i + 3))!;
          out += String.fromCharCode(parseInt(m[0], 8));
          i += m[0].length - 1;
        } else out += n;
    }
  }
  return out;
}

/**
 * Incremental line splitter for COPY TO STDOUT text output. Feed Buffers;
 * complete rows come out as arrays of raw (still escaped) field strings or
 * null for \N.
 */
export class CopyTextParser {
  private rest: Buffer | null = null;
  push(chunk: Buffer, onRow: (fields: (string | null)[], rawBytes: number) => void): void {
    let buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl < 0) break;
      const line = buf.toString('utf8', start, nl);
      const parts = line.split('\t');
      const fields: (string | null)[] = new Array(parts.length);
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i]!;
        fields[i] = p === '\\N' ? null : unescapeCopyField(p);
      }
      onRow(fields, nl - start + 1);
      start = nl + 1;
    }
    this.rest = start < buf.length ? buf.subarray(start) : null;
    buf = Buffer.alloc(0);
  }
  get pending(): boolean {
    return this.rest !== null && this.rest.length > 0;
  }
}

function escapeText(s: string, mysql: boolean): string {
  // fast path: nothing to escape
  if (!/[\\\t\n\r\0]/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === BS) out += '\\\\';
    else if (c === 9) out += '\\t';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 0) out += mysql ? '\\0' : '\0';
    else out += s[i];
  }
  return out;
}

/**
 * Tab-separated rows with backslash escapes and `\N` for NULL: the shape both PG COPY text and
 * MySQL LOAD DATA read. `mysql` picks the string escaping and how Buffers are written.
 */
function* encodeTabular(rows: Row[], maxChunk: number, mysql: boolean): Generator<Buffer> {
  const bufferPrefix = mysql ? '' : '\\\\x';
  let parts: string[] = [];
  let len = 0;
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) {
      const v: Value | undefined = row[i];
      if (i > 0) line += '\t';
      if (v === null || v === undefined) line += '\\N';
      else if (typeof v === 'string') line += escapeText(v, mysql);
      else line += bufferPrefix + v.toString('hex');
    }
    line += '\n';
    parts.push(line);
    len += line.length;
    if (len >= maxChunk) {
      yield Buffer.from(parts.join(''), 'utf8');
      parts = [];
      len = 0;
    }
  }
  if (parts.length) yield Buffer.from(parts.join(''), 'utf8');
}

/** Encodes rows in PG COPY text format; Buffers become bytea hex (\\x..). */
export function encodePgCopyText(rows: Row[], maxChunk = 1 << 20): Generator<Buffer> {
  return encodeTabular(rows, maxChunk, false);
}

/**
 * Encodes rows for MySQL LOAD DATA (FIELDS TERMINATED BY '\t' ESCAPED BY '\\'
 * LINES TERMINATED BY '\n'). Buffers are written as hex; the statement wraps
 * those columns in UNHEX(). Chunks stay well under max_allowed_packet.
 */
export function encodeMysqlLoadData(rows: Row[], maxChunk = 1 << 20): Generator<Buffer> {
  return encodeTabular(rows, maxChunk, true);
}

/** Approximate in-memory/wire size of a row. */
export function rowBytes(row: Row): number {
  let n = 0;
  for (const v of row) n += v === null ? 1 : typeof v === 'string' ? v.length + 1 : v.length + 1;
  return n;
}
