/**
 * Values a target cannot hold (issue 15 item 4). For each column whose mapping can meet such a
 * value, a guard says which source values fall outside what the target type stores and what
 * the nearest storable value is (`clamp`). Guards work on the source's text form (the value as
 * read, before the type mapping's converter), so the full load, CDC and repair share them.
 * Which columns get a guard is decided from the two types alone, at plan time.
 */
import type { ColumnType, Engine } from '../connectors/spi';

export interface RangeGuard {
  /** What cannot be stored, for the plan: "BC dates, ±infinity and years after 9999". */
  what: string;
  /** Why `v` cannot be stored in the target; null when it can. */
  outside(v: string): string | null;
  /** The nearest value the target stores, in the source's text form; null when there is none (NaN). */
  clamp(v: string): string | null;
  /** Whether `clamp` can give null (the target column is then made nullable). */
  clampMayNull: boolean;
}

const INF = /^[+-]?infinity$/i;

/** PG date/timestamp text: era, infinities and years above 9999 that MySQL's DATE/DATETIME can't hold. */
function pgTemporalGuard(kind: 'date' | 'datetime' | 'timestamptz', fsp: number): RangeGuard {
  const frac = fsp > 0 ? `.${'9'.repeat(Math.min(fsp, 6))}` : '';
  const tz = kind === 'timestamptz' ? '+00' : '';
  const low = kind === 'date' ? '0001-01-01' : `0001-01-01 00:00:00${tz}`;
  const high = kind === 'date' ? '9999-12-31' : `9999-12-31 23:59:59${frac}${tz}`;
  const tooLow = (v: string) => v === '-infinity' || v.endsWith(' BC');
  return {
    what: 'BC dates, ±infinity and years after 9999 (MySQL stores 0001-01-01..9999-12-31)',
    outside: (v) => (tooLow(v) ? `${v} is before 0001-01-01` : v === 'infinity' || /^\d{5,}-/.test(v) ? `${v} is after 9999-12-31` : null),
    clamp: (v) => (tooLow(v) ? low : high),
    clampMayNull: false,
  };
}

/** MySQL TIME text ('-838:59:59.000000', '100:00:00') against PG time's 00:00:00..24:00:00. */
function mysqlTimeGuard(): RangeGuard {
  const parse = (v: string) => {
    const neg = v.startsWith('-');
    const [h = '0', m = '0', s = '0'] = (neg ? v.slice(1) : v).split(':');
    const zero = /^[0:.]*$/.test(neg ? v.slice(1) : v);
    const hours = Number(h);
    const over = hours > 24 || (hours === 24 && !/^0*$/.test(`${m}${s}`.replace(/[.:]/g, '')));
    return { below: neg && !zero, over };
  };
  return {
    what: 'TIME values outside 00:00:00..24:00:00 (negative or longer durations)',
    outside: (v) => {
      const p = parse(v);
      return p.below ? `${v} is before 00:00:00` : p.over ? `${v} is after 24:00:00` : null;
    },
    clamp: (v) => (parse(v).below ? '00:00:00' : '24:00:00'),
    clampMayNull: false,
  };
}

/** PG real/double text: NaN and ±Infinity have no MySQL FLOAT/DOUBLE value. */
function pgFloatGuard(bits: number): RangeGuard {
  const max = bits === 32 ? '3.4028234663852886e38' : '1.7976931348623157e308';
  return {
    what: 'NaN and ±Infinity (MySQL has no such float)',
    outside: (v) => (v === 'NaN' || /^-?Infinity$/.test(v) ? `${v} has no MySQL value` : null),
    clamp: (v) => (v === 'NaN' ? null : v.startsWith('-') ? `-${max}` : max),
    clampMayNull: true,
  };
}

/** Rounds a plain decimal string to `scale` fractional digits, half away from zero. */
export function roundDecimal(v: string, scale: number): string {
  const neg = v.startsWith('-');
  const [ip = '0', fp = ''] = (neg || v.startsWith('+') ? v.slice(1) : v).split('.');
  if (fp.length <= scale) return v;
  const digits = `${ip}${fp.slice(0, scale)}`;
  let n = BigInt(digits || '0');
  if (Number(fp[scale]) >= 5) n += 1n;
  let s = n.toString().padStart(scale + 1, '0');
  s = scale > 0 ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s;
  return `${neg && /[1-9]/.test(s) ? '-' : ''}${s}`;
}

