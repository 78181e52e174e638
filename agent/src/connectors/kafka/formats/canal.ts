/**
 * Canal JSON (docs/formats/canal.md): Alibaba Canal's flat message as its
 * Kafka producer writes it (`flatMessage=true`): every value a string (or
 * null), binary values as ISO-8859-1 strings of their bytes, BIT as the
 * decimal value of its bits, members in alphabetical order as fastjson
 * prints them. `old` holds the changed columns' previous values (updates).
 */
import type { CdcRow, CdcValue } from '../../changes';
import type { ColumnType } from '../../catalog';
import { parseMysqlType } from '../../mysql/types';
import { parsePgType } from '../../postgres/types';
import { isObj, jArr, jObj, jStr, member, memberStr, parseExactJson, scalarText, JNum, type JVal } from './exact-json';
import { FormatError, type DdlEvent, type Decoded, type FormatChange, type FormatColumn, type FormatRecord, type FormatTable } from './model';

/** java.sql.Types of a column, as Canal's sqlType map carries them. */
export function jdbcType(t: ColumnType): number {
  switch (t.kind) {
    case 'bool':
      return 16;
    case 'int': {
      const bits = (t.bits ?? 32) + (t.unsigned ? 1 : 0);
      return bits <= 8 ? -6 : bits <= 16 ? 5 : bits <= 32 ? 4 : bits <= 64 ? -5 : 3;
    }
    case 'decimal':
    case 'money':
      return 3;
    case 'float':
      return t.bits === 64 ? 8 : 7;
    case 'char':
    case 'enum':
    case 'set':
      return 1;
    case 'text':
      return 2005;
    case 'binary':
      return -2;
    case 'varbinary':
      return -3;
    case 'blob':
    case 'geometry':
      return 2004;
    case 'bit':
      return -7;
    case 'date':
      return 91;
    case 'time':
      return 92;
    case 'timetz':
      return 2013;
    case 'datetime':
      return 93;
    case 'timestamptz':
      return 93;
    case 'array':
      return 2003;
    case 'other':
    case 'interval':
    case 'inet':
    case 'cidr':
    case 'macaddr':
    case 'uuid':
      return 1111;
    default:
      return 12;
  }
}

const isBinary = (t: ColumnType): boolean => t.kind === 'binary' || t.kind === 'varbinary' || t.kind === 'blob' || t.kind === 'geometry';

function valueText(t: ColumnType, v: CdcValue): string {
  if (v === null) return 'null';
  if (Buffer.isBuffer(v)) return jStr(isBinary(t) ? v.toString('latin1') : v.toString('utf8'));
  if (t.kind === 'bit' && !t.varying && /^[01]+$/.test(v)) return jStr(BigInt(`0b${v}`).toString());
  return jStr(v);
}

function rowJson(cols: FormatColumn[], row: CdcRow, only?: Set<string>): string {
  return jObj(cols.filter((c) => !only || only.has(c.name)).map((c) => [c.name, valueText(c.type, row[c.name] ?? null)]));
}

const same = (a: CdcValue | undefined, b: CdcValue | undefined): boolean => (Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : a === b);

function meta(t: FormatTable): [string, string][] {
  return [
    ['mysqlType', jObj(t.columns.map((c) => [c.name, jStr(c.nativeType)]))],
    ['sqlType', jObj(t.columns.map((c) => [c.name, String(jdbcType(c.type))]))],
  ];
}

/** The value of a Canal flat message for one row change (snapshot rows are INSERTs). */
export function canalValue(ch: FormatChange): Buffer {
  const t = ch.table;
  const type = ch.op === 'd' ? 'DELETE' : ch.op === 'u' ? 'UPDATE' : 'INSERT';
  const image = ch.op === 'd' ? ch.before : ch.after;
  let old = 'null';
  if (ch.op === 'u' && ch.before && ch.after) {
    const changed = new Set(t.columns.filter((c) => c.name in ch.before! && !same(ch.before![c.name], ch.after![c.name])).map((c) => c.name));
    old = `[${rowJson(t.columns, ch.before, changed)}]`;
  }
  const [mysqlType, sqlType] = meta(t);
  return Buffer.from(
    jObj([
      ['data', image ? `[${rowJson(t.columns, image)}]` : 'null'],
      ['database', jStr(t.database)],
      ['es', String(ch.source.tsMs)],
      ['id', String(ch.tx?.totalOrder ?? 0)],
      ['isDdl', 'false'],
      mysqlType!,
      ['old', old],
      ['pkNames', jArr(t.keyColumns.map(jStr))],
      ['sql', '""'],
      sqlType!,
      ['table', jStr(t.name)],
      ['ts', String(ch.tsMs)],
      ['type', jStr(type)],
    ]),
  );
}

/** The record key: the key columns' text values (Canal itself writes none; Sluice keys by primary key). */
export function textKey(t: FormatTable, row: CdcRow): Buffer | null {
  if (t.keyColumns.length === 0) return null;
  return Buffer.from(jObj(t.keyColumns.map((k) => [k, valueText(t.columns.find((c) => c.name === k)?.type ?? { kind: 'text' }, row[k] ?? null)])));
}

