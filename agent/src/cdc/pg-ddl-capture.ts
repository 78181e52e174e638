/**
 * PostgreSQL DDL capture (pgoutput carries no DDL). An event trigger on `ddl_command_end` and `sql_drop`
 * writes a transactional logical message (prefix `sluice_ddl`) into the WAL with the command tag, the
 * statement, and the table's definition before and after (columns by attnum from pg_attribute, kept in
 * `_sluice._sluice_ddl_state`). The reader diffs them by attnum, so a rename is a rename (same attnum,
 * new name), never guessed. One trigger per database, shared by every job; installing needs a superuser.
 */
import type pg from 'pg';
import { ddlCaptureDropSql } from '../protocol/cdc-names';
import { qi } from './connections';
import type { Relation } from './pgoutput-decode';
import type { SchemaChange, TableKey } from './types';

export const DDL_PREFIX = 'sluice_ddl';
export const DDL_TRIGGER = 'sluice_ddl_end';

/** Sluice's own schema in the source database: the trigger function and its state live there, never among the user's tables. */
const OWN_SCHEMA = '_sluice';

function functionSql(): string {
  const s = qi(OWN_SCHEMA);
  return `
CREATE OR REPLACE FUNCTION ${s}._sluice_ddl_capture() RETURNS event_trigger LANGUAGE plpgsql SECURITY DEFINER AS $f$
DECLARE r record; cur jsonb; prev jsonb; k char;
BEGIN
  IF tg_event = 'sql_drop' THEN
    FOR r IN SELECT * FROM pg_event_trigger_dropped_objects() WHERE object_type = 'table' OR (original AND object_type = 'index') LOOP
      SELECT def INTO prev FROM ${s}._sluice_ddl_state WHERE relid = r.objid;
      PERFORM pg_logical_emit_message(true, '${DDL_PREFIX}', jsonb_build_object('tag', tg_tag, 'object', r.object_type,
        'table', CASE WHEN r.object_type = 'table' THEN r.schema_name || '.' || r.object_name ELSE prev->>'table' END,
        'name', r.object_name, 'dropped', true, 'query', current_query())::text);
      DELETE FROM ${s}._sluice_ddl_state WHERE relid = r.objid;
    END LOOP;
    RETURN;
  END IF;
  FOR r IN SELECT DISTINCT objid FROM pg_event_trigger_ddl_commands() WHERE classid = 'pg_class'::regclass LOOP
    SELECT relkind INTO k FROM pg_class WHERE oid = r.objid;
    IF k = 'i' AND tg_tag = 'CREATE INDEX' THEN
      SELECT jsonb_build_object('table', n.nspname || '.' || t.relname, 'name', c.relname, 'unique', i.indisunique,
               'columns', (SELECT jsonb_agg(a.attname ORDER BY x.ord) FROM unnest(i.indkey) WITH ORDINALITY x(attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.attnum))
        INTO cur FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace WHERE i.indexrelid = r.objid;
      INSERT INTO ${s}._sluice_ddl_state VALUES (r.objid, cur) ON CONFLICT (relid) DO UPDATE SET def = EXCLUDED.def;
      PERFORM pg_logical_emit_message(true, '${DDL_PREFIX}', jsonb_build_object('tag', tg_tag, 'object', 'index', 'table', cur->>'table',
        'name', cur->>'name', 'unique', cur->'unique', 'columns', cur->'columns', 'query', current_query())::text);
    ELSIF k IN ('r', 'p') THEN
      SELECT jsonb_build_object('table', n.nspname || '.' || c.relname, 'columns', COALESCE((
               SELECT jsonb_agg(jsonb_build_object('n', a.attnum, 'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                        'notNull', a.attnotnull, 'default', pg_get_expr(d.adbin, d.adrelid)) ORDER BY a.attnum)
                 FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]'::jsonb))
        INTO cur FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = r.objid;
      SELECT def INTO prev FROM ${s}._sluice_ddl_state WHERE relid = r.objid;
      INSERT INTO ${s}._sluice_ddl_state VALUES (r.objid, cur) ON CONFLICT (relid) DO UPDATE SET def = EXCLUDED.def;
      PERFORM pg_logical_emit_message(true, '${DDL_PREFIX}', jsonb_build_object('tag', tg_tag, 'object', 'table', 'table', cur->>'table',
        'before', prev, 'after', cur, 'query', current_query())::text);
    END IF;
  END LOOP;
EXCEPTION WHEN OTHERS THEN
  -- Never break the user's DDL: say what was lost instead (the reader reports it).
  BEGIN
    PERFORM pg_logical_emit_message(true, '${DDL_PREFIX}', jsonb_build_object('tag', tg_tag, 'error', SQLERRM, 'query', current_query())::text);
  EXCEPTION WHEN OTHERS THEN NULL;
  END;
END $f$`;
}

