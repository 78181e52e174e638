/**
 * Chunk verification: count + hash per key range computed inside both
 * databases, row diff only for mismatching chunks, repair through the engine's
 * write path. Independent of how chunks were planned (see index.ts).
 */
import type { ColumnType, KeyValue, SourcePosition } from '../connectors/spi';
import type { SampleKeys } from './sample-keys';
import {
  aggregateSelect,
  foldSum,
  quoteIdent,
  quoteLiteral,
  rowHash,
  rowText,
  sideExprs,
  renderColumn,
  type ColumnPair,
  type Side,
} from './canonical';
import type { SqlSession } from './db';

export interface KeyColumn {
  source: string;
  target: string;
  sourceType: ColumnType;
  targetType: ColumnType;
  sourceCollation?: string;
  targetCollation?: string;
}

export interface VerifyChunk {
  index: number;
  /** Exclusive lower bound (source key text), null = unbounded. */
  lower: KeyValue | null;
  /** Inclusive upper bound (source key text), null = unbounded. */
  upper: KeyValue | null;
}

export interface VerifyTableSpec {
  /** Display name: source `schema.table`. */
  name: string;
  source: { schema: string; table: string; where?: string };
  target: { schema: string; table: string };
  pairs: ColumnPair[];
  /** Key columns (source order); empty => the table is verified as one chunk and diffed as a multiset. */
  key: KeyColumn[];
  /** Converts a source key value text into the target's text form, per key column (engine converters). */
  keyToTarget: ((v: string | null) => string | null)[];
  chunks: VerifyChunk[];
  rowEstimate: number;
  notes: string[];
}

export interface ChunkSums {
  n: number;
  h: string;
}

export interface ChunkDiff {
  /** Source native keys of rows missing on the target, in source key order. */
  missing: KeyValue[];
  /** Source native keys of rows whose content differs. */
  different: KeyValue[];
  /** Target native keys of rows that the source does not have. */
  extra: KeyValue[];
  /** Source native keys of every row in the chunk, in key order (for repair ranges). */
  sourceKeys: KeyValue[];
  /** For tables without a key: multiset differences. */
  keyless?: { missing: number; extra: number };
}

/** Only the fields the control plane stores (`verification_results`) plus context. */
export interface TableVerification {
  tableName: string;
  targetTable: string;
  status: 'ok' | 'repaired' | 'mismatch' | 'failed';
  chunks: number;
  chunksOk: number;
  chunksMismatched: number;
  chunksRepaired: number;
  rowsSource: number;
  rowsTarget: number;
  rowsMissing: number;
  rowsExtra: number;
  rowsDifferent: number;
  rowsRepaired: number;
  durationMs: number;
  notes: string[];
  error?: string;
  /** A few differing keys per kind (verify/sample-keys.ts). */
  sampleKeys?: SampleKeys;
}

// ------------------------------------------------------------------ SQL building

function tableRef(s: Side, schema: string, table: string): string {
  return `${quoteIdent(s.engine, schema)}.${quoteIdent(s.engine, table)}`;
}

const NUMERIC_KINDS = new Set(['int', 'decimal', 'float', 'year', 'bool', 'money']);
const BINARY_KINDS = new Set(['binary', 'varbinary', 'blob', 'geometry']);
const TEXT_KEY_KINDS = new Set(['char', 'varchar', 'text', 'enum', 'set', 'other', 'inet', 'cidr', 'macaddr', 'xml', 'interval']);

/** Whether key comparisons must use byte order on both sides (text keys whose collations may disagree). */
export function needsBinaryCollation(k: KeyColumn, crossEngine: boolean): boolean {
  if (!TEXT_KEY_KINDS.has(k.sourceType.kind) && !TEXT_KEY_KINDS.has(k.targetType.kind)) return false;
  if (crossEngine) return true;
  return (k.sourceCollation ?? '') !== (k.targetCollation ?? '');
}

