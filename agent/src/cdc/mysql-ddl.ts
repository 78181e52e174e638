/**
 * A small MySQL/MariaDB DDL parser for the statements CDC handles by policy (issue 14 §4): ALTER TABLE
 * ADD/DROP/RENAME/MODIFY/CHANGE COLUMN, ADD/DROP INDEX, RENAME TO; CREATE/DROP INDEX; RENAME TABLE;
 * DROP TABLE; CREATE TABLE; TRUNCATE. A statement (or one ALTER clause) it does not understand becomes
 * `other` for its table, with the statement, so only that table is quarantined.
 */
import type { DdlColumn, SchemaChange } from './types';
import { splitTopLevel, stripComments } from './ddl-text';

export type MysqlDdl = { kind: 'truncate'; table: string } | { kind: 'changes'; changes: SchemaChange[] };

const IDENT = '(?:`(?:[^`]|``)+`|[A-Za-z0-9_$]+)';
const QNAME = `(${IDENT})(?:\\s*\\.\\s*(${IDENT}))?`;

function unq(s: string): string {
  return s.startsWith('`') ? s.slice(1, -1).replace(/``/g, '`') : s;
}

function qualify(a: string, b: string | undefined, db: string): string {
  return b ? `${unq(a)}.${unq(b)}` : `${db}.${unq(a)}`;
}

const ATTRS =
  /\s+(?:NOT\s+NULL|NULL|DEFAULT|COMMENT|AFTER|FIRST|AUTO_INCREMENT|PRIMARY|UNIQUE|KEY|CHECK|COLLATE|CHARACTER\s+SET|CHARSET|REFERENCES|GENERATED|AS\b|INVISIBLE|ON\s+UPDATE)\b[\s\S]*$/i;

