import type pg from 'pg';
import type { Catalog, ColumnInfo, ForeignKeyInfo, IndexInfo, TableInfo } from '../spi';
import { parsePgType } from './types';

const FK_ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

export async function discoverPg(client: pg.Client, database: string, schema: string, filter?: (schema: string, table: string) => boolean): Promise<Catalog> {
  const ver = (await client.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v;
  const tablesRes = await client.query<{ oid: string; relname: string; reltuples: string; size: string; relpages: string; comment: string | null }>(
    `SELECT c.oid, c.relname, c.reltuples::bigint::text AS reltuples, pg_total_relation_size(c.oid)::text AS size, c.relpages::text AS relpages, obj_description(c.oid, 'pg_class') AS comment
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r','p') AND NOT c.relispartition
      ORDER BY c.relname`,
    [schema],
  );
  const rows = tablesRes.rows.filter((t) => !filter || filter(schema, t.relname));
  const oids = rows.map((r) => r.oid);
  if (oids.length === 0) return { engine: 'postgres', flavor: 'postgres', version: ver, database, schemas: [schema], tables: [] };
  const cols = await client.query<{
    attrelid: string;
    attname: string;
    attnum: string;
    fmt: string;
    notnull: string;
    def: string | null;
    identity: string;
    generated: string;
    typtype: string;
    typname: string;
    typnsp: string;
    basefmt: string | null;
    enumvals: string | null;
    collname: string | null;
    comment: string | null;
  }>(
    `SELECT a.attrelid::text, a.attname, a.attnum::text, format_type(a.atttypid, a.atttypmod) AS fmt, a.attnotnull::text AS notnull,
            pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity AS identity, a.attgenerated AS generated,
            CASE WHEN t.typtype = 'd' THEN bt.typtype ELSE t.typtype END AS typtype, t.typname, tn.nspname AS typnsp,
            CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS basefmt,
            (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder)::text FROM pg_enum e WHERE e.enumtypid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END) AS enumvals,
            co.collname, col_description(a.attrelid, a.attnum) AS comment
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       JOIN pg_namespace tn ON tn.oid = t.typnamespace
       LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
      WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
  const idx = await client.query<{
    indrelid: string;
    name: string;
    primary: string;
    unique: string;
    method: string;
    def: string;
    complex: string;
    cols: string | null;
  }>(
    `SELECT i.indrelid::text, ic.relname AS name, i.indisprimary::text AS primary, i.indisunique::text AS unique, am.amname AS method,
            pg_get_indexdef(i.indexrelid) AS def, (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL)::text AS complex,
            (SELECT json_agg(a.attname ORDER BY k.ord)::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS cols
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
      WHERE i.indrelid = ANY($1::oid[])
      ORDER BY ic.relname`,
    [oids],
  );
  const fks = await client.query<{
    conrelid: string;
    name: string;
    refschema: string;
    reftable: string;
    cols: string;
    refcols: string;
    upd: string;
    del: string;
  }>(
    `SELECT con.conrelid::text, con.conname AS name, rn.nspname AS refschema, rc.relname AS reftable,
            (SELECT json_agg(a.attname ORDER BY k.ord)::text FROM unnest(con.conkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n) AS cols,
            (SELECT json_agg(a.attname ORDER BY k.ord)::text FROM unnest(con.confkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n) AS refcols,
            con.confupdtype AS upd, con.confdeltype AS del
       FROM pg_constraint con JOIN pg_class rc ON rc.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
      WHERE con.contype = 'f' AND con.conrelid = ANY($1::oid[])
      ORDER BY con.conname`,
    [oids],
  );
  const tables: TableInfo[] = [];
  for (const r of rows) {
    const columns: ColumnInfo[] = cols.rows
      .filter((c) => c.attrelid === r.oid)
      .map((c) => {
        const fmt = c.basefmt ?? c.fmt;
        const enumValues = c.enumvals ? (JSON.parse(c.enumvals) as string[]) : undefined;
        const enumTypeName = c.typtype === 'e' ? (c.typnsp === schema || c.typnsp === 'public' ? c.typname : `${c.typnsp}.${c.typname}`) : undefined;
        const type = parsePgType(fmt, { typtype: c.typtype, ...(enumValues ? { enumValues } : {}), ...(enumTypeName ? { enumTypeName } : {}) });
        const serial = !!c.def && /^nextval\(/i.test(c.def);
        const col: ColumnInfo = {
          name: c.attname,
          ordinal: Number(c.attnum),
          nativeType: fmt,
          dataType: c.typtype === 'e' ? 'enum' : fmt.replace(/\(.*$/, '').replace(/\[\]$/, '[]'),
          type,
          nullable: c.notnull !== 'true',
          default: c.generated === 's' ? null : c.def,
          autoIncrement: serial || c.identity === 'a' || c.identity === 'd',
          ...(c.identity === 'a' ? { identity: 'always' as const } : c.identity === 'd' ? { identity: 'by default' as const } : {}),
          ...(c.generated === 's' && c.def ? { generated: c.def } : {}),
          ...(c.collname ? { collation: c.collname } : {}),
          ...(c.comment ? { comment: c.comment } : {}),
        };
        return col;
      });
    const tIdx = idx.rows.filter((i) => i.indrelid === r.oid);
    const pk = tIdx.find((i) => i.primary === 'true');
    const indexes: IndexInfo[] = tIdx
      .filter((i) => i.primary !== 'true')
      .map((i) => ({
        name: i.name,
        columns: i.cols ? (JSON.parse(i.cols) as string[]) : [],
        unique: i.unique === 'true',
        method: i.method,
        ...(i.complex === 'true' ? { definition: i.def } : {}),
      }));
    const foreignKeys: ForeignKeyInfo[] = fks.rows
      .filter((f) => f.conrelid === r.oid)
      .map((f) => ({
        name: f.name,
        columns: JSON.parse(f.cols) as string[],
        refSchema: f.refschema,
        refTable: f.reftable,
        refColumns: JSON.parse(f.refcols) as string[],
        onUpdate: FK_ACTIONS[f.upd] ?? 'NO ACTION',
        onDelete: FK_ACTIONS[f.del] ?? 'NO ACTION',
      }));
    let rowEstimate = Number(r.reltuples);
    const size = Number(r.size);
    if (rowEstimate < 0 || (rowEstimate === 0 && Number(r.relpages) === 0)) {
      // never analyzed: count small tables, estimate big ones
      if (size < 256 * 1024 * 1024) {
        const cnt = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema.replace(/"/g, '""')}"."${r.relname.replace(/"/g, '""')}"`);
        rowEstimate = Number(cnt.rows[0]!.n);
      } else rowEstimate = Math.round(size / 100);
    }
    tables.push({
      schema,
      name: r.relname,
      columns,
      primaryKey: pk?.cols ? (JSON.parse(pk.cols) as string[]) : [],
      uniqueKeys: indexes.filter((i) => i.unique && !i.definition),
      indexes,
      foreignKeys,
      rowEstimate,
      sizeBytes: size,
      avgRowBytes: rowEstimate > 0 ? Math.max(1, Math.round(size / rowEstimate)) : 0,
      ...(r.comment ? { comment: r.comment } : {}),
    });
  }
  return { engine: 'postgres', flavor: 'postgres', version: ver, database, schemas: [schema], tables };
}
