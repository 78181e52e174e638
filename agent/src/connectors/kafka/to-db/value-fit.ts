/**
 * Does a decoded value fit its target column? Checked per record before it
 * is batched, so one record that can't be stored goes to the dead-letter
 * table with the reason instead of failing the whole batch (and every other
 * partition with it). Exact checks on text: integer ranges with BigInt,
 * decimal digits, character lengths, dates, JSON, UUIDs.
 */
import type { CdcValue } from '../../changes';
import type { ColumnInfo, Engine } from '../../catalog';

const INT_RANGE: Record<number, [bigint, bigint]> = {
  8: [-128n, 127n],
  16: [-32768n, 32767n],
  24: [-8388608n, 8388607n],
  32: [-2147483648n, 2147483647n],
  64: [-(2n ** 63n), 2n ** 63n - 1n],
};

function intFits(s: string, bits: number, unsigned: boolean): boolean {
  const t = s.trim();
  if (!/^[+-]?\d+$/.test(t)) return false;
  const n = BigInt(t);
  const [lo, hi] = INT_RANGE[bits] ?? INT_RANGE[64]!;
  return unsigned ? n >= 0n && n <= hi * 2n + 1n : n >= lo && n <= hi;
}

const BOOLS = new Set(['t', 'f', 'true', 'false', '1', '0', 'y', 'n', 'yes', 'no', 'on', 'off']);

/** Null when `v` can be stored in `col` of a table of `engine`; otherwise why not. */
export function whyNotFits(v: CdcValue | undefined, col: ColumnInfo, engine: Engine): string | null {
  if (v === undefined) return null;
  if (v === null) return col.nullable ? null : `column ${col.name} is NOT NULL`;
  if (Buffer.isBuffer(v)) {
    const t = col.type;
    if ((t.kind === 'binary' || t.kind === 'varbinary') && t.length !== undefined && v.length > t.length)
      return `${v.length} bytes do not fit ${col.nativeType} column ${col.name}`;
    return null;
  }
  const t = col.type;
  const bad = (what: string): string => `value '${v.length > 40 ? `${v.slice(0, 40)}…` : v}' ${what} (column ${col.name} ${col.nativeType})`;
  switch (t.kind) {
    case 'int':
      if (BOOLS.has(v.toLowerCase()) && t.bits === 8) return null;
      return intFits(v, t.bits ?? 32, t.unsigned === true) ? null : bad('is not an integer in range');
    case 'bool':
      return BOOLS.has(v.trim().toLowerCase()) ? null : bad('is not a boolean');
    case 'decimal': {
      const m = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE][+-]?\d+)?$/.exec(v.trim());
      if (!m || (!m[1] && !m[2])) return /^(nan|-?infinity)$/i.test(v) && engine === 'postgres' ? null : bad('is not a number');
      if (t.precision !== undefined && !/[eE]/.test(v)) {
        const intDigits = (m[1] ?? '').replace(/^0+/, '').length;
        if (intDigits > t.precision - (t.scale ?? 0)) return bad('has too many digits');
      }
      return null;
    }
    case 'float':
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()) || /^(nan|-?infinity)$/i.test(v.trim()) ? null : bad('is not a number');
    case 'char':
    case 'varchar':
      return t.length !== undefined && [...v].length > t.length ? bad(`is longer than ${t.length} characters`) : null;
    case 'date':
    case 'datetime':
    case 'timestamptz':
      if (/^-?infinity$/.test(v)) return engine === 'postgres' ? null : bad('cannot be stored in MySQL');
      return /^\d{4}-\d\d-\d\d(?:[ T]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d(?::?\d\d)?)?)?$/.test(v.trim()) ? null : bad('is not a date/time');
    case 'time': {
      const m = /^(-)?(\d+):(\d\d)(?::(\d\d)(?:\.\d+)?)?$/.exec(v.trim());
      if (!m) return bad('is not a time');
      const h = Number(m[2]);
      if (engine === 'postgres' && (m[1] || h > 24)) return bad('is outside 00:00:00-24:00:00');
      return h > 838 ? bad('is outside the TIME range') : null;
    }
    case 'json':
      try {
        JSON.parse(v);
        return null;
      } catch {
        return bad('is not JSON');
      }
    case 'uuid':
      return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v.trim()) ? null : bad('is not a UUID');
    case 'enum':
      return t.enumValues?.length && !t.enumValues.includes(v) ? bad('is not one of the enum values') : null;
    default:
      return null;
  }
}
