/** The table-level objects of the plan that the table and index DDL carries: table comments, full-text, spatial and other special indexes. */
import type { ObjectPlanEntry } from '../../protocol/objects-shapes';
import type { Engine } from '../../connectors/catalog';
import type { ObjectKind } from '../../connectors/objects';
import type { TableMappingResult } from '../type-mapping';
import { qid, qstr } from './render';

type Entry = Omit<ObjectPlanEntry, 'id' | 'ddl'> & { ddl?: string[] };

export function tableCommentEntry(m: TableMappingResult, same: boolean, to: Engine): Entry | null {
  if (!m.source.comment) return null;
  const ddl =
    to === 'mysql'
      ? `ALTER TABLE ${qid(m.target.name, to)} COMMENT=${qstr(m.source.comment.slice(0, 2048), to)}`
      : `COMMENT ON TABLE ${qid(m.target.name, to)} IS ${qstr(m.source.comment, to)}`;
  return {
    kind: 'comment',
    name: m.source.name,
    table: m.source.name,
    status: same ? 'carried' : 'translated',
    when: 'with_tables',
    ddl: [ddl],
    note: 'set when the table is created',
  };
}

const FIX: Record<string, string> = {
  fulltext: "for PostgreSQL full-text search, create a GIN index on to_tsvector('simple', <columns>) and rewrite MATCH … AGAINST queries",
  spatial: 'for PostGIS, create a GiST index on a geometry column',
  gin: 'for MySQL text search, a FULLTEXT index on the text columns (and queries rewritten); otherwise none',
  gist: 'for MySQL, a SPATIAL index on a geometry column; otherwise none',
};

/** Indexes the plan names: full-text, spatial, and any other index the target does not build the same. */
export function indexEntries(m: TableMappingResult, same: boolean, can: (k: ObjectKind) => boolean): Entry[] {
  const out: Entry[] = [];
  for (const i of m.source.indexes) {
    const method = (i.method ?? '').toLowerCase();
    const kind: ObjectKind = method === 'fulltext' ? 'fulltext_index' : method === 'spatial' ? 'spatial_index' : 'index';
    const built = m.target.indexes.find((x) => x.name === i.name);
    const special = kind !== 'index' || !!i.definition || /gin|gist|brin|hash|spgist/.test(method);
    if (!special) continue;
    const name = `${m.source.name}.${i.name}`;
    const cols = i.columns.join(', ');
    const sourceDdl = i.definition && i.definition !== 'expression' ? i.definition : `${method.toUpperCase()} INDEX ${i.name} (${cols || 'expression'})`;
    if (built && !(kind === 'index' && i.definition === 'expression') && (kind === 'index' || can(kind)))
      out.push({
        kind,
        name,
        table: m.source.name,
        status: same ? 'carried' : 'translated',
        when: 'with_tables',
        ddl: [sourceDdl],
        note: 'created with the secondary indexes after the load',
      });
    else
      out.push({
        kind,
        name,
        table: m.source.name,
        status: 'not_carried',
        ddl: [],
        sourceDdl,
        reason: i.definition ? 'an expression or partial index is not rebuilt on this target' : `a ${method} index has no equivalent on the target`,
        fix: FIX[method] ?? 'create an equivalent index on the target by hand',
      });
  }
  return out;
}
