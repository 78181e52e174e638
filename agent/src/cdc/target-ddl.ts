/**
 * Schema changes rendered in each target's SQL (the applier's `renderDdl`): what runs, and what a table
 * paused for a schema change shows for approval. Idempotence is checked by the caller against the target's
 * columns before running (a replayed DDL changes nothing).
 */
import { mi, qi } from './connections';
import type { DdlDefault, TargetDdl } from './types';

function literal(d: DdlDefault): string {
  return d.numeric ? d.text : `'${d.text.replace(/'/g, "''")}'`;
}

export function renderPgDdl(schema: string, table: string, d: TargetDdl): string[] {
  const t = `${qi(schema)}.${qi(table)}`;
  switch (d.op) {
    case 'add_column': {
      const def = d.default ? ` DEFAULT ${literal(d.default)}` : '';
      const out = [`ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${qi(d.column)} ${d.type}${def}${d.notNull ? ' NOT NULL' : ''}`];
      if (d.default && d.dropDefaultAfter) out.push(`ALTER TABLE ${t} ALTER COLUMN ${qi(d.column)} DROP DEFAULT`);
      return out;
    }
    case 'drop_column':
      return [`ALTER TABLE ${t} DROP COLUMN IF EXISTS ${qi(d.column)}`];
    case 'rename_column':
      return [`ALTER TABLE ${t} RENAME COLUMN ${qi(d.from)} TO ${qi(d.to)}`];
    case 'alter_type':
      return [`ALTER TABLE ${t} ALTER COLUMN ${qi(d.column)} TYPE ${d.type} USING ${qi(d.column)}::${d.type}`];
    case 'create_index':
      return [`CREATE ${d.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${qi(d.name)} ON ${t} (${d.columns.map(qi).join(', ')})`];
    case 'drop_index':
      return [`DROP INDEX IF EXISTS ${qi(schema)}.${qi(d.name)}`];
    case 'drop_table':
      return [`DROP TABLE IF EXISTS ${t}`];
    case 'rename_table':
      return [`ALTER TABLE IF EXISTS ${t} RENAME TO ${qi(d.to)}`];
  }
}

export function renderMysqlDdl(db: string, table: string, d: TargetDdl): string[] {
  const t = `${mi(db)}.${mi(table)}`;
  switch (d.op) {
    case 'add_column': {
      const def = d.default ? ` DEFAULT ${literal(d.default)}` : '';
      const out = [`ALTER TABLE ${t} ADD COLUMN ${mi(d.column)} ${d.type}${d.notNull ? ' NOT NULL' : ' NULL'}${def}`];
      if (d.default && d.dropDefaultAfter) out.push(`ALTER TABLE ${t} ALTER COLUMN ${mi(d.column)} DROP DEFAULT`);
      return out;
    }
    case 'drop_column':
      return [`ALTER TABLE ${t} DROP COLUMN ${mi(d.column)}`];
    case 'rename_column':
      return [`ALTER TABLE ${t} RENAME COLUMN ${mi(d.from)} TO ${mi(d.to)}`];
    case 'alter_type':
      return [`ALTER TABLE ${t} MODIFY COLUMN ${mi(d.column)} ${d.type}${d.notNull ? ' NOT NULL' : ''}`];
    case 'create_index':
      return [`CREATE ${d.unique ? 'UNIQUE ' : ''}INDEX ${mi(d.name)} ON ${t} (${d.columns.map(mi).join(', ')})`];
    case 'drop_index':
      return [`DROP INDEX ${mi(d.name)} ON ${t}`];
    case 'drop_table':
      return [`DROP TABLE IF EXISTS ${t}`];
    case 'rename_table':
      return [`RENAME TABLE ${t} TO ${mi(db)}.${mi(d.to)}`];
  }
}
