/**
 * Column values in Debezium's encodings (docs/formats/debezium.md): the Kafka
 * Connect schema of a column and its JSON value, and back. Modes:
 * - `precise` (with the `schema` part): DECIMAL/NUMERIC/MONEY and BIGINT
 *   UNSIGNED as org.apache.kafka.connect.data.Decimal (base64 of the two's
 *   complement unscaled value; `scale` in the schema), unconstrained PG numeric
 *   as io.debezium.data.VariableScaleDecimal — Debezium's defaults;
 * - `string` (without the schema part): decimals as exact strings
 *   (decimal.handling.mode=string), BIGINT UNSIGNED as an exact JSON number.
 * Times follow time.precision.mode=adaptive_time_microseconds (MySQL) and
 * adaptive (PostgreSQL); intervals interval.handling.mode=string; binary as
 * base64 (binary.handling.mode=bytes through the JsonConverter).
 */
import type { CdcValue } from '../../changes';
import type { ColumnType, Engine } from '../../catalog';
import {
  bigintToBytes,
  bitsToBytes,
  bytesToBigint,
  bytesToBits,
  formatPgArray,
  moneyToDecimal,
  parsePgArray,
  pgIntervalToIso,
  scaledText,
  scaleOf,
  unscaled,
} from './codecs';
import { isJsonNumber, jNum, jObj, jStr, JNum, member, memberStr, scalarText, type JVal } from './exact-json';
import type { FormatColumn } from './model';
import {
  dateToDays,
  daysToDate,
  isZeroDate,
  microsToMillis,
  microsToParts,
  microsToTime,
  formatFraction,
  timestampEpochText,
  timestampToMicros,
  timetzToUtcMicros,
  timeToMicros,
  type FractionStyle,
} from './temporal';

export type DecimalMode = 'precise' | 'string';

interface Shape {
  type: string;
  name?: string;
  params?: Record<string, string>;
  items?: string;
  fields?: string;
}

const DECIMAL = 'org.apache.kafka.connect.data.Decimal';
const VSD = 'io.debezium.data.VariableScaleDecimal';

function intShape(t: ColumnType): Shape {
  const bits = t.bits ?? 32;
  if (bits <= 8 || (bits === 16 && !t.unsigned)) return { type: 'int16' };
  if (bits <= 24 || (bits === 32 && !t.unsigned)) return { type: 'int32' };
  return { type: 'int64' };
}

function shapeOf(t: ColumnType, engine: Engine, mode: DecimalMode): Shape {
  switch (t.kind) {
    case 'bool':
      return { type: 'boolean' };
    case 'int':
      if (t.bits === 64 && t.unsigned && mode === 'precise') return { type: 'bytes', name: DECIMAL, params: { scale: '0', 'connect.decimal.precision': '20' } };
      return intShape(t);
    case 'decimal':
    case 'money': {
      if (mode === 'string') return { type: 'string' };
      const scale = t.kind === 'money' ? 2 : t.scale;
      if (t.kind === 'decimal' && t.precision === undefined)
        return { type: 'struct', name: VSD, fields: '[{"type":"int32","optional":false,"field":"scale"},{"type":"bytes","optional":false,"field":"value"}]' };
      return {
        type: 'bytes',
        name: DECIMAL,
        params: { scale: String(scale ?? 0), ...(t.precision ? { 'connect.decimal.precision': String(t.precision) } : {}) },
      };
    }
    case 'float':
      return { type: t.bits === 64 ? 'double' : 'float' };
    case 'binary':
    case 'varbinary':
    case 'blob':
    case 'geometry':
      return { type: 'bytes' };
    case 'bit':
      if (t.length === 1 && !t.varying) return { type: 'boolean' };
      return { type: 'bytes', name: 'io.debezium.data.Bits', params: { length: String(t.length ?? 2147483647) } };
    case 'date':
      return { type: 'int32', name: 'io.debezium.time.Date' };
    case 'time':
      if (engine === 'postgres' && (t.fsp ?? 6) <= 3) return { type: 'int32', name: 'io.debezium.time.Time' };
      return { type: 'int64', name: 'io.debezium.time.MicroTime' };
    case 'datetime':
      return (t.fsp ?? 6) <= 3 ? { type: 'int64', name: 'io.debezium.time.Timestamp' } : { type: 'int64', name: 'io.debezium.time.MicroTimestamp' };
    case 'timestamptz':
      return { type: 'string', name: 'io.debezium.time.ZonedTimestamp' };
    case 'timetz':
      return { type: 'string', name: 'io.debezium.time.ZonedTime' };
    case 'year':
      return { type: 'int32', name: 'io.debezium.time.Year' };
    case 'interval':
      return { type: 'string', name: 'io.debezium.time.Interval' };
    case 'json':
      return { type: 'string', name: 'io.debezium.data.Json' };
    case 'uuid':
      return { type: 'string', name: 'io.debezium.data.Uuid' };
    case 'xml':
      return { type: 'string', name: 'io.debezium.data.Xml' };
    case 'enum':
      return { type: 'string', name: 'io.debezium.data.Enum', params: { allowed: (t.enumValues ?? []).join(',') } };
    case 'set':
      return { type: 'string', name: 'io.debezium.data.EnumSet', params: { allowed: (t.enumValues ?? []).join(',') } };
    case 'array':
      return { type: 'array', items: schemaText(t.element ?? { kind: 'text' }, engine, mode, true) };
    default:
      return { type: 'string' };
  }
}