/**
 * Decodes a KeyValue element that holds bytes: PG cursors hold bytea text
 * (`\x0a0b`), MySQL cursors plain hex (`0a0b`).
 */
function bytesHex(v: string): string {
  return v.startsWith('\\x') ? v.slice(2) : v;
}

function literal(s: Side, t: ColumnType, v: string): string {
  if (BINARY_KINDS.has(t.kind)) {
    const hex = bytesHex(v);
    if (!/^[0-9a-fA-F]*$/.test(hex)) throw new Error('a binary key value is not hex');
    return s.engine === 'postgres' ? `'\\x${hex}'::bytea` : `X'${hex}'`;
  }
  if (t.kind === 'bit' && /^[01]*$/.test(v)) return s.engine === 'postgres' ? `B'${v}'` : `b'${v}'`;
  if (s.engine === 'mysql' && NUMERIC_KINDS.has(t.kind) && /^-?\d+(\.\d+)?$/.test(v)) return v;
  if (s.engine === 'postgres') return quoteLiteral('postgres', v);
  return quoteLiteral('mysql', v);
}

function binaryCollate(s: Side, ref: string, lit: boolean): string {
  if (s.engine === 'postgres') return `${ref} COLLATE "C"`;
  const coll = s.flavor === 'mariadb' ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin';
  return lit ? `_utf8mb4${ref} COLLATE ${coll}` : `CONVERT(${ref} USING utf8mb4) COLLATE ${coll}`;
}

interface KeySideCol {
  ref: string;
  type: ColumnType;
  binary: boolean;
}

function cmp(s: Side, c: KeySideCol, op: string, v: string | null): string {
  if (v === null) return op === '=' ? `${c.ref} IS NULL` : op.startsWith('<') ? 'FALSE' : `${c.ref} IS NOT NULL`;
  const lit = literal(s, c.type, v);
  if (c.binary && !BINARY_KINDS.has(c.type.kind)) return `${binaryCollate(s, c.ref, false)} ${op} ${binaryCollate(s, lit, true)}`;
  return `${c.ref} ${op} ${lit}`;
}

/** key > lower (lexicographic, expanded so both engines can use the index). */
function gtPredicate(s: Side, cols: KeySideCol[], vals: KeyValue, inclusiveLast: boolean): string {
  const ors: string[] = [];
  for (let i = 0; i < cols.length; i++) {
    const ands: string[] = [];
    for (let j = 0; j < i; j++) ands.push(cmp(s, cols[j]!, '=', vals[j] ?? null));
    const last = i === cols.length - 1;
    ands.push(cmp(s, cols[i]!, last && inclusiveLast ? '>=' : '>', vals[i] ?? null));
    ors.push(ands.length === 1 ? ands[0]! : `(${ands.join(' AND ')})`);
  }
  return ors.length === 1 ? ors[0]! : `(${ors.join(' OR ')})`;
}

function lePredicate(s: Side, cols: KeySideCol[], vals: KeyValue): string {
  const ors: string[] = [];
  for (let i = 0; i < cols.length; i++) {
    const ands: string[] = [];
    for (let j = 0; j < i; j++) ands.push(cmp(s, cols[j]!, '=', vals[j] ?? null));
    const last = i === cols.length - 1;
    ands.push(cmp(s, cols[i]!, last ? '<=' : '<', vals[i] ?? null));
    ors.push(ands.length === 1 ? ands[0]! : `(${ands.join(' AND ')})`);
  }
  return ors.length === 1 ? ors[0]! : `(${ors.join(' OR ')})`;
}

export class TableSql {
  readonly crossEngine: boolean;
  constructor(
    readonly spec: VerifyTableSpec,
    readonly src: Side,
    readonly tgt: Side,
  ) {
    this.crossEngine = src.engine !== tgt.engine;
  }

  private keyCols(which: 'source' | 'target'): KeySideCol[] {
    const s = which === 'source' ? this.src : this.tgt;
    return this.spec.key.map((k) => ({
      ref: quoteIdent(s.engine, which === 'source' ? k.source : k.target),
      type: which === 'source' ? k.sourceType : k.targetType,
      binary: needsBinaryCollation(k, this.crossEngine),
    }));
  }

