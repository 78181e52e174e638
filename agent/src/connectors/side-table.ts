/**
 * Tables Sluice itself keeps in a target schema beside the user's (`_sluice_rejects`, the Kafka -> database
 * dead-letter table): plain columns, a primary key, no indexes or foreign keys, one declaration for both engines.
 */
import type { Engine, TargetTable } from './spi';

export type SideColumnKind = 'char' | 'varchar' | 'int' | 'text' | 'blob' | 'datetime';

/** [name, MySQL type, PostgreSQL type, kind, nullable] */
export type SideColumn = readonly [name: string, mysql: string, postgres: string, kind: SideColumnKind, nullable: boolean];

export function sideTable(engine: Engine, schema: string, name: string, columns: readonly SideColumn[], primaryKey: string[]): TargetTable {
  return {
    schema,
    name,
    columns: columns.map(([n, mysql, postgres, kind, nullable]) => ({
      name: n,
      sqlType: engine === 'mysql' ? mysql : postgres,
      type: { kind },
      nullable,
      default: null,
      autoIncrement: false,
    })),
    primaryKey,
    indexes: [],
    foreignKeys: [],
  };
}