/** A default's SQL text after DEFAULT: a quoted string, a number, or a word / call (CURRENT_TIMESTAMP(6)). */
function defaultOf(def: string): string | undefined {
  const m = /\bDEFAULT\s+('(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|\([^)]*\)|[-+]?[0-9.]+(?:e[-+]?\d+)?|[A-Za-z_][A-Za-z0-9_]*(?:\([^)]*\))?)/i.exec(def);
  if (!m) return undefined;
  const v = m[1]!;
  return /^null$/i.test(v) ? undefined : v;
}

/** Implicit default of a NOT NULL column added without one (what MySQL gives existing rows), or undefined. */
function implicitDefault(type: string): string | undefined {
  const t = type.toLowerCase();
  if (/^(tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|dec|float|double|real|bit|year)\b/.test(t)) return '0';
  if (/^(char|varchar|(tiny|medium|long)?text|binary|varbinary)\b/.test(t)) return "''";
  return undefined;
}

export function parseColumnDef(name: string, def: string): DdlColumn {
  const type = def.replace(ATTRS, '').trim();
  const col: DdlColumn = { name: unq(name), type };
  const rest = def.slice(type.length);
  if (/\bNOT\s+NULL\b/i.test(rest) || /\bPRIMARY\s+KEY\b/i.test(rest)) col.notNull = true;
  const d = defaultOf(rest);
  if (d !== undefined) col.default = d;
  else if (col.notNull) {
    const implicit = implicitDefault(type);
    if (implicit !== undefined) {
      col.default = implicit;
      col.implicitDefault = true;
    }
  }
  return col;
}

/** `(a, b(10), c DESC)` -> column names. */
function indexColumns(list: string): string[] {
  return splitTopLevel(list.replace(/^\(|\)$/g, '')).map((p) => unq(p.trim().split(/[\s(]/)[0]!));
}

const NOOP_CLAUSE =
  /^(ALGORITHM|LOCK)\s*=?|^(ENGINE|AUTO_INCREMENT|COMMENT|ROW_FORMAT|KEY_BLOCK_SIZE|STATS_\w+|PACK_KEYS|CHECKSUM|DEFAULT\s+CHARSET|DEFAULT\s+CHARACTER\s+SET|CHARSET|CHARACTER\s+SET|DEFAULT\s+COLLATE|COLLATE)\b|^FORCE$|^ALTER\s+(?:COLUMN\s+)?\S+\s+(SET\s+DEFAULT|DROP\s+DEFAULT)\b/i;

/** One ALTER TABLE clause -> changes, or null when not understood. */
function alterClause(table: string, clause: string, db: string): SchemaChange[] | null {
  let m: RegExpExecArray | null;
  if (NOOP_CLAUSE.test(clause)) return []; // table options and column defaults: rows carry their values
  if (
    (m =
      /^ADD\s+(?:CONSTRAINT\s+(?:\S+\s+)?)?(UNIQUE|INDEX|KEY|FULLTEXT|SPATIAL)\b\s*(?:INDEX|KEY)?\s*(?:IF\s+NOT\s+EXISTS\s+)?([^\s(]*)\s*(?:USING\s+\w+\s*)?(\([\s\S]*\))/i.exec(
        clause,
      ))
  ) {
    const kind = m[1]!.toUpperCase();
    const name = m[2] ? unq(m[2]) : `idx_${indexColumns(m[3]!).join('_')}`;
    // FULLTEXT / SPATIAL have no portable equivalent: recorded as an index the target skips (columns empty).
    const cols = kind === 'FULLTEXT' || kind === 'SPATIAL' ? [] : indexColumns(m[3]!);
    return [{ kind: 'create_index', table, name, columns: cols, unique: kind === 'UNIQUE' }];
  }
  if ((m = new RegExp(`^DROP\\s+(?:INDEX|KEY)\\s+(?:IF\\s+EXISTS\\s+)?(${IDENT})$`, 'i').exec(clause))) {
    return [{ kind: 'drop_index', table, name: unq(m[1]!) }];
  }
  if (/^ADD\s+(PRIMARY|FOREIGN|CONSTRAINT|CHECK|PARTITION|PERIOD|SYSTEM)\b/i.test(clause)) return null;
  if ((m = /^ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?\(([\s\S]*)\)$/i.exec(clause))) {
    const cols = splitTopLevel(m[1]!).map((c) => /^(\S+)\s+([\s\S]+)$/.exec(c));
    if (cols.some((c) => !c)) return null;
    return [{ kind: 'add_columns', table, columns: cols.map((c) => parseColumnDef(c![1]!, c![2]!)) }];
  }
  if ((m = new RegExp(`^ADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT})\\s+([\\s\\S]+)$`, 'i').exec(clause))) {
    return [{ kind: 'add_columns', table, columns: [parseColumnDef(m[1]!, m[2]!)] }];
  }
  if (/^DROP\s+(PRIMARY|FOREIGN|CONSTRAINT|CHECK|PARTITION|SYSTEM)\b/i.test(clause)) return null;
  if ((m = new RegExp(`^DROP\\s+(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?(${IDENT})(?:\\s+(?:RESTRICT|CASCADE))?$`, 'i').exec(clause))) {
    return [{ kind: 'drop_columns', table, columns: [unq(m[1]!)] }];
  }
  if ((m = new RegExp(`^RENAME\\s+COLUMN\\s+(?:IF\\s+EXISTS\\s+)?(${IDENT})\\s+TO\\s+(${IDENT})$`, 'i').exec(clause))) {
    return [{ kind: 'rename_column', table, from: unq(m[1]!), to: unq(m[2]!) }];
  }
  if (/^RENAME\s+(INDEX|KEY)\b/i.test(clause)) return null;
  if ((m = new RegExp(`^RENAME\\s+(?:TO\\s+|AS\\s+)?${QNAME}$`, 'i').exec(clause))) {
    return [{ kind: 'rename_table', table, to: qualify(m[1]!, m[2], db) }];
  }
  if ((m = new RegExp(`^MODIFY\\s+(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?(${IDENT})\\s+([\\s\\S]+)$`, 'i').exec(clause))) {
    const c = parseColumnDef(m[1]!, m[2]!);
    return [{ kind: 'alter_type', table, column: c.name, type: c.type, notNull: c.notNull ?? false }];
  }
  if ((m = new RegExp(`^CHANGE\\s+(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?(${IDENT})\\s+(${IDENT})\\s+([\\s\\S]+)$`, 'i').exec(clause))) {
    const from = unq(m[1]!);
    const c = parseColumnDef(m[2]!, m[3]!);
    const out: SchemaChange[] = [];
    if (from !== c.name) out.push({ kind: 'rename_column', table, from, to: c.name });
    out.push({ kind: 'alter_type', table, column: c.name, type: c.type, notNull: c.notNull ?? false });
    return out;
  }
  return null;
}

function other(tables: string[], detail: string): MysqlDdl {
  return { kind: 'changes', changes: tables.map((table) => ({ kind: 'other', table, detail })) };
}

/** Returns null for statements that touch no table (BEGIN, SET, CREATE USER, temporary tables, ...). */
export function parseMysqlDdl(sqlText: string, defaultDb: string): MysqlDdl | null {
  const sql = stripComments(sqlText).replace(/;\s*$/, '');
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^TRUNCATE\\s+(?:TABLE\\s+)?${QNAME}\\s*$`, 'i').exec(sql))) {
    return { kind: 'truncate', table: qualify(m[1]!, m[2], defaultDb) };
  }
  if ((m = new RegExp(`^ALTER\\s+(?:ONLINE\\s+)?(?:IGNORE\\s+)?TABLE\\s+(?:IF\\s+EXISTS\\s+)?${QNAME}\\s+([\\s\\S]+)$`, 'i').exec(sql))) {
    const table = qualify(m[1]!, m[2], defaultDb);
    const changes: SchemaChange[] = [];
    for (const clause of splitTopLevel(m[3]!)) {
      const c = alterClause(table, clause, defaultDb);
      if (!c) return other([table], `ALTER TABLE clause not understood: ${clause.slice(0, 120)}`);
      changes.push(...c);
    }
    return { kind: 'changes', changes };
  }
  if (
    (m = new RegExp(
      `^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(UNIQUE\\s+|FULLTEXT\\s+|SPATIAL\\s+)?INDEX\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT})\\s+(?:USING\\s+\\w+\\s+)?ON\\s+${QNAME}\\s*(\\([\\s\\S]*?\\))`,
      'i',
    ).exec(sql))
  ) {
    const kind = (m[1] ?? '').trim().toUpperCase();
    const table = qualify(m[3]!, m[4], defaultDb);
    const cols = kind === 'FULLTEXT' || kind === 'SPATIAL' ? [] : indexColumns(m[5]!);
    return { kind: 'changes', changes: [{ kind: 'create_index', table, name: unq(m[2]!), columns: cols, unique: kind === 'UNIQUE' }] };
  }
  if ((m = new RegExp(`^DROP\\s+INDEX\\s+(?:IF\\s+EXISTS\\s+)?(${IDENT})\\s+ON\\s+${QNAME}`, 'i').exec(sql))) {
    return { kind: 'changes', changes: [{ kind: 'drop_index', table: qualify(m[2]!, m[3], defaultDb), name: unq(m[1]!) }] };
  }
  if (/^RENAME\s+TABLES?\s/i.test(sql)) {
    const pairs = splitTopLevel(sql.replace(/^RENAME\s+TABLES?\s+/i, ''));
    const changes: SchemaChange[] = [];
    for (const p of pairs) {
      const r = new RegExp(`^${QNAME}\\s+TO\\s+${QNAME}$`, 'i').exec(p.trim());
      if (!r) return other([], 'RENAME TABLE');
      changes.push({ kind: 'rename_table', table: qualify(r[1]!, r[2], defaultDb), to: qualify(r[3]!, r[4], defaultDb) });
    }
    return { kind: 'changes', changes };
  }
  if ((m = /^DROP\s+(TEMPORARY\s+)?TABLES?\s+(?:IF\s+EXISTS\s+)?([\s\S]+)$/i.exec(sql))) {
    if (m[1]) return null;
    const names = splitTopLevel(m[2]!.replace(/\s+(RESTRICT|CASCADE)\s*$/i, ''));
    const tables = names.map((n) => new RegExp(`^${QNAME}`).exec(n.trim())).filter((r) => r !== null);
    return { kind: 'changes', changes: tables.map((r) => ({ kind: 'drop_table', table: qualify(r[1]!, r[2], defaultDb) })) };
  }
  if ((m = new RegExp(`^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(TEMPORARY\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${QNAME}`, 'i').exec(sql))) {
    if (m[1]) return null;
    return { kind: 'changes', changes: [{ kind: 'create_table', table: qualify(m[2]!, m[3], defaultDb) }] };
  }
  if ((m = /^(DROP|RENAME|CREATE|ALTER)\s+([\s\S]*)$/i.exec(sql))) {
    const rest = m[2]!;
    if (!/^(TEMPORARY\s+)?TABLES?\b/i.test(rest)) return null;
    const body = rest.replace(/^(TEMPORARY\s+)?TABLES?\s+(IF\s+(NOT\s+)?EXISTS\s+)?/i, '');
    const n = new RegExp(`^${QNAME}`).exec(body);
    return n ? other([qualify(n[1]!, n[2], defaultDb)], `${m[1]!.toUpperCase()} TABLE`) : null;
  }
  return null;
}