  private ref(which: 'source' | 'target'): string {
    return which === 'source' ? tableRef(this.src, this.spec.source.schema, this.spec.source.table) : tableRef(this.tgt, this.spec.target.schema, this.spec.target.table);
  }

  private side(which: 'source' | 'target'): Side {
    return which === 'source' ? this.src : this.tgt;
  }

  /** WHERE clause for a chunk on one side. Bounds are source texts; the target side converts them. */
  where(which: 'source' | 'target', chunk: Pick<VerifyChunk, 'lower' | 'upper'>): string {
    const s = this.side(which);
    const cols = this.keyCols(which);
    const conv = (kv: KeyValue): KeyValue => (which === 'source' ? kv : kv.map((v, i) => (this.spec.keyToTarget[i] ? this.spec.keyToTarget[i]!(v) : v)));
    const parts: string[] = [];
    if (cols.length > 0) {
      if (chunk.lower) parts.push(gtPredicate(s, cols, conv(chunk.lower), false));
      if (chunk.upper) parts.push(lePredicate(s, cols, conv(chunk.upper)));
    }
    if (which === 'source' && this.spec.source.where) parts.push(`(${this.spec.source.where})`);
    return parts.length ? parts.join(' AND ') : '1=1';
  }

  private hashExpr(which: 'source' | 'target'): string {
    const s = this.side(which);
    const o = which === 'source' ? this.tgt : this.src;
    const exprs = sideExprs(s, o, this.spec.pairs, which, (n) => quoteIdent(s.engine, n));
    return rowHash(s, rowText(s, exprs, this.spec.pairs.map((p) => p.cls)));
  }

  aggregate(which: 'source' | 'target', chunk: Pick<VerifyChunk, 'lower' | 'upper'>): string {
    return `SELECT ${aggregateSelect(this.side(which), this.hashExpr(which))} FROM ${this.ref(which)} WHERE ${this.where(which, chunk)}`;
  }

  /** Canonical key text expressions (identical across engines) for one side. */
  private canonKey(which: 'source' | 'target'): string[] {
    const s = this.side(which);
    const o = which === 'source' ? this.tgt : this.src;
    const pairs = this.spec.key.map((k) => this.spec.pairs.find((p) => p.source === k.source)!).filter(Boolean);
    return pairs.map((p) =>
      renderColumn(p.cls, quoteIdent(s.engine, which === 'source' ? p.source : p.target), {
        side: s,
        crossEngine: s.engine !== o.engine,
        col: which === 'source' ? p.sourceType : p.targetType,
        other: which === 'source' ? p.targetType : p.sourceType,
      }),
    );
  }

  /** The engine's own text form of a key column (what KeyValue holds). */
  private nativeKey(which: 'source' | 'target'): string[] {
    const s = this.side(which);
    return this.spec.key.map((k) => {
      const name = quoteIdent(s.engine, which === 'source' ? k.source : k.target);
      const t = which === 'source' ? k.sourceType : k.targetType;
      // The connectors' cursor forms: PG bytea text '\\x..', MySQL plain hex, MySQL BIT as a 0/1 string.
      if (BINARY_KINDS.has(t.kind)) return s.engine === 'postgres' ? `'\\x' || encode(${name}, 'hex')` : `LOWER(HEX(${name}))`;
      if (t.kind === 'bit' && s.engine === 'mysql') return `LPAD(BIN(${name}), ${t.length ?? 1}, '0')`;
      if (s.engine === 'postgres') {
        if (t.kind === 'bool') return `CASE WHEN ${name} THEN 't' ELSE 'f' END`;
        return `${name}::text`;
      }
      return `CONVERT(CAST(${name} AS CHAR) USING utf8mb4)`;
    });
  }