/** Installs (or refreshes) the trigger, and records the current definition of `tables` as the baseline. */
export async function installPgDdlCapture(c: pg.Client, tables: TableKey[]): Promise<void> {
  const s = qi(OWN_SCHEMA);
  await c.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await c.query(`CREATE TABLE IF NOT EXISTS ${s}._sluice_ddl_state (relid oid PRIMARY KEY, def jsonb NOT NULL)`);
  await c.query(functionSql());
  for (const [name, ev] of [
    [DDL_TRIGGER, 'ddl_command_end'],
    ['sluice_ddl_drop', 'sql_drop'],
  ] as const) {
    const has = await c.query('SELECT 1 FROM pg_event_trigger WHERE evtname = $1', [name]);
    if (!has.rowCount) await c.query(`CREATE EVENT TRIGGER ${name} ON ${ev} EXECUTE FUNCTION ${s}._sluice_ddl_capture()`);
  }
  await c.query(
    `INSERT INTO ${s}._sluice_ddl_state
     SELECT c.oid, jsonb_build_object('table', n.nspname || '.' || c.relname, 'columns', COALESCE((
              SELECT jsonb_agg(jsonb_build_object('n', a.attnum, 'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                       'notNull', a.attnotnull, 'default', pg_get_expr(d.adbin, d.adrelid)) ORDER BY a.attnum)
                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
               WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]'::jsonb))
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND (n.nspname || '.' || c.relname) = ANY($1::text[])
     ON CONFLICT (relid) DO NOTHING`,
    [tables],
  );
  // Their indexes too: a DROP INDEX reaches sql_drop when the index is already gone, and only this row names its table.
  await c.query(
    `INSERT INTO ${s}._sluice_ddl_state
     SELECT i.indexrelid, jsonb_build_object('table', n.nspname || '.' || t.relname, 'name', x.relname)
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_class x ON x.oid = i.indexrelid
      WHERE (n.nspname || '.' || t.relname) = ANY($1::text[])
     ON CONFLICT (relid) DO NOTHING`,
    [tables],
  );
}

/**
 * After a job's slot is dropped (cleanup on delete): removes the DDL capture unless another Sluice
 * slot (`sluice_%`, any job of this source database, running or stopped) still streams from this
 * database. Returns what it did; throws with the SQL to run when it cannot (not the trigger's owner).
 */
export async function removePgDdlCaptureIfUnused(c: pg.Client, droppedSlot: string): Promise<string> {
  const installed = await c.query('SELECT 1 FROM pg_event_trigger WHERE evtname IN ($1, $2)', [DDL_TRIGGER, 'sluice_ddl_drop']);
  if (!installed.rowCount) return 'no DDL capture installed';
  const others = await c.query<{ slot_name: string }>(
    `SELECT slot_name FROM pg_replication_slots WHERE database = current_database() AND slot_type = 'logical' AND slot_name LIKE 'sluice\\_%' AND slot_name <> $1`,
    [droppedSlot],
  );
  if (others.rowCount) return `kept the DDL capture (event triggers) for ${others.rowCount} other Sluice slot(s) of this database`;
  const sql = ddlCaptureDropSql();
  try {
    await c.query('BEGIN');
    for (const stmt of sql) await c.query(stmt);
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw Object.assign(new Error(`the DDL capture event triggers could not be removed (${(e as Error).message})`), {
      fix: `a superuser runs, in this database: ${sql.join(' ')}`,
    });
  }
  return 'removed the DDL capture (event triggers sluice_ddl_end, sluice_ddl_drop)';
}