/** PG numeric text against MySQL DECIMAL(p,s): too many integer digits, too many fractional digits, NaN, ±Infinity. */
function pgDecimalGuard(precision: number, scale: number): RangeGuard {
  const intMax = precision - scale;
  const max = `${'9'.repeat(intMax) || '0'}${scale ? `.${'9'.repeat(scale)}` : ''}`;
  const intDigits = (v: string) => v.replace(/^[+-]/, '').split('.')[0]!.replace(/^0+/, '').length;
  const fracDigits = (v: string) => (v.split('.')[1] ?? '').replace(/0+$/, '').length;
  return {
    what: `NaN, ±Infinity and values beyond DECIMAL(${precision},${scale}) (more than ${intMax} integer or ${scale} fractional digits)`,
    outside: (v) => {
      if (v === 'NaN' || INF.test(v)) return `${v} has no MySQL value`;
      if (intDigits(v) > intMax) return `${v.length > 60 ? `${v.slice(0, 57)}...` : v} has more than ${intMax} integer digits`;
      if (fracDigits(v) > scale) return `${v.length > 60 ? `${v.slice(0, 57)}...` : v} has more than ${scale} fractional digits`;
      return null;
    },
    clamp: (v) => {
      if (v === 'NaN') return null;
      const neg = v.startsWith('-');
      if (INF.test(v) || intDigits(v) > intMax) return `${neg ? '-' : ''}${max}`;
      const r = roundDecimal(v, scale);
      return intDigits(r) > intMax ? `${neg ? '-' : ''}${max}` : r;
    },
    clampMayNull: true,
  };
}

/** MySQL's invalid-enum value '' has no PG enum label. */
function mysqlEnumGuard(values: string[]): RangeGuard {
  return {
    what: "MySQL's invalid-enum value ''",
    outside: (v) => (values.includes(v) ? null : `'${v}' is not a label of the enum`),
    clamp: () => null,
    clampMayNull: true,
  };
}

/** Text longer than the target's VARCHAR(n) (a PG text or varchar used in a MySQL key). */
function textLengthGuard(max: number): RangeGuard {
  return {
    what: `text longer than ${max} characters`,
    outside: (v) => ([...v].length > max ? `a text of ${[...v].length} characters is longer than ${max}` : null),
    clamp: (v) => [...v].slice(0, max).join(''),
    clampMayNull: false,
  };
}

/**
 * The guard of a column copied from `from` to `to`, or undefined when every source value fits.
 * `source` is the source column's type, `target` the target column's (parsed) type.
 */
export function rangeGuard(from: Engine, to: Engine, source: ColumnType, target: ColumnType): RangeGuard | undefined {
  if (from === to) return undefined;
  if (from === 'mysql' && to === 'postgres') {
    if (source.kind === 'time') return mysqlTimeGuard();
    if (source.kind === 'enum' && target.kind === 'enum') return mysqlEnumGuard(target.enumValues ?? source.enumValues ?? []);
    return undefined;
  }
  switch (source.kind) {
    case 'date':
      return pgTemporalGuard('date', 0);
    case 'datetime':
    case 'timestamptz':
      return pgTemporalGuard(source.kind, target.fsp ?? source.fsp ?? 6);
    case 'float':
      return pgFloatGuard(target.bits ?? source.bits ?? 64);
    case 'varchar':
    case 'text':
    case 'char':
      return target.kind === 'varchar' && target.length !== undefined && (source.kind === 'text' || (source.length ?? Infinity) > target.length)
        ? textLengthGuard(target.length)
        : undefined;
    case 'decimal':
      return target.kind === 'decimal' ? pgDecimalGuard(target.precision ?? 65, target.scale ?? 30) : undefined;
    default:
      return undefined;
  }
}