  /** Per-row listing: canonical key, native key, row hash. Source listings are in native key order. */
  listing(which: 'source' | 'target', chunk: Pick<VerifyChunk, 'lower' | 'upper'>): string {
    const ck = this.canonKey(which).map((e, i) => `${e} AS k${i}`);
    const nk = this.nativeKey(which).map((e, i) => `${e} AS n${i}`);
    const order = which === 'source' && this.spec.key.length ? ` ORDER BY ${this.keyCols('source').map((c) => c.ref).join(', ')}` : '';
    return `SELECT ${[...ck, ...nk, `${this.hashExpr(which)} AS h`].join(', ')} FROM ${this.ref(which)} WHERE ${this.where(which, chunk)}${order}`;
  }

  /** The source key just before `key` in native order (for a repair range's exclusive lower bound). */
  predecessor(key: KeyValue): string {
    const cols = this.keyCols('source').map((c) => ({ ...c, binary: false }));
    const nk = this.nativeKey('source').map((e, i) => `${e} AS n${i}`);
    const lt = `NOT (${gtPredicate(this.src, cols, key, true)})`;
    const desc = cols.map((c) => `${c.ref} DESC`).join(', ');
    const where = [lt, ...(this.spec.source.where ? [`(${this.spec.source.where})`] : [])].join(' AND ');
    return `SELECT ${nk.join(', ')} FROM ${this.ref('source')} WHERE ${where} ORDER BY ${desc} LIMIT 1`;
  }

  /** DELETE of target rows by target-native key. */
  deleteByKeys(keys: KeyValue[]): string {
    const s = this.tgt;
    const cols = this.keyCols('target').map((c) => ({ ...c, binary: false }));
    const conds = keys.map((k) => `(${cols.map((c, i) => cmp(s, c, '=', k[i] ?? null)).join(' AND ')})`);
    return `DELETE FROM ${this.ref('target')} WHERE ${conds.join(' OR ')}`;
  }
}

// ------------------------------------------------------------------ positions

/** Reads the source's current log position inside the session's snapshot (CDC gate). */
export async function currentSourcePosition(sess: SqlSession): Promise<SourcePosition> {
  if (sess.engine === 'postgres') {
    const r = await sess.query('SELECT pg_current_wal_lsn()::text AS lsn');
    return { v: 1, kind: 'pg', lsn: r[0]?.lsn ?? '0/0' };
  }
  if (sess.flavor === 'mariadb') {
    const st = await sess.query("SHOW STATUS LIKE 'binlog_snapshot_%'");
    const file = st.find((r) => /file/i.test(r.Variable_name ?? ''))?.Value ?? undefined;
    const pos = st.find((r) => /position/i.test(r.Variable_name ?? ''))?.Value ?? undefined;
    let gtidSet: string | undefined;
    if (file && pos) {
      const g = await sess.query('SELECT BINLOG_GTID_POS(?, ?) AS g', [file, pos]);
      gtidSet = g[0]?.g ?? undefined;
    }
    return { v: 1, kind: 'mysql', ...(gtidSet ? { gtidSet } : {}), ...(file ? { file } : {}), ...(pos ? { pos: Number(pos) } : {}) };
  }
  const g = await sess.query('SELECT @@GLOBAL.gtid_executed AS g');
  return { v: 1, kind: 'mysql', gtidSet: g[0]?.g ?? '' };
}

// ------------------------------------------------------------------ chunk operations

export async function sums(sess: SqlSession, sql: string): Promise<ChunkSums> {
  const r = (await sess.query(sql))[0];
  return { n: Number(r?.n ?? 0), h: foldSum(r?.h ?? '0') };
}

interface ListedRow {
  canon: string;
  native: KeyValue;
  hash: string;
}

async function list(sess: SqlSession, sql: string, nKey: number): Promise<ListedRow[]> {
  const rows = await sess.query(sql);
  return rows.map((r) => {
    const canon: string[] = [];
    const native: KeyValue = [];
    for (let i = 0; i < nKey; i++) {
      canon.push(r[`k${i}`] ?? '\u0000NULL');
      native.push(r[`n${i}`] ?? null);
    }
    return { canon: canon.join('\u0001'), native, hash: r.h ?? '' };
  });
}