/** Whether the trigger is installed and enabled in the source database. */
export async function pgDdlCaptureActive(c: pg.Client): Promise<boolean> {
  const r = await c.query("SELECT 1 FROM pg_event_trigger WHERE evtname = $1 AND evtenabled <> 'D'", [DDL_TRIGGER]);
  return !!r.rowCount;
}

interface Col {
  n: number;
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
}

interface DdlMessage {
  tag: string;
  object: 'table' | 'index';
  table: string | null;
  name?: string;
  unique?: boolean;
  columns?: string[];
  query?: string;
  dropped?: boolean;
  error?: string;
  before?: { table: string; columns: Col[] } | null;
  after?: { table: string; columns: Col[] };
}

/** One `sluice_ddl` message -> the schema changes it describes (`at`: the message's LSN). */
export function decodePgDdl(content: string, at: string): SchemaChange[] {
  const m = JSON.parse(content) as DdlMessage;
  const statement = m.query?.trim().slice(0, 2000);
  const base = { at, ...(statement ? { statement } : {}) };
  if (!m.table) return [];
  if (m.object === 'index') {
    if (m.dropped) return [{ ...base, kind: 'drop_index', table: m.table, name: m.name ?? '' }];
    return [{ ...base, kind: 'create_index', table: m.table, name: m.name ?? '', columns: m.columns ?? [], unique: !!m.unique }];
  }
  if (m.dropped) return [{ ...base, kind: 'drop_table', table: m.table }];
  if (m.tag === 'CREATE TABLE' || m.tag === 'CREATE TABLE AS' || m.tag === 'SELECT INTO') return [{ ...base, kind: 'create_table', table: m.table }];
  const before = m.before;
  const after = m.after;
  if (!after) return [];
  if (!before) return [{ ...base, kind: 'other', table: after.table, detail: `${m.tag} on a table whose earlier definition was not recorded` }];
  const out: SchemaChange[] = [];
  const table = before.table;
  const old = new Map(before.columns.map((c) => [c.n, c]));
  const now = new Map(after.columns.map((c) => [c.n, c]));
  const added = after.columns.filter((c) => !old.has(c.n));
  const dropped = before.columns.filter((c) => !now.has(c.n));
  if (dropped.length) out.push({ ...base, kind: 'drop_columns', table, columns: dropped.map((c) => c.name) });
  for (const c of after.columns) {
    const o = old.get(c.n);
    if (!o) continue;
    if (o.name !== c.name) out.push({ ...base, kind: 'rename_column', table, from: o.name, to: c.name });
    if (o.type !== c.type) out.push({ ...base, kind: 'alter_type', table, column: c.name, type: c.type, notNull: c.notNull });
  }
  if (added.length) {
    out.push({
      ...base,
      kind: 'add_columns',
      table,
      columns: added.map((c) => ({ name: c.name, type: c.type, notNull: c.notNull, ...(c.default !== null ? { default: c.default } : {}) })),
    });
  }
  if (after.table !== before.table) out.push({ ...base, kind: 'rename_table', table, to: after.table });
  return out;
}

/** Without the trigger: a Relation message that only appends columns is an ADD COLUMN; anything else quarantines (a rename is never guessed). */
export function diffRelations(table: TableKey, prev: Relation, next: Relation): SchemaChange | null {
  const same =
    prev.columns.length === next.columns.length && prev.columns.every((c, i) => c.name === next.columns[i]?.name && c.typeOid === next.columns[i]?.typeOid);
  if (same) return null;
  const prefix =
    next.columns.length > prev.columns.length && prev.columns.every((c, i) => c.name === next.columns[i]?.name && c.typeOid === next.columns[i]?.typeOid);
  if (prefix) {
    return {
      kind: 'add_columns',
      table,
      columns: next.columns.slice(prev.columns.length).map((c) => ({ name: c.name, type: 'text' })),
    };
  }
  const before = prev.columns.map((c) => c.name).join(', ');
  const after = next.columns.map((c) => c.name).join(', ');
  return { kind: 'other', table, detail: `columns changed from (${before}) to (${after}) or a column type changed` };
}
