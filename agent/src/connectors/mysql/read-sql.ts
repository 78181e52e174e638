/**
 * The SQL text pieces of MySQL/MariaDB snapshot reads (source.ts): the row typeCast
 * (exact text, Buffers for binary kinds, bit strings), key literals and keyset comparisons.
 */
import type { ColumnType, Value } from '../spi';
import { ql } from './client';

interface Field {
  name: string;
  string(encoding?: string): string | null;
  buffer(): Buffer | null;
}
type Next = () => unknown;

export function bitString(b: Buffer, len: number): string {
  let s = '';
  for (const byte of b) s += byte.toString(2).padStart(8, '0');
  return s.length > len ? s.slice(s.length - len) : s.padStart(len, '0');
}

/** typeCast for rows selected as c0..cN: Buffers for binary kinds, '0101' for BIT, exact text otherwise. */
export function makeTypeCast(types: ColumnType[]) {
  return (field: Field, _next: Next): Value => {
    const i = Number(field.name.slice(1));
    const t = types[i];
    if (t && (t.kind === 'binary' || t.kind === 'varbinary' || t.kind === 'blob' || t.kind === 'geometry')) return field.buffer();
    if (t && t.kind === 'bit') {
      const b = field.buffer();
      return b === null ? null : bitString(b, t.length ?? 1);
    }
    return field.string('utf8');
  };
}

/** Key value <-> SQL literal. Binary keys are kept as hex text in cursors. */
export function keyLiteral(v: string | null, t: ColumnType | undefined): string {
  if (v === null) return 'NULL';
  if (t && (t.kind === 'binary' || t.kind === 'varbinary' || t.kind === 'blob')) return `X'${v}'`;
  if (t && t.kind === 'bit') return `b'${v}'`;
  return ql(v);
}

export function keyText(v: Value): string | null {
  if (v === null) return null;
  return typeof v === 'string' ? v : v.toString('hex');
}

/** (k1..kn) > (v1..vn) expanded so every MySQL/MariaDB optimizer can use a range scan. */
export function tupleCompare(cols: string[], vals: string[], op: '>' | '<='): string {
  if (cols.length === 1) return `${cols[0]} ${op} ${vals[0]}`;
  const strict = op === '>' ? '>' : '<';
  const ors: string[] = [];
  for (let i = 0; i < cols.length; i++) {
    const eqs = cols.slice(0, i).map((c, j) => `${c} = ${vals[j]}`);
    const last = i === cols.length - 1 && op === '<=' ? '<=' : strict;
    ors.push(`(${[...eqs, `${cols[i]} ${last} ${vals[i]}`].join(' AND ')})`);
  }
  return `(${ors.join(' OR ')})`;
}