function schemaText(t: ColumnType, engine: Engine, mode: DecimalMode, optional: boolean, field?: string): string {
  const s = shapeOf(t, engine, mode);
  return jObj([
    ['type', jStr(s.type)],
    ['fields', s.fields],
    ['items', s.items],
    ['optional', optional ? 'true' : 'false'],
    ['name', s.name ? jStr(s.name) : undefined],
    ['version', s.name ? '1' : undefined],
    ['parameters', s.params ? jObj(Object.entries(s.params).map(([k, v]) => [k, jStr(v)])) : undefined],
    ['field', field === undefined ? undefined : jStr(field)],
  ]);
}

/** The Kafka Connect field schema of a column (JSON text). */
export function fieldSchema(col: FormatColumn, engine: Engine, mode: DecimalMode, optional: boolean): string {
  return schemaText(col.type, engine, mode, optional, col.name);
}

const text = (v: CdcValue): string => (Buffer.isBuffer(v) ? v.toString('utf8') : (v ?? ''));
const bytes = (v: CdcValue): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v ?? '', 'utf8'));
const b64 = (b: Buffer): string => jStr(b.toString('base64'));
const isTrue = (s: string): boolean => ['t', 'true', '1', 'y', 'yes', 'on'].includes(s.trim().toLowerCase());

/** A float's text as JSON: a number, or the string of NaN / Infinity / -Infinity. */
function floatJson(s: string): string {
  const t = s.trim();
  return isJsonNumber(t) ? t : jStr(t);
}

/** The JSON text of one value in Debezium's encoding of its column type. */
export function encodeValue(t: ColumnType, engine: Engine, mode: DecimalMode, v: CdcValue): string {
  if (v === null) return 'null';
  const s = text(v);
  switch (t.kind) {
    case 'bool':
      return isTrue(s) ? 'true' : 'false';
    case 'int':
      if (t.bits === 64 && t.unsigned && mode === 'precise') return b64(bigintToBytes(BigInt(s)));
      return jNum(s.trim());
    case 'decimal':
    case 'money': {
      const d = t.kind === 'money' ? moneyToDecimal(s) : s.trim();
      if (mode === 'string') return jStr(d);
      if (t.kind === 'decimal' && t.precision === undefined) {
        if (!/^[+-]?\d*(\.\d*)?$/.test(d)) throw new Error(`'${d}' cannot be written as a VariableScaleDecimal (use the string decimal mode)`);
        const sc = scaleOf(d);
        return `{"scale":${sc},"value":${b64(bigintToBytes(unscaled(d, sc)))}}`;
      }
      return b64(bigintToBytes(unscaled(d, t.kind === 'money' ? 2 : (t.scale ?? 0))));
    }
    case 'float':
      return floatJson(s);
    case 'binary':
    case 'varbinary':
    case 'blob':
    case 'geometry':
      return b64(bytes(v));
    case 'bit':
      if (t.length === 1 && !t.varying) return s === '1' ? 'true' : 'false';
      return b64(bitsToBytes(s, Math.ceil((t.varying ? s.length : (t.length ?? s.length)) / 8)));
    case 'date':
      return isZeroDate(s) ? 'null' : /^-?infinity$/.test(s) ? jStr(s) : String(dateToDays(s));
    case 'time':
      return engine === 'postgres' && (t.fsp ?? 6) <= 3 ? String(microsToMillis(timeToMicros(s))) : String(timeToMicros(s));
    case 'datetime': {
      const fast = timestampEpochText(s, (t.fsp ?? 6) <= 3);
      if (fast !== null) return fast;
      if (isZeroDate(s)) return 'null';
      if (/^-?infinity$/.test(s)) return jStr(s);
      const us = timestampToMicros(s);
      return (t.fsp ?? 6) <= 3 ? String(microsToMillis(us)) : String(us);
    }
    case 'timestamptz': {
      if (isZeroDate(s)) return 'null';
      if (/^-?infinity$/.test(s)) return jStr(s);
      const [d, hms, six] = microsToParts(timestampToMicros(s));
      return jStr(`${d}T${hms}${formatFraction(six, fractionStyle(engine, t.fsp))}Z`);
    }
    case 'timetz': {
      const us = timetzToUtcMicros(s);
      return jStr(`${microsToTime(us, fractionStyle(engine, t.fsp))}Z`);
    }
    case 'year':
      return String(Number(s));
    case 'interval':
      return jStr(pgIntervalToIso(s));
    case 'array': {
      const el = t.element ?? { kind: 'text' };
      return `[${parsePgArray(s)
        .map((x) => encodeValue(el, engine, mode, x))
        .join(',')}]`;
    }
    default:
      return jStr(s);
  }
}

