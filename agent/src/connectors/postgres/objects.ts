/**
 * The PostgreSQL source's schema objects (issue 15 item 3): views, materialized views,
 * triggers, functions and procedures, standalone sequences, enum types, domains and table
 * CHECKs of the job's schema. Definitions are read with the schema on the search_path, so
 * names inside them come unqualified and run in whatever schema the target uses.
 * Column-level objects (generated columns, comments, indexes) come from the Catalog.
 */
import type pg from 'pg';
import type { SchemaObject } from '../objects';
import type { TableInfo } from '../catalog';

const qi = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Objects owned by an extension are the extension's: not listed (CREATE EXTENSION brings them). */
const NOT_EXTENSION = (oid: string, cls: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend dx WHERE dx.objid = ${oid} AND dx.classid = '${cls}'::regclass AND dx.deptype = 'e')`;

export async function discoverPgObjects(client: pg.Client, schema: string, tables: TableInfo[]): Promise<SchemaObject[]> {
  const out: SchemaObject[] = [];
  const names = tables.map((t) => t.name);
  await client.query('BEGIN READ ONLY');
  try {
    await client.query(`SELECT set_config('search_path', $1, true)`, [qi(schema)]);
    const views = await client.query<{ name: string; kind: string; def: string }>(
      `SELECT c.relname AS name, c.relkind AS kind, pg_get_viewdef(c.oid) AS def
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('v', 'm') AND ${NOT_EXTENSION('c.oid', 'pg_class')}
        ORDER BY c.relname`,
      [schema],
    );
    for (const v of views.rows) {
      const select = v.def.trim().replace(/;$/, '');
      const mat = v.kind === 'm';
      out.push({
        kind: mat ? 'materialized_view' : 'view',
        schema,
        name: v.name,
        definition: select,
        ddl: `CREATE ${mat ? 'MATERIALIZED VIEW' : 'VIEW'} ${qi(v.name)} AS\n${select}${mat ? '\nWITH DATA' : ''}`,
      });
    }
    const routines = await client.query<{ name: string; kind: string; def: string; args: string }>(
      `SELECT p.proname AS name, p.prokind AS kind, pg_get_functiondef(p.oid) AS def, pg_get_function_identity_arguments(p.oid) AS args
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = $1 AND p.prokind IN ('f', 'p') AND ${NOT_EXTENSION('p.oid', 'pg_proc')}
        ORDER BY p.proname, args`,
      [schema],
    );
    for (const r of routines.rows) {
      // pg_get_functiondef always qualifies the routine's own name: drop the source schema
      const ddl = r.def.replace(/^(CREATE OR REPLACE (?:FUNCTION|PROCEDURE) )(?:"(?:[^"]|"")+"|[^\s.(]+)\./, '$1').trim();
      out.push({ kind: r.kind === 'p' ? 'procedure' : 'function', schema, name: `${r.name}(${r.args})`, ddl });
    }
    if (names.length) {
      const triggers = await client.query<{ name: string; tbl: string; def: string }>(
        `SELECT t.tgname AS name, c.relname AS tbl, pg_get_triggerdef(t.oid) AS def
           FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND NOT t.tgisinternal AND c.relname = ANY($2::text[])
          ORDER BY c.relname, t.tgname`,
        [schema, names],
      );
      for (const t of triggers.rows) out.push({ kind: 'trigger', schema, name: t.name, table: t.tbl, ddl: t.def });
      const checks = await client.query<{ name: string; tbl: string; def: string }>(
        `SELECT con.conname AS name, c.relname AS tbl, pg_get_constraintdef(con.oid) AS def
           FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND con.contype = 'c' AND c.relname = ANY($2::text[])
          ORDER BY c.relname, con.conname`,
        [schema, names],
      );
      for (const k of checks.rows) {
        const expr = /^CHECK \((.*)\)( NOT VALID)?$/s.exec(k.def)?.[1] ?? k.def;
        out.push({
          kind: 'check',
          schema,
          name: k.name,
          table: k.tbl,
          definition: expr,
          ddl: `ALTER TABLE ${qi(k.tbl)} ADD CONSTRAINT ${qi(k.name)} ${k.def}`,
        });
      }
    }
    const seqs = await client.query<{
      name: string;
      type: string;
      start: string;
      inc: string;
      min: string;
      max: string;
      cache: string;
      cycle: boolean;
      last: string | null;
    }>(
      `SELECT s.sequencename AS name, s.data_type::text AS type, s.start_value::text AS start, s.increment_by::text AS inc, s.min_value::text AS min,
              s.max_value::text AS max, s.cache_size::text AS cache, s.cycle, s.last_value::text AS last
         FROM pg_sequences s JOIN pg_class c ON c.relname = s.sequencename JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = s.schemaname
        WHERE s.schemaname = $1
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i', 'e'))
        ORDER BY s.sequencename`,
      [schema],
    );
    for (const s of seqs.rows) {
      out.push({
        kind: 'sequence',
        schema,
        name: s.name,
        lastValue: s.last,
        ddl: `CREATE SEQUENCE IF NOT EXISTS ${qi(s.name)} AS ${s.type} INCREMENT BY ${s.inc} MINVALUE ${s.min} MAXVALUE ${s.max} START WITH ${s.start} CACHE ${s.cache}${s.cycle ? ' CYCLE' : ''}`,
      });
    }
    const enums = await client.query<{ name: string; vals: string }>(
      `SELECT t.typname AS name, (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder)::text FROM pg_enum e WHERE e.enumtypid = t.oid) AS vals
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = $1 AND t.typtype = 'e' AND ${NOT_EXTENSION('t.oid', 'pg_type')}
        ORDER BY t.typname`,
      [schema],
    );
    for (const e of enums.rows) {
      const values = JSON.parse(e.vals ?? '[]') as string[];
      out.push({
        kind: 'enum',
        schema,
        name: e.name,
        values,
        ddl: `CREATE TYPE ${qi(e.name)} AS ENUM (${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`,
      });
    }
    const domains = await client.query<{ name: string; base: string; notnull: boolean; def: string | null; checks: string | null; used: string | null }>(
      `SELECT t.typname AS name, format_type(t.typbasetype, t.typtypmod) AS base, t.typnotnull AS notnull, t.typdefault AS def,
              (SELECT json_agg(json_build_array(c.conname, pg_get_constraintdef(c.oid)) ORDER BY c.conname)::text FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c') AS checks,
              (SELECT json_agg(cl.relname || '.' || a.attname ORDER BY cl.relname, a.attnum)::text FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid
                WHERE a.atttypid = t.oid AND cl.relnamespace = n.oid AND cl.relkind IN ('r', 'p') AND NOT a.attisdropped AND a.attnum > 0) AS used
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = $1 AND t.typtype = 'd' AND ${NOT_EXTENSION('t.oid', 'pg_type')}
        ORDER BY t.typname`,
      [schema],
    );
    for (const d of domains.rows) {
      const checks = JSON.parse(d.checks ?? '[]') as [string, string][];
      const exprs = checks.map(([, def]) => /^CHECK \((.*)\)( NOT VALID)?$/s.exec(def)?.[1] ?? def);
      out.push({
        kind: 'domain',
        schema,
        name: d.name,
        nativeType: d.base,
        nullable: !d.notnull,
        default: d.def,
        ...(exprs.length ? { definition: exprs.map((x) => `(${x})`).join(' AND ') } : {}),
        usedBy: (JSON.parse(d.used ?? '[]') as string[]).filter((u) => names.includes(u.slice(0, u.lastIndexOf('.')))),
        ddl: `CREATE DOMAIN ${qi(d.name)} AS ${d.base}${d.def !== null ? ` DEFAULT ${d.def}` : ''}${d.notnull ? ' NOT NULL' : ''}${checks
          .map(([n, def]) => ` CONSTRAINT ${qi(n)} ${def}`)
          .join('')}`,
      });
    }
  } finally {
    await client.query('COMMIT').catch(() => {});
  }
  return out;
}

/** Generated columns of the selected tables (PostgreSQL's are STORED; 'v' is PostgreSQL 18's VIRTUAL). */
export function pgGeneratedColumns(schema: string, tables: TableInfo[]): SchemaObject[] {
  return tables.flatMap((t) =>
    t.columns
      .filter((c) => c.generated)
      .map((c) => ({
        kind: 'generated_column' as const,
        schema,
        name: c.name,
        table: t.name,
        column: c.name,
        nativeType: c.nativeType,
        stored: true,
        definition: c.generated!,
        ddl: `ALTER TABLE ${qi(t.name)} ADD COLUMN ${qi(c.name)} ${c.nativeType} GENERATED ALWAYS AS (${c.generated!}) STORED`,
      })),
  );
}
