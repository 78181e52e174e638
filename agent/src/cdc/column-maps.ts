/**
 * Per-column name and value mapping for CDC, built with the full-load engine's
 * own type mapping (engine/type-mapping.ts), so a row changed during CDC lands
 * exactly as the snapshot wrote it. The snapshot reads a few PG types through a
 * SQL expression (`readExpr`: money as numeric, arrays as JSON); CDC values
 * arrive in their plain text form, so those get an equivalent converter here.
 */
import type { EngineTaskInput } from '../engine/hooks';
import { connectors } from '../connectors';
import type { Value } from '../connectors/spi';
import { findTableMapping, mapTable } from '../engine/type-mapping';
import type { TableKey } from './types';

export interface ColumnMap {
  target: string;
  /** Target SQL type (for ADD COLUMN). */
  sqlType: string;
  convert: ((v: Value) => Value) | null;
}

export interface TableColumnMaps {
  /** Every source column the catalog knows (excluded and generated ones included). */
  known: Set<string>;
  /** Copied columns only. */
  columns: Map<string, ColumnMap>;
}

/**
 * PG array text ('{1,"a b",NULL,{2,3}}') -> JSON text like array_to_json: numbers
 * for numeric element types, booleans for bool, strings otherwise.
 */
export function pgArrayToJson(text: string, element: 'number' | 'bool' | 'string' = 'string'): string {
  let i = 0;
  const parse = (): unknown[] => {
    if (text[i] !== '{') throw new Error(`not a PG array: ${text.slice(0, 40)}`);
    i++;
    const out: unknown[] = [];
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      if (text[i] === '{') out.push(parse());
      else if (text[i] === '"') {
        i++;
        let s = '';
        while (text[i] !== '"') {
          if (text[i] === '\\') i++;
          s += text[i];
          i++;
        }
        i++;
        out.push(s);
      } else {
        let s = '';
        while (text[i] !== ',' && text[i] !== '}') s += text[i++];
        if (s === 'NULL') out.push(null);
        else if (element === 'number' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s)) out.push(new RawNumber(s));
        else if (element === 'bool' && (s === 't' || s === 'f')) out.push(s === 't');
        else out.push(s);
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return out;
      }
      throw new Error(`malformed PG array near ${i}: ${text.slice(0, 40)}`);
    }
  };
  // Arrays with explicit bounds ('[0:1]={...}') drop the bounds, as array_to_json does.
  if (text.startsWith('[')) i = text.indexOf('=') + 1;
  // Numbers keep their exact text (no float round trip).
  const raw: string[] = [];
  const json = JSON.stringify(parse(), (_k, v: unknown) => (v instanceof RawNumber ? `\u0000n${raw.push(v.text) - 1}` : v));
  return json.replace(/"\\u0000n(\d+)"/g, (_m, n: string) => raw[Number(n)]!);
}

class RawNumber {
  constructor(readonly text: string) {}
}

/** PG money text in any lc_monetary ('$1,234.50', '-$3.00', '(3.00)') -> plain numeric text. */
export function pgMoneyToNumeric(text: string): string {
  const neg = /^-|^\(|-$/.test(text.trim());
  const digits = text.replace(/[^0-9.]/g, '');
  return neg ? `-${digits}` : digits;
}

export async function buildColumnMaps(input: EngineTaskInput, tables: TableKey[]): Promise<Map<TableKey, TableColumnMaps>> {
  const out = new Map<TableKey, TableColumnMaps>();
  if (!input.target) return out;
  const wanted = new Set(tables);
  const src = connectors.createSource(input.source);
  const tgt = connectors.createTarget(input.target, { maxConnections: 1 });
  try {
    // Column mapping needs tables on both sides (schema capability); otherwise values pass through.
    if (!src.capabilities().schema || !tgt.capabilities().schema) return out;
    const catalog = await src.discover((s, t) => wanted.has(`${s}.${t}`));
    for (const t of catalog.tables) {
      const mapped = mapTable(t, src.engine, tgt.engine, tgt.namespace, findTableMapping(input.job.mapping, t.schema, t.name));
      const columns = new Map<string, ColumnMap>();
      for (const c of mapped.columns) {
        let convert = c.convert;
        // The snapshot reads these PG types through a SQL expression for a MySQL target; CDC converts the plain text.
        if (src.engine === 'postgres' && tgt.engine === 'mysql') {
          if (c.source.type.kind === 'array') {
            const ek = c.source.type.element?.kind;
            const element = ek === 'int' || ek === 'decimal' || ek === 'float' ? 'number' : ek === 'bool' ? 'bool' : 'string';
            convert = (v) => (typeof v === 'string' ? pgArrayToJson(v, element) : v);
          } else if (c.source.type.kind === 'money') convert = (v) => (typeof v === 'string' ? pgMoneyToNumeric(v) : v);
        }
        columns.set(c.source.name, { target: c.target.name, sqlType: c.target.sqlType, convert });
      }
      out.set(`${t.schema}.${t.name}`, { known: new Set(t.columns.map((c) => c.name)), columns });
    }
  } finally {
    await Promise.all([src.close(), tgt.close()]);
  }
  return out;
}