/** How a decoded time prints its fraction: MySQL pads to the column's fsp, PostgreSQL trims zeros. */
export function fractionStyle(engine: Engine | null, fsp: number | undefined): FractionStyle {
  return engine === 'mysql' && fsp !== undefined ? { pad: fsp } : 'trim';
}

export interface DecodeHint {
  engine: Engine | null;
  /** The column's type when known (the source's, or the target's). */
  type?: ColumnType;
}

/** One value of a Debezium record -> exact text (Buffer for bytes). `schema`: the field's Connect schema, when the record has one. */
/**
 * A schemaless DECIMAL(p,s) value in Debezium's default decimal.handling.mode=precise: the unscaled number's bytes
 * in base64 ("BOI=" for 12.50), which only the column's scale can read. Text that reads as a number stays the
 * string mode's exact decimal (the two can't be told apart then; before this, base64 text was a dead letter).
 */
const preciseDecimal = (t: ColumnType, v: string): boolean =>
  t.kind === 'decimal' &&
  t.precision !== undefined &&
  !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) &&
  /^[A-Za-z0-9+/]+={0,2}$/.test(v) &&
  v.length % 4 === 0;

export function decodeValue(schema: JVal | undefined, v: JVal | undefined, hint: DecodeHint): CdcValue {
  if (v === null || v === undefined) return null;
  const t = hint.type;
  // Without the schema part, the column's type (when known) says which of Debezium's encodings the value uses.
  const shape =
    schema === undefined && t
      ? shapeOf(t, hint.engine ?? 'mysql', typeof v === 'string' && (t.kind === 'int' || preciseDecimal(t, v)) ? 'precise' : 'string')
      : undefined;
  const type = shape ? shape.type : memberStr(schema, 'type');
  const name = shape ? shape.name : memberStr(schema, 'name');
  const params = shape ? new Map(Object.entries(shape.params ?? {})) : member(schema, 'parameters');
  const style = fractionStyle(hint.engine, t?.fsp);
  if (name === VSD || (member(v, 'scale') !== undefined && member(v, 'value') !== undefined)) {
    const sc = Number(scalarText(member(v, 'scale')) ?? '0');
    return scaledText(bytesToBigint(Buffer.from(memberStr(v, 'value') ?? '', 'base64')), sc);
  }
  if (name === DECIMAL && typeof v === 'string') return scaledText(bytesToBigint(Buffer.from(v, 'base64')), Number(memberStr(params, 'scale') ?? '0'));
  if (name === 'io.debezium.data.Bits' && typeof v === 'string') {
    const len = t?.kind === 'bit' ? (t.varying ? null : (t.length ?? null)) : Number(memberStr(params, 'length') ?? '0') || null;
    return bytesToBits(Buffer.from(v, 'base64'), len);
  }
  if (typeof v === 'boolean') return t?.kind === 'bit' || t?.kind === 'int' ? (v ? '1' : '0') : v ? 't' : 'f';
  if (v instanceof JNum) {
    const n = v.text;
    if (name === 'io.debezium.time.Date') return daysToDate(Number(n));
    if (name === 'io.debezium.time.MicroTime') return microsToTime(BigInt(n), style);
    if (name === 'io.debezium.time.Time') return microsToTime(BigInt(n) * 1000n, style);
    if (name === 'io.debezium.time.MicroTimestamp' || name === 'io.debezium.time.Timestamp') {
      const [d, hms, six] = microsToParts(name === 'io.debezium.time.Timestamp' ? BigInt(n) * 1000n : BigInt(n));
      return `${d} ${hms}${formatFraction(six, style)}`;
    }
    if (name === 'io.debezium.time.Year') return n.padStart(4, '0');
    return n;
  }
  if (typeof v === 'string') {
    if (type === 'bytes' && name !== DECIMAL) return Buffer.from(v, 'base64');
    if (name === 'io.debezium.time.ZonedTimestamp' && !/infinity/.test(v)) {
      const [d, hms, six] = microsToParts(timestampToMicros(v));
      return `${d} ${hms}${formatFraction(six, style)}${hint.engine === 'mysql' ? '' : '+00'}`;
    }
    if (name === 'io.debezium.time.ZonedTime') return hint.engine === 'mysql' ? v.replace(/Z$/, '') : v.replace(/Z$/, '+00');
    return v;
  }
  if (Array.isArray(v)) {
    const items = schema === undefined ? undefined : member(schema, 'items');
    return formatPgArray(
      v
        .map((x) => decodeValue(items, x, { engine: hint.engine, ...(t?.element ? { type: t.element } : {}) }))
        .map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : x)),
    );
  }
  return null;
}
