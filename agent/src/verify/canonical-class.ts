/**
 * Canonical classes for verification (see canonical.ts): the class of a column
 * type, the class chosen for a (source, target) pair, and SQL quoting helpers.
 */
import type { ColumnType, Engine } from '../connectors/spi';

export type CanonClass = 'int' | 'decimal' | 'float4' | 'float8' | 'bool' | 'text' | 'bytes' | 'date' | 'time' | 'timestamp' | 'json' | 'uuid' | 'bit';

export type Flavor = 'postgres' | 'mysql' | 'mariadb';

export interface Side {
  engine: Engine;
  flavor: Flavor;
}

/** One column as compared: source and target names/types and the canonical class. */
export interface ColumnPair {
  source: string;
  target: string;
  sourceType: ColumnType;
  targetType: ColumnType;
  cls: CanonClass;
  /** Set when the pair had no precise rule and is compared by its plain text form. */
  note?: string;
}

const TEXTISH = new Set(['char', 'varchar', 'text', 'enum', 'set', 'inet', 'cidr', 'macaddr', 'xml', 'interval', 'other', 'timetz']);
export const BYTES = new Set(['binary', 'varbinary', 'blob', 'geometry']);

/** The class a single type belongs to on its own. */
export function baseClass(t: ColumnType): CanonClass {
  switch (t.kind) {
    case 'bool':
      return 'bool';
    case 'int':
    case 'year':
      return 'int';
    case 'decimal':
    case 'money':
      return 'decimal';
    case 'float':
      return t.bits === 32 ? 'float4' : 'float8';
    case 'date':
      return 'date';
    case 'time':
      return 'time';
    case 'datetime':
    case 'timestamptz':
      return 'timestamp';
    case 'json':
      return 'json';
    case 'uuid':
      return 'uuid';
    case 'bit':
      return 'bit';
    case 'array':
      return 'text';
    default:
      if (BYTES.has(t.kind)) return 'bytes';
      if (TEXTISH.has(t.kind)) return 'text';
      return 'text';
  }
}

/** Chooses the class for a (source type, target type) pair. */
export function pairClass(a: ColumnType, b: ColumnType): { cls: CanonClass; note?: string } {
  const ca = baseClass(a);
  const cb = baseClass(b);
  if (ca === cb) return { cls: ca };
  const has = (x: CanonClass, y: CanonClass) => (ca === x && cb === y) || (ca === y && cb === x);
  if (has('bool', 'int') || has('bool', 'bit')) return { cls: 'bool' };
  if (has('int', 'decimal')) return { cls: 'decimal' };
  if (has('float4', 'float8')) return { cls: 'float4' };
  if (has('decimal', 'float8') || has('int', 'float8')) return { cls: 'float8' };
  if (has('decimal', 'float4') || has('int', 'float4')) return { cls: 'float4' };
  if (has('json', 'text')) return { cls: 'json' };
  if (has('uuid', 'text')) return { cls: 'uuid' };
  if (has('uuid', 'bytes')) return { cls: 'bytes' };
  if (has('bytes', 'text')) return { cls: 'bytes' };
  if (has('bit', 'text')) return { cls: 'bit' };
  if (has('time', 'text')) return { cls: 'time' };
  if (has('date', 'timestamp')) return { cls: 'date' };
  if (ca === 'text' || cb === 'text') return { cls: 'text' };
  return { cls: 'text', note: `no exact rule for ${a.kind} vs ${b.kind}; compared by text form` };
}

// ------------------------------------------------------------------ SQL helpers

export function quoteIdent(engine: Engine, name: string): string {
  return engine === 'postgres' ? `"${name.replace(/"/g, '""')}"` : `\`${name.replace(/`/g, '``')}\``;
}

export function quoteLiteral(engine: Engine, s: string): string {
  if (engine === 'postgres') return `'${s.replace(/'/g, "''")}'`;
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\0/g, '\\0')}'`;
}
