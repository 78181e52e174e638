/**
 * SQL for chunk verification: key-range predicates that both engines can serve
 * from the key index, per-chunk aggregates, row listings, predecessor lookups
 * and target deletes (see core.ts).
 */
import type { ColumnType, KeyValue } from '../connectors/spi';
import { aggregateSelect, quoteIdent, quoteLiteral, renderColumn, rowHash, rowText, sideExprs, type Side } from './canonical';
import type { KeyColumn, VerifyChunk, VerifyTableSpec } from './verify-types';

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
    return which === 'source'
      ? tableRef(this.src, this.spec.source.schema, this.spec.source.table)
      : tableRef(this.tgt, this.spec.target.schema, this.spec.target.table);
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
    return rowHash(
      s,
      rowText(
        s,
        exprs,
        this.spec.pairs.map((p) => p.cls),
      ),
    );
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
    const order =
      which === 'source' && this.spec.key.length
        ? ` ORDER BY ${this.keyCols('source')
            .map((c) => c.ref)
            .join(', ')}`
        : '';
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

  /** Rows by key: canonical key (k*), native key (n*) and every column's canonical value (c*). Keys are source-native. */
  columnValues(which: 'source' | 'target', sourceKeys: KeyValue[]): string {
    const s = this.side(which);
    const o = which === 'source' ? this.tgt : this.src;
    const cols = this.keyCols(which).map((c) => ({ ...c, binary: false }));
    const conv = (kv: KeyValue): KeyValue => (which === 'source' ? kv : kv.map((v, i) => (this.spec.keyToTarget[i] ? this.spec.keyToTarget[i]!(v) : v)));
    const conds = sourceKeys.map((k) => conv(k)).map((k) => `(${cols.map((c, i) => cmp(s, c, '=', k[i] ?? null)).join(' AND ')})`);
    const ck = this.canonKey(which).map((e, i) => `${e} AS k${i}`);
    const nk = this.nativeKey(which).map((e, i) => `${e} AS n${i}`);
    const cv = sideExprs(s, o, this.spec.pairs, which, (n) => quoteIdent(s.engine, n)).map((e, i) => `${e} AS c${i}`);
    // JSON columns also as their plain text: the exact comparison happens in the agent (json-exact.ts).
    const raw = this.spec.pairs.flatMap((p, i) => {
      if (p.cls !== 'json') return [];
      const ref = quoteIdent(s.engine, which === 'source' ? p.source : p.target);
      const t = which === 'source' ? p.sourceType : p.targetType;
      if (s.engine === 'postgres') return [`${t.kind === 'array' ? `to_jsonb(${ref})` : ref}::text AS r${i}`];
      return [`CONVERT(CAST(${ref} AS CHAR) USING utf8mb4) AS r${i}`];
    });
    return `SELECT ${[...ck, ...nk, ...cv, ...raw].join(', ')} FROM ${this.ref(which)} WHERE ${conds.join(' OR ') || 'FALSE'}`;
  }

  /** DELETE of target rows by target-native key. */
  deleteByKeys(keys: KeyValue[]): string {
    const s = this.tgt;
    const cols = this.keyCols('target').map((c) => ({ ...c, binary: false }));
    const conds = keys.map((k) => `(${cols.map((c, i) => cmp(s, c, '=', k[i] ?? null)).join(' AND ')})`);
    return `DELETE FROM ${this.ref('target')} WHERE ${conds.join(' OR ')}`;
  }
}
