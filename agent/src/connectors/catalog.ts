/** What a schema-capable connector discovers: tables, columns in an engine-neutral type family, keys and indexes. */

export type Engine = 'postgres' | 'mysql';

/** Engine-neutral type family. Native details stay in ColumnInfo.nativeType. */
export type CanonicalKind =
  | 'bool'
  | 'int' // bits: 8 | 16 | 24 | 32 | 64, unsigned
  | 'decimal' // precision/scale (undefined = unconstrained)
  | 'float' // bits: 32 | 64
  | 'money'
  | 'char' // fixed length
  | 'varchar' // length (undefined = unbounded)
  | 'text' // textSize
  | 'binary' // fixed length
  | 'varbinary'
  | 'blob'
  | 'date'
  | 'time' // fsp
  | 'timetz'
  | 'datetime' // no time zone, fsp
  | 'timestamptz' // an instant, fsp
  | 'year'
  | 'interval'
  | 'json' // binaryJson: jsonb
  | 'uuid'
  | 'enum' // enumValues
  | 'set' // enumValues
  | 'bit' // length, varying
  | 'inet'
  | 'cidr'
  | 'macaddr'
  | 'xml'
  | 'geometry'
  | 'array' // element
  | 'other'; // anything else, carried as text

export interface ColumnType {
  kind: CanonicalKind;
  /** Integer width in bits, or 32/64 for floats. */
  bits?: number;
  unsigned?: boolean;
  /** char/varchar/binary/varbinary/bit length. */
  length?: number;
  precision?: number;
  scale?: number;
  /** Fractional seconds precision for time/datetime/timestamptz. */
  fsp?: number;
  /** tiny | text | medium | long, for MySQL text/blob sizes. */
  size?: 'tiny' | 'normal' | 'medium' | 'long';
  /** bit varying / varbit. */
  varying?: boolean;
  /** jsonb rather than json. */
  binaryJson?: boolean;
  enumValues?: string[];
  /** PG name of a user-defined enum type. */
  enumTypeName?: string;
  /** Element type of an array. */
  element?: ColumnType;
}

export interface ColumnInfo {
  name: string;
  ordinal: number;
  /** The full native declaration, e.g. 'bigint(20) unsigned', 'character varying(40)', 'timestamp(3) with time zone'. */
  nativeType: string;
  /** The native base name, lower case, e.g. 'bigint', 'varchar', 'timestamptz', 'enum'. */
  dataType: string;
  type: ColumnType;
  nullable: boolean;
  /** The default as a SQL expression in the source dialect, or null. */
  default: string | null;
  /** AUTO_INCREMENT or identity/serial. */
  autoIncrement: boolean;
  /** PG: 'always' | 'by default' identity. */
  identity?: 'always' | 'by default';
  /** Generated (computed) column expression; such columns are not copied. */
  generated?: string;
  charset?: string;
  collation?: string;
  comment?: string;
}

export interface IndexInfo {
  name: string;
  columns: string[];
  unique: boolean;
  /** btree, hash, gin, fulltext, spatial ... */
  method?: string;
  /** Native definition if the index uses expressions/partial predicates (then it is not portable). */
  definition?: string;
}

export interface ForeignKeyInfo {
  name: string;
  columns: string[];
  refSchema: string;
  refTable: string;
  refColumns: string[];
  onUpdate: string;
  onDelete: string;
}

export interface TableInfo {
  schema: string;
  name: string;
  columns: ColumnInfo[];
  /** Primary key column names in key order; empty when the table has none. */
  primaryKey: string[];
  uniqueKeys: IndexInfo[];
  /** Secondary (non-PK) indexes, unique ones included. */
  indexes: IndexInfo[];
  foreignKeys: ForeignKeyInfo[];
  rowEstimate: number;
  /** Data + index bytes as reported by the catalogue. */
  sizeBytes: number;
  /** Average row length, bytes. */
  avgRowBytes: number;
  /** Current AUTO_INCREMENT / sequence value if known. */
  autoIncrementNext?: string;
  comment?: string;
}

export interface Catalog {
  engine: Engine;
  /** Server version string. */
  version: string;
  /** Flavour: 'mariadb' | 'mysql' | 'postgres'. */
  flavor: 'mariadb' | 'mysql' | 'postgres';
  database: string;
  schemas: string[];
  tables: TableInfo[];
}
