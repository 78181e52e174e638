/** Text helpers for DDL statements: comments, top-level comma lists, and column defaults a target can reproduce. */
import type { DdlDefault } from './types';

export function stripComments(sql: string): string {
  return sql
    .replace(/\/\*(?!!)[\s\S]*?\*\//g, ' ')
    .replace(/^\s*#.*$/gm, ' ')
    .replace(/^\s*--\s.*$/gm, ' ')
    .trim();
}

/** Splits on commas outside parentheses and quotes. */
export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = '';
  for (const ch of s) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/**
 * A source column default as a value every target writes the same way, or null when it is an expression
 * (now(), nextval(), uuid()) whose value on the target would differ from what the source gave existing rows.
 * Accepts numbers and quoted strings, with PG casts (`'a'::text`, `(7)::bigint`) and parentheses around them.
 */
export function portableDefault(expr: string): DdlDefault | null {
  let e = expr.trim();
  for (;;) {
    const cast = /^([\s\S]+?)::[a-z_ ]+(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])?$/i.exec(e);
    if (cast) e = cast[1]!.trim();
    else if (/^\(([\s\S]*)\)$/.test(e)) e = e.slice(1, -1).trim();
    else break;
  }
  if (/^[-+]?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(e)) return { kind: 'literal', text: e.replace(/^\+/, ''), numeric: true };
  const q = /^'((?:[^'\\]|\\.|'')*)'$/s.exec(e) ?? /^"((?:[^"\\]|\\.|"")*)"$/s.exec(e);
  if (q) {
    const text = q[1]!.replace(/''/g, "'").replace(/""/g, '"').replace(/\\(.)/g, '$1');
    return { kind: 'literal', text, numeric: false };
  }
  if (/^(true|false)$/i.test(e)) return { kind: 'literal', text: /^true$/i.test(e) ? '1' : '0', numeric: false };
  return null;
}
