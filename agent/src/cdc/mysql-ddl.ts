/** Just enough MySQL DDL parsing to tell ADD COLUMN and TRUNCATE apart from everything else. */
import type { SourceColumn } from './types';

export type MysqlDdl =
  { kind: 'truncate'; table: string } | { kind: 'add_columns'; table: string; columns: SourceColumn[] } | { kind: 'other'; tables: string[]; detail: string };

const IDENT = '(?:`(?:[^`]|``)+`|[A-Za-z0-9_$]+)';
const QNAME = `(${IDENT})(?:\\s*\\.\\s*(${IDENT}))?`;

function unq(s: string): string {
  return s.startsWith('`') ? s.slice(1, -1).replace(/``/g, '`') : s;
}

function qualify(a: string, b: string | undefined, db: string): string {
  return b ? `${unq(a)}.${unq(b)}` : `${db}.${unq(a)}`;
}

function stripComments(sql: string): string {
  return sql
    .replace(/\/\*(?!!)[\s\S]*?\*\//g, ' ')
    .replace(/^\s*#.*$/gm, ' ')
    .trim();
}

function splitTopLevel(s: string): string[] {
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

const TYPE_END =
  /\s+(?:NOT\s+NULL|NULL|DEFAULT|COMMENT|AFTER|FIRST|AUTO_INCREMENT|PRIMARY|UNIQUE|KEY|CHECK|COLLATE|CHARACTER\s+SET|CHARSET|REFERENCES|GENERATED|AS\b|INVISIBLE|ON\s+UPDATE)\b[\s\S]*$/i;

/** Returns null for statements that touch no table (BEGIN, SET, CREATE USER, ...). */
export function parseMysqlDdl(sqlText: string, defaultDb: string): MysqlDdl | null {
  const sql = stripComments(sqlText).replace(/;\s*$/, '');
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^TRUNCATE\\s+(?:TABLE\\s+)?${QNAME}\\s*$`, 'i').exec(sql))) {
    return { kind: 'truncate', table: qualify(m[1]!, m[2], defaultDb) };
  }
  if ((m = new RegExp(`^ALTER\\s+(?:ONLINE\\s+)?(?:IGNORE\\s+)?TABLE\\s+(?:IF\\s+EXISTS\\s+)?${QNAME}\\s+([\\s\\S]+)$`, 'i').exec(sql))) {
    const table = qualify(m[1]!, m[2], defaultDb);
    const clauses = splitTopLevel(m[3]!);
    const columns: SourceColumn[] = [];
    for (const clause of clauses) {
      if (/^(ALGORITHM|LOCK)\s*=/i.test(clause)) continue;
      const add = new RegExp(`^ADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT})\\s+([\\s\\S]+)$`, 'i').exec(clause);
      const keyword = /^ADD\s+(?:COLUMN\s+)?(INDEX|KEY|UNIQUE|PRIMARY|CONSTRAINT|FOREIGN|FULLTEXT|SPATIAL|PARTITION|CHECK|PERIOD|SYSTEM)\b/i.test(clause);
      if (!add || keyword || add[1]!.startsWith('(')) {
        return { kind: 'other', tables: [table], detail: `ALTER TABLE clause not replicated: ${clause.slice(0, 120)}` };
      }
      columns.push({ name: unq(add[1]!), type: add[2]!.replace(TYPE_END, '').trim() });
    }
    if (columns.length === 0) return { kind: 'other', tables: [table], detail: 'ALTER TABLE without ADD COLUMN' };
    return { kind: 'add_columns', table, columns };
  }
  if ((m = /^(DROP|RENAME|CREATE|ALTER)\s+([\s\S]*)$/i.exec(sql))) {
    const verb = m[1]!.toUpperCase();
    const rest = m[2]!;
    if (!/^(TEMPORARY\s+)?TABLES?\b/i.test(rest) && verb !== 'RENAME') return null;
    if (verb === 'CREATE' && !/\bLIKE\b|\bSELECT\b/i.test(rest)) return null; // a new table: not captured yet
    const names: string[] = [];
    const re = new RegExp(QNAME, 'g');
    const body = rest.replace(/^(TEMPORARY\s+)?TABLES?\s+(IF\s+(NOT\s+)?EXISTS\s+)?/i, '');
    let n: RegExpExecArray | null;
    while ((n = re.exec(body))) {
      const word = n[1]!.toUpperCase();
      if (['TO', 'AS', 'LIKE', 'CASCADE', 'RESTRICT', 'WAIT', 'NOWAIT'].includes(word)) continue;
      names.push(qualify(n[1]!, n[2], defaultDb));
    }
    return { kind: 'other', tables: names, detail: `${verb} TABLE` };
  }
  return null;
}