function ddlType(ddl: string): string {
  const s = ddl.trim().toUpperCase().replace(/\s+/g, ' ');
  if (s.startsWith('CREATE TABLE')) return 'CREATE';
  if (s.startsWith('ALTER')) return 'ALTER';
  if (s.startsWith('DROP TABLE')) return 'ERASE';
  if (s.startsWith('RENAME')) return 'RENAME';
  if (s.startsWith('TRUNCATE')) return 'TRUNCATE';
  if (/^CREATE (UNIQUE )?INDEX/.test(s)) return 'CINDEX';
  if (s.startsWith('DROP INDEX')) return 'DINDEX';
  return 'QUERY';
}

export function canalDdl(e: DdlEvent): FormatRecord {
  const value = jObj([
    ['data', 'null'],
    ['database', jStr(e.database)],
    ['es', String(e.source.tsMs)],
    ['id', '0'],
    ['isDdl', 'true'],
    ['mysqlType', 'null'],
    ['old', 'null'],
    ['pkNames', 'null'],
    ['sql', jStr(e.ddl)],
    ['sqlType', 'null'],
    ['table', jStr(e.table ?? '')],
    ['ts', String(e.tsMs)],
    ['type', jStr(ddlType(e.ddl))],
  ]);
  return { key: null, value: Buffer.from(value) };
}

// ---------------------------------------------------------------- reading

function typeOf(native: string): ColumnType {
  const my = parseMysqlType(native);
  return my.kind === 'other' || /varying|time zone|\[\]$/.test(native) ? parsePgType(native) : my;
}

function readValue(t: ColumnType | undefined, v: JVal | undefined): CdcValue {
  if (v === null || v === undefined) return null;
  const s = scalarText(v);
  if (s === undefined) throw new FormatError('a Canal value is not a string');
  if (t && isBinary(t)) return Buffer.from(s, 'latin1');
  if (t?.kind === 'bit' && !t.varying && /^\d+$/.test(s) && typeof v === 'string')
    return BigInt(s)
      .toString(2)
      .padStart(t.length ?? 1, '0');
  return s;
}

/** Reads one Canal flat message (one record per row: Sluice writes one row per message; several rows give several changes). */
export function decodeCanal(value: Buffer | null): Decoded[] {
  if (value === null || value.length === 0) return [{ kind: 'tombstone' }];
  let msg: JVal;
  try {
    msg = parseExactJson(value.toString('utf8'));
  } catch (e) {
    throw new FormatError(`the record value is not JSON: ${(e as Error).message}`);
  }
  if (!isObj(msg)) throw new FormatError('the record value is not a JSON object');
  if (msg.has('status') && msg.has('id') && !msg.has('type'))
    return [{ kind: 'marker', marker: { status: memberStr(msg, 'status') === 'END' ? 'END' : 'BEGIN', id: scalarText(msg.get('id')) ?? '', tsMs: 0 } }];
  const database = memberStr(msg, 'database') ?? null;
  const table = memberStr(msg, 'table');
  if (msg.get('isDdl') === true) return [{ kind: 'ddl', database, table: table ?? null, ddl: memberStr(msg, 'sql') ?? '' }];
  if (!table) throw new FormatError('the Canal message names no table');
  const type = memberStr(msg, 'type');
  if (type !== 'INSERT' && type !== 'UPDATE' && type !== 'DELETE') throw new FormatError(`unknown Canal type ${type ?? 'none'}`);
  const mysqlType = member(msg, 'mysqlType');
  const columns: FormatColumn[] | null = isObj(mysqlType)
    ? [...mysqlType].map(([name, n]) => ({ name, nativeType: String(n), type: typeOf(String(n)) }))
    : null;
  const typeOfCol = (c: string): ColumnType | undefined => columns?.find((x) => x.name === c)?.type;
  const rowOf = (r: JVal | undefined): CdcRow => {
    if (!isObj(r)) throw new FormatError('a Canal row is not a JSON object');
    const out: CdcRow = {};
    for (const [k, v] of r) out[k] = readValue(typeOfCol(k), v);
    return out;
  };
  const data = member(msg, 'data');
  const old = member(msg, 'old');
  if (!Array.isArray(data)) throw new FormatError('the Canal message has no data');
  const pk = member(msg, 'pkNames');
  const keyColumns = Array.isArray(pk) ? pk.map((x) => scalarText(x) ?? '') : null;
  const es = member(msg, 'es');
  const tsMs = es instanceof JNum ? Number(es.text) : null;
  return data.map((d, i) => {
    const row = rowOf(d);
    const before = type === 'DELETE' ? row : type === 'UPDATE' ? { ...row, ...(Array.isArray(old) && old[i] ? rowOf(old[i]) : {}) } : null;
    return {
      kind: 'change',
      op: type === 'INSERT' ? 'c' : type === 'UPDATE' ? 'u' : 'd',
      engine: null,
      database,
      schema: null,
      table,
      before,
      after: type === 'DELETE' ? null : row,
      columns,
      keyColumns,
      tsMs,
      txId: null,
    } as const;
  });
}
