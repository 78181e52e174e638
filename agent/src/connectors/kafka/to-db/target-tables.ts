/**
 * The target tables a Kafka -> database job writes: looked up in the
 * target's catalog (column types for decoding and the fit checks), and
 * created from the column types a record carries (the Debezium `schema` part,
 * Canal's mysqlType, Sluice JSON's columns) with the full load's own type
 * mapping. A record for a table that does not exist and whose format carries
 * no types can't be applied: it goes to the dead-letter table.
 */
import type { ColumnInfo, Engine, TableInfo } from '../../catalog';
import type { Target } from '../../spi';
import { mysqlDeclaration } from '../../mysql/types';
import { pgDeclaration } from '../../postgres/types';
import { mapTable } from '../../../engine/type-mapping';
import type { TableMapping } from '../../../protocol';
import type { FormatColumn } from '../formats';

export class TargetTables {
  private readonly cache = new Map<string, TableInfo | null>();

  constructor(private readonly target: Target) {}

  get engine(): Engine {
    return this.target.engine;
  }

  get namespace(): string {
    return this.target.namespace;
  }

  /** The target table (cached; null when it does not exist). */
  async get(name: string): Promise<TableInfo | null> {
    if (this.cache.has(name)) return this.cache.get(name) ?? null;
    const cat = await this.target.discover((_s, t) => t === name);
    const t = cat.tables.find((x) => x.name === name) ?? null;
    this.cache.set(name, t);
    return t;
  }

  forget(name: string): void {
    this.cache.delete(name);
  }

  /**
   * Creates `name` from a record's column types when it does not exist.
   * `engine`: the engine whose native types `columns` name (null: Debezium's Connect types, declared here).
   */
  async ensure(
    name: string,
    columns: FormatColumn[],
    keyColumns: string[],
    engine: Engine | null,
    mapping: TableMapping | undefined,
  ): Promise<TableInfo | null> {
    const existing = await this.get(name);
    if (existing) return existing;
    if (!columns.length || !keyColumns.length) return null;
    const from: Engine = engine ?? this.target.engine;
    const infos: ColumnInfo[] = columns.map((c, i) => {
      const isKey = keyColumns.includes(c.name);
      let type = c.type;
      let nativeType = c.nativeType;
      if (!engine && from === 'mysql') nativeType = mysqlDeclaration(c.type, { isKey, indexed: false, keyColumns: keyColumns.length }).sql;
      else if (!engine) {
        const d = pgDeclaration(c.type, { table: name, column: c.name });
        nativeType = d.sql;
        if (d.createEnum) type = { ...type, enumTypeName: d.createEnum.name };
      }
      return {
        name: c.name,
        ordinal: i + 1,
        nativeType,
        dataType: nativeType.toLowerCase().replace(/[\s(].*$/, ''),
        type,
        nullable: !isKey && c.nullable !== false,
        default: null,
        autoIncrement: false,
      };
    });
    const info: TableInfo = {
      schema: this.target.namespace,
      name,
      columns: infos,
      primaryKey: keyColumns,
      uniqueKeys: [],
      indexes: [],
      foreignKeys: [],
      rowEstimate: 0,
      sizeBytes: 0,
      avgRowBytes: 0,
    };
    const mapped = mapTable(info, from, this.target.engine, this.target.namespace, mapping);
    await this.target.applySchema([{ op: 'createTable', table: { ...mapped.target, name }, existing: 'upsert' }]);
    this.cache.delete(name);
    return this.get(name);
  }
}