/**
 * Reads the source side and the target side of a chunk. The default runs both
 * at once; during CDC the source read happens inside a snapshot at a known log
 * position and the target read only once the applier has passed it.
 */
export type ReadPair = <A, B>(source: () => Promise<A>, target: () => Promise<B>) => Promise<[A, B]>;

export const readConcurrently: ReadPair = (a, b) => Promise.all([a(), b()]);

/** Row diff of one chunk: only called when the sums disagree. */
export async function diffChunk(
  sql: TableSql,
  src: SqlSession,
  tgt: SqlSession,
  chunk: VerifyChunk,
  maxKeylessRows: number,
  readPair: ReadPair = readConcurrently,
  counts?: { source: number; target: number },
): Promise<ChunkDiff> {
  const nKey = sql.spec.key.length;
  if (nKey === 0) {
    // Multiset comparison of row hashes; the listing is the whole table, so only below a size bound
    // (above it, only the count difference is known).
    if (counts && (counts.source > maxKeylessRows || counts.target > maxKeylessRows)) {
      return { missing: [], different: [], extra: [], sourceKeys: [], keyless: { missing: Math.max(0, counts.source - counts.target), extra: Math.max(0, counts.target - counts.source) } };
    }
    const [a, b] = await readPair(() => list(src, sql.listing('source', chunk), 0), () => list(tgt, sql.listing('target', chunk), 0));
    const left = new Map<string, number>();
    for (const r of a) left.set(r.hash, (left.get(r.hash) ?? 0) + 1);
    let extra = 0;
    for (const r of b) {
      const c = left.get(r.hash) ?? 0;
      if (c > 0) left.set(r.hash, c - 1);
      else extra++;
    }
    let missing = 0;
    for (const c of left.values()) missing += c;
    return { missing: [], different: [], extra: [], sourceKeys: [], keyless: { missing, extra } };
  }
  const [a, b] = await readPair(() => list(src, sql.listing('source', chunk), nKey), () => list(tgt, sql.listing('target', chunk), nKey));
  const byKey = new Map<string, ListedRow>();
  for (const r of b) byKey.set(r.canon, r);
  const missing: KeyValue[] = [];
  const different: KeyValue[] = [];
  for (const r of a) {
    const t = byKey.get(r.canon);
    if (!t) missing.push(r.native);
    else {
      if (t.hash !== r.hash) different.push(r.native);
      byKey.delete(r.canon);
    }
  }
  const extra = [...byKey.values()].map((r) => r.native);
  return { missing, different, extra, sourceKeys: a.map((r) => r.native) };
}

/**
 * Key ranges (exclusive lower, inclusive upper) that cover exactly the bad
 * source keys, built from runs of consecutive bad keys in the chunk's source
 * key order. A run that starts at the chunk's first row needs the key before
 * it, which `predecessor` looks up.
 */
export async function repairRanges(bad: KeyValue[], sourceKeys: KeyValue[], predecessor: (k: KeyValue) => Promise<KeyValue | null>): Promise<{ lower: KeyValue | null; upper: KeyValue }[]> {
  if (bad.length === 0) return [];
  const badSet = new Set(bad.map((k) => JSON.stringify(k)));
  const out: { lower: KeyValue | null; upper: KeyValue }[] = [];
  let i = 0;
  while (i < sourceKeys.length) {
    if (!badSet.has(JSON.stringify(sourceKeys[i]))) {
      i++;
      continue;
    }
    const start = i;
    while (i + 1 < sourceKeys.length && badSet.has(JSON.stringify(sourceKeys[i + 1]))) i++;
    const lower = start > 0 ? sourceKeys[start - 1]! : await predecessor(sourceKeys[start]!);
    out.push({ lower, upper: sourceKeys[i]! });
    i++;
  }
  return out;
}
