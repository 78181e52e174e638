/**
 * The MySQL/MariaDB source's schema objects (issue 15 item 3): views, triggers, procedures and
 * functions, CHECK constraints, generated columns (STORED or VIRTUAL) and `ON UPDATE
 * CURRENT_TIMESTAMP` clauses of the job's database. Names of the source database inside
 * definitions are dropped, so a same-engine target runs them in its own database.
 */
import type { SchemaObject } from '../objects';
import type { TableInfo } from '../catalog';
import type { MyClient } from './client';

type R = Record<string, string | number | null>;
const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const qi = (x: string) => `\`${x.replace(/`/g, '``')}\``;

/** Drops `db`. qualifiers of the source database (outside string literals). */
export function unqualify(sql: string, database: string): string {
  const q = `${qi(database)}.`;
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < sql.length && sql[j] !== ch) j += sql[j] === '\\' ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (sql.startsWith(q, i)) i += q.length;
    else {
      out += ch;
      i++;
    }
  }
  return out;
}

export async function discoverMysqlObjects(c: MyClient, database: string, tables: TableInfo[]): Promise<SchemaObject[]> {
  const out: SchemaObject[] = [];
  const names = tables.map((t) => t.name);
  const [views] = (await c.p.query(
    `SELECT TABLE_NAME AS name, VIEW_DEFINITION AS def, CHECK_OPTION AS chk, SECURITY_TYPE AS sec FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`,
    [database],
  )) as unknown as [R[]];
  for (const v of views) {
    const select = unqualify(s(v.def), database);
    const chk = s(v.chk) && s(v.chk) !== 'NONE' ? ` WITH ${s(v.chk)} CHECK OPTION` : '';
    out.push({
      kind: 'view',
      schema: database,
      name: s(v.name),
      definition: select,
      ddl: `CREATE SQL SECURITY ${s(v.sec) || 'DEFINER'} VIEW ${qi(s(v.name))} AS ${select}${chk}`,
    });
  }
  if (names.length) {
    const [trg] = (await c.p.query(
      `SELECT TRIGGER_NAME AS name, EVENT_MANIPULATION AS ev, EVENT_OBJECT_TABLE AS tbl, ACTION_STATEMENT AS body, ACTION_TIMING AS timing
         FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND EVENT_OBJECT_TABLE IN (?) ORDER BY EVENT_OBJECT_TABLE, ACTION_ORDER, TRIGGER_NAME`,
      [database, names],
    )) as unknown as [R[]];
    for (const t of trg) {
      const body = unqualify(s(t.body), database);
      out.push({
        kind: 'trigger',
        schema: database,
        name: s(t.name),
        table: s(t.tbl),
        timing: s(t.timing),
        events: [s(t.ev)],
        definition: body,
        ddl: `CREATE TRIGGER ${qi(s(t.name))} ${s(t.timing)} ${s(t.ev)} ON ${qi(s(t.tbl))} FOR EACH ROW ${body}`,
      });
    }
    let checks: R[] = [];
    try {
      [checks] = (await c.p.query(
        `SELECT TABLE_NAME AS tbl, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS cl FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME IN (?) ORDER BY TABLE_NAME, CONSTRAINT_NAME`,
        [database, names],
      )) as unknown as [R[]];
    } catch {
      // MySQL 8: CHECK_CONSTRAINTS has no TABLE_NAME
      [checks] = (await c.p
        .query(
          `SELECT tc.TABLE_NAME AS tbl, cc.CONSTRAINT_NAME AS name, cc.CHECK_CLAUSE AS cl FROM information_schema.CHECK_CONSTRAINTS cc
           JOIN information_schema.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK'
          WHERE cc.CONSTRAINT_SCHEMA = ? AND tc.TABLE_NAME IN (?) ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME`,
          [database, names],
        )
        .catch(() => [[]])) as unknown as [R[]];
    }
    for (const k of checks) {
      const cl = s(k.cl).trim();
      if (/^json_valid\(`[^`]+`\)$/i.test(cl)) continue; // MariaDB's JSON type: carried as the column's type
      out.push({
        kind: 'check',
        schema: database,
        name: s(k.name),
        table: s(k.tbl),
        definition: cl,
        ddl: `ALTER TABLE ${qi(s(k.tbl))} ADD CONSTRAINT ${qi(s(k.name))} CHECK (${cl})`,
      });
    }
    const [cols] = (await c.p.query(
      `SELECT TABLE_NAME AS tbl, COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS def, EXTRA AS extra, GENERATION_EXPRESSION AS gen
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?) ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      [database, names],
    )) as unknown as [R[]];
    for (const col of cols) {
      const extra = s(col.extra).toLowerCase();
      const table = s(col.tbl);
      const name = s(col.name);
      const gen = s(col.gen);
      if (gen && /generated|persistent|virtual/.test(extra)) {
        const stored = /stored|persistent/.test(extra);
        out.push({
          kind: 'generated_column',
          schema: database,
          name,
          table,
          column: name,
          nativeType: s(col.type),
          stored,
          definition: unqualify(gen, database),
          ddl: `ALTER TABLE ${qi(table)} ADD COLUMN ${qi(name)} ${s(col.type)} GENERATED ALWAYS AS (${unqualify(gen, database)}) ${stored ? 'STORED' : 'VIRTUAL'}`,
        });
      }
      const ou = /on update current_timestamp(?:\((\d*)\))?/i.exec(extra);
      if (ou) {
        const fsp = ou[1] ? Number(ou[1]) : 0;
        out.push({
          kind: 'on_update',
          schema: database,
          name,
          table,
          column: name,
          nativeType: s(col.type),
          nullable: s(col.nullable) === 'YES',
          default: col.def === null ? null : s(col.def),
          fsp,
          ddl: `ON UPDATE CURRENT_TIMESTAMP${fsp ? `(${fsp})` : ''} on ${qi(table)}.${qi(name)}`,
        });
      }
    }
  }
  const [routines] = (await c.p.query(
    `SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_NAME`,
    [database],
  )) as unknown as [R[]];
  for (const r of routines) {
    const type = s(r.type).toUpperCase() === 'FUNCTION' ? 'FUNCTION' : 'PROCEDURE';
    const name = s(r.name);
    let ddl = '';
    let unreadable: string | undefined;
    try {
      const [rows] = (await c.p.query(`SHOW CREATE ${type} ${qi(database)}.${qi(name)}`)) as unknown as [R[]];
      ddl = s(rows[0]?.[`Create ${type === 'FUNCTION' ? 'Function' : 'Procedure'}`]);
    } catch (e) {
      unreadable = e instanceof Error ? e.message : String(e);
    }
    if (!ddl && !unreadable) unreadable = `the source user may not read the body of ${type.toLowerCase()} ${name}`;
    // DEFINER names a user of the source server: the target's creating user becomes the definer
    ddl = unqualify(ddl.replace(/^CREATE\s+DEFINER\s*=\s*(?:`[^`]*`|'[^']*'|\S+?)@(?:`[^`]*`|'[^']*'|\S+)\s+/i, 'CREATE '), database);
    out.push({ kind: type === 'FUNCTION' ? 'function' : 'procedure', schema: database, name, ddl, ...(unreadable ? { unreadable } : {}) });
  }
  return out;
}
