import type { Catalog, ColumnInfo, ForeignKeyInfo, IndexInfo, TableInfo } from '../spi';
import type { MyClient } from './client';
import { parseMysqlType } from './types';

type R = Record<string, string | number | null>;
const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

export async function discoverMysql(c: MyClient, database: string, filter?: (schema: string, table: string) => boolean): Promise<Catalog> {
  const [[verRow]] = (await c.p.query('SELECT VERSION() AS v')) as unknown as [R[]];
  const version = s(verRow?.v);
  const flavor = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
  const [tRows] = (await c.p.query(
    `SELECT TABLE_NAME AS name, TABLE_ROWS AS rowsEst, DATA_LENGTH AS data, INDEX_LENGTH AS idx, AVG_ROW_LENGTH AS avgRow, AUTO_INCREMENT AS ai, TABLE_COMMENT AS comment
       FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
    [database],
  )) as unknown as [R[]];
  const tables = tRows.filter((t) => !filter || filter(database, s(t.name)));
  if (tables.length === 0) return { engine: 'mysql', flavor, version, database, schemas: [database], tables: [] };
  const names = tables.map((t) => s(t.name));
  const [cRows] = (await c.p.query(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS name, ORDINAL_POSITION AS ord, COLUMN_DEFAULT AS def, IS_NULLABLE AS nullable, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType,
            CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation, EXTRA AS extra, GENERATION_EXPRESSION AS gen, COLUMN_COMMENT AS comment
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?) ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database, names],
  )) as unknown as [R[]];
  // MariaDB stores JSON as LONGTEXT with a json_valid() check
  const jsonCols = new Set<string>();
  if (flavor === 'mariadb') {
    try {
      const [chk] = (await c.p.query(`SELECT TABLE_NAME AS t, CHECK_CLAUSE AS cl FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`, [
        database,
      ])) as unknown as [R[]];
      for (const r of chk) {
        const m = /^json_valid\(`([^`]+)`\)$/i.exec(s(r.cl).trim());
        if (m) jsonCols.add(`${s(r.t)}.${m[1]}`);
      }
    } catch {
      /* older servers */
    }
  }
  const [sRows] = (await c.p.query(
    `SELECT TABLE_NAME AS t, INDEX_NAME AS name, NON_UNIQUE AS nonUnique, SEQ_IN_INDEX AS seq, COLUMN_NAME AS col, INDEX_TYPE AS type, SUB_PART AS subPart
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?) ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    [database, names],
  )) as unknown as [R[]];
  const [fRows] = (await c.p.query(
    `SELECT k.TABLE_NAME AS t, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, k.REFERENCED_TABLE_SCHEMA AS refSchema, k.REFERENCED_TABLE_NAME AS refTable, k.REFERENCED_COLUMN_NAME AS refCol,
            r.UPDATE_RULE AS upd, r.DELETE_RULE AS del
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
      WHERE k.TABLE_SCHEMA = ? AND k.TABLE_NAME IN (?) AND k.REFERENCED_TABLE_NAME IS NOT NULL
      ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    [database, names],
  )) as unknown as [R[]];

  const out: TableInfo[] = [];
  for (const t of tables) {
    const name = s(t.name);
    const columns: ColumnInfo[] = cRows
      .filter((r) => s(r.t) === name)
      .map((r) => {
        const extra = s(r.extra).toLowerCase();
        const generated = /virtual generated|stored generated|persistent|virtual/.test(extra) && !!r.gen;
        let def: string | null = r.def === null ? null : s(r.def);
        if (def !== null && flavor === 'mysql') {
          // MySQL 8 reports literals unquoted; expressions are marked DEFAULT_GENERATED
          if (/default_generated/.test(extra)) def = /^current_timestamp/i.test(def) ? def : `(${def})`;
          else if (!/^-?\d+(\.\d+)?$/.test(def)) def = mysqlQuote(def);
        }
        if (def !== null && /^null$/i.test(def)) def = null;
        const type = parseMysqlType(s(r.columnType), s(r.dataType), jsonCols.has(`${name}.${s(r.name)}`));
        const col: ColumnInfo = {
          name: s(r.name),
          ordinal: Number(r.ord),
          nativeType: type.kind === 'json' && s(r.dataType) === 'longtext' ? 'json' : s(r.columnType),
          dataType: type.kind === 'json' ? 'json' : s(r.dataType).toLowerCase(),
          type,
          nullable: s(r.nullable) === 'YES',
          default: generated ? null : def,
          autoIncrement: extra.includes('auto_increment'),
          ...(generated ? { generated: s(r.gen) } : {}),
          ...(r.charset ? { charset: s(r.charset) } : {}),
          ...(r.collation ? { collation: s(r.collation) } : {}),
          ...(r.comment ? { comment: s(r.comment) } : {}),
        };
        return col;
      });
    const idxMap = new Map<string, IndexInfo>();
    for (const r of sRows.filter((x) => s(x.t) === name)) {
      const iname = s(r.name);
      let i = idxMap.get(iname);
      if (!i) {
        i = { name: iname, columns: [], unique: Number(r.nonUnique) === 0, method: s(r.type).toLowerCase() };
        idxMap.set(iname, i);
      }
      if (r.col === null) i.definition = 'expression';
      else i.columns.push(s(r.col));
      if (r.subPart !== null && r.subPart !== undefined) i.definition = i.definition ?? `prefix(${s(r.col)}, ${s(r.subPart)})`;
    }
    const primaryKey = idxMap.get('PRIMARY')?.columns ?? [];
    idxMap.delete('PRIMARY');
    const indexes: IndexInfo[] = [...idxMap.values()].map((i) => {
      const { definition, ...rest } = i;
      return definition && !definition.startsWith('prefix') ? { ...rest, definition } : rest;
    });
    const fkMap = new Map<string, ForeignKeyInfo>();
    for (const r of fRows.filter((x) => s(x.t) === name)) {
      const fname = s(r.name);
      let f = fkMap.get(fname);
      if (!f) {
        f = {
          name: fname,
          columns: [],
          refSchema: s(r.refSchema),
          refTable: s(r.refTable),
          refColumns: [],
          onUpdate: s(r.upd) || 'NO ACTION',
          onDelete: s(r.del) || 'NO ACTION',
        };
        fkMap.set(fname, f);
      }
      f.columns.push(s(r.col));
      f.refColumns.push(s(r.refCol));
    }
    const rowEstimate = Number(t.rowsEst ?? 0);
    const size = Number(t.data ?? 0) + Number(t.idx ?? 0);
    out.push({
      schema: database,
      name,
      columns,
      primaryKey,
      uniqueKeys: indexes.filter((i) => i.unique && !i.definition),
      indexes,
      foreignKeys: [...fkMap.values()],
      rowEstimate,
      sizeBytes: size,
      avgRowBytes: Number(t.avgRow ?? 0) || (rowEstimate ? Math.round(Number(t.data ?? 0) / rowEstimate) : 0),
      ...(t.ai !== null && t.ai !== undefined ? { autoIncrementNext: s(t.ai) } : {}),
      ...(t.comment ? { comment: s(t.comment) } : {}),
    });
  }
  return { engine: 'mysql', flavor, version, database, schemas: [database], tables: out };
}

function mysqlQuote(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
