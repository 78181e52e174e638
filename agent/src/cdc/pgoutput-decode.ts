/**
 * A pgoutput (protocol v1) decoder that keeps every value as the exact text
 * PostgreSQL sent (bytea as bytes), and marks unchanged TOAST columns instead
 * of inventing a value for them (never through pg's type parsers: no floats,
 * no Dates). It reads the XLogData payloads of pg-replication-stream.ts.
 */
import type { CdcRow } from './types';

export interface RelColumn {
  name: string;
  isKey: boolean;
  typeOid: number;
  typeMod: number;
}

export interface Relation {
  oid: number;
  schema: string;
  name: string;
  replicaIdentity: 'd' | 'n' | 'f' | 'i';
  columns: RelColumn[];
}

export interface DecodedTuple {
  row: CdcRow;
  unchanged: string[];
}

export type PgMessage =
  | { tag: 'begin'; finalLsn: string; commitTimeMs: number; xid: number }
  | { tag: 'commit'; commitLsn: string; endLsn: string; commitTimeMs: number }
  | { tag: 'relation'; relation: Relation }
  | { tag: 'insert'; relation: Relation; after: DecodedTuple }
  | { tag: 'update'; relation: Relation; before: DecodedTuple | null; after: DecodedTuple }
  | { tag: 'delete'; relation: Relation; before: DecodedTuple }
  | { tag: 'truncate'; relations: Relation[] }
  | { tag: 'message'; transactional: boolean; lsn: string; prefix: string; content: string }
  | { tag: 'other' };

const PG_EPOCH_MS = 946_684_800_000;
export const BYTEA_OID = 17;

class Reader {
  off = 0;
  constructor(private readonly b: Buffer) {}
  u8(): number {
    const v = this.b.readUInt8(this.off);
    this.off += 1;
    return v;
  }
  i16(): number {
    const v = this.b.readInt16BE(this.off);
    this.off += 2;
    return v;
  }
  i32(): number {
    const v = this.b.readInt32BE(this.off);
    this.off += 4;
    return v;
  }
  u32(): number {
    const v = this.b.readUInt32BE(this.off);
    this.off += 4;
    return v;
  }
  lsn(): string {
    const hi = this.u32();
    const lo = this.u32();
    return `${hi.toString(16).toUpperCase()}/${lo.toString(16).toUpperCase()}`;
  }
  timeMs(): number {
    const v = this.b.readBigInt64BE(this.off);
    this.off += 8;
    return Number(v / 1000n) + PG_EPOCH_MS;
  }
  cstr(): string {
    const end = this.b.indexOf(0, this.off);
    const s = this.b.toString('utf8', this.off, end);
    this.off = end + 1;
    return s;
  }
  bytes(n: number): Buffer {
    const v = this.b.subarray(this.off, this.off + n);
    this.off += n;
    return v;
  }
}

export class PgoutputDecoder {
  readonly relations = new Map<number, Relation>();

  decode(buf: Buffer): PgMessage {
    const r = new Reader(buf);
    const tag = String.fromCharCode(r.u8());
    switch (tag) {
      case 'B': {
        const finalLsn = r.lsn();
        const commitTimeMs = r.timeMs();
        return { tag: 'begin', finalLsn, commitTimeMs, xid: r.i32() };
      }
      case 'C': {
        r.u8();
        const commitLsn = r.lsn();
        const endLsn = r.lsn();
        return { tag: 'commit', commitLsn, endLsn, commitTimeMs: r.timeMs() };
      }
      case 'R': {
        const oid = r.u32();
        const schema = r.cstr();
        const name = r.cstr();
        const replicaIdentity = String.fromCharCode(r.u8()) as Relation['replicaIdentity'];
        const n = r.i16();
        const columns: RelColumn[] = [];
        for (let i = 0; i < n; i++) {
          const flags = r.u8();
          const cname = r.cstr();
          const typeOid = r.u32();
          const typeMod = r.i32();
          columns.push({ name: cname, isKey: (flags & 1) === 1, typeOid, typeMod });
        }
        const relation: Relation = { oid, schema, name, replicaIdentity, columns };
        this.relations.set(oid, relation);
        return { tag: 'relation', relation };
      }
      case 'I': {
        const rel = this.rel(r.u32());
        r.u8(); // 'N'
        return { tag: 'insert', relation: rel, after: this.tuple(r, rel) };
      }
      case 'U': {
        const rel = this.rel(r.u32());
        let kind = String.fromCharCode(r.u8());
        let before: DecodedTuple | null = null;
        if (kind === 'K' || kind === 'O') {
          before = this.tuple(r, rel);
          kind = String.fromCharCode(r.u8());
        }
        if (kind !== 'N') throw new Error(`pgoutput: unexpected update submessage '${kind}'`);
        return { tag: 'update', relation: rel, before, after: this.tuple(r, rel) };
      }
      case 'D': {
        const rel = this.rel(r.u32());
        r.u8(); // 'K' or 'O'
        return { tag: 'delete', relation: rel, before: this.tuple(r, rel) };
      }
      case 'T': {
        const n = r.i32();
        r.u8();
        const relations: Relation[] = [];
        for (let i = 0; i < n; i++) relations.push(this.rel(r.u32()));
        return { tag: 'truncate', relations };
      }
      case 'M': {
        const flags = r.u8();
        const lsn = r.lsn();
        const prefix = r.cstr();
        const content = r.bytes(r.i32()).toString('utf8');
        return { tag: 'message', transactional: (flags & 1) === 1, lsn, prefix, content };
      }
      default:
        // 'Y' (type), 'O' (origin) and anything newer: nothing to apply.
        return { tag: 'other' };
    }
  }

  private rel(oid: number): Relation {
    const rel = this.relations.get(oid);
    if (!rel) throw new Error(`pgoutput: change for relation ${oid} before its Relation message`);
    return rel;
  }

  private tuple(r: Reader, rel: Relation): DecodedTuple {
    const n = r.i16();
    const row: CdcRow = {};
    const unchanged: string[] = [];
    for (let i = 0; i < n; i++) {
      const col = rel.columns[i];
      const kind = String.fromCharCode(r.u8());
      if (!col) throw new Error(`pgoutput: tuple has more columns than relation ${rel.schema}.${rel.name}`);
      if (kind === 'n') row[col.name] = null;
      else if (kind === 'u') unchanged.push(col.name);
      else if (kind === 't' || kind === 'b') {
        const len = r.i32();
        const raw = r.bytes(len);
        if (kind === 'b') row[col.name] = Buffer.from(raw);
        else if (col.typeOid === BYTEA_OID) row[col.name] = decodeByteaText(raw.toString('utf8'));
        else row[col.name] = raw.toString('utf8');
      } else throw new Error(`pgoutput: unknown tuple value kind '${kind}'`);
    }
    return { row, unchanged };
  }
}

/** bytea text output: hex ('\x0a0b') or, for bytea_output=escape, octal escapes. */
export function decodeByteaText(s: string): Buffer {
  if (s.startsWith('\\x')) return Buffer.from(s.slice(2), 'hex');
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      if (s[i + 1] === '\\') {
        out.push(0x5c);
        i++;
      } else {
        out.push(parseInt(s.slice(i + 1, i + 4), 8));
        i += 3;
      }
    } else out.push(c.charCodeAt(0));
  }
  return Buffer.from(out);
}
