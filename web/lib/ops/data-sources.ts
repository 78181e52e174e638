import { gql } from '../gql';

export type DataSourceKind = 'MYSQL' | 'POSTGRES' | 'KAFKA';

export type TlsMode = 'DISABLE' | 'REQUIRE' | 'VERIFY_CA' | 'VERIFY_FULL';
export interface DataSourceTls {
  mode: TlsMode;
  serverName: string | null;
  verified: boolean;
  /** A CA bundle and/or client certificate is stored (write-only). */
  hasMaterial: boolean;
  /** Set for REQUIRE: encrypted, not verified. */
  warning: string | null;
}
export interface DataSource {
  id: string;
  name: string;
  kind: DataSourceKind;
  config: Record<string, unknown>;
  hasSecret: boolean;
  tls: DataSourceTls;
  /** Health: the last connection test through an agent. */
  lastTest: { at: string; ok: boolean; summary: string } | null;
  createdAt: string;
  updatedAt: string;
}
const FIELDS = 'id name kind config hasSecret tls { mode serverName verified hasMaterial warning } lastTest { at ok summary } createdAt updatedAt';

/** PEM text; write-only. */
export interface TlsMaterialInput {
  ca?: string;
  cert?: string;
  key?: string;
}

export const DATA_SOURCES = gql<{ dataSources: DataSource[] }>(`
  query DataSources { dataSources { ${FIELDS} } }
`);

export const DATA_SOURCE = gql<{ dataSource: DataSource }, { id: string }>(`
  query DataSource($id: ID!) { dataSource(id: $id) { ${FIELDS} } }
`);

export interface DataSourceInput {
  name: string;
  kind: DataSourceKind;
  config: Record<string, unknown>;
  /** Write-only. Omit to keep the stored one. */
  secret?: string;
  /** Write-only. Omit to keep the stored material. */
  tls?: TlsMaterialInput;
}

export const CREATE_DATA_SOURCE = gql<{ createDataSource: DataSource }, { input: DataSourceInput }>(`
  mutation CreateDataSource($input: CreateDataSourceInput!) { createDataSource(input: $input) { ${FIELDS} } }
`);

export const UPDATE_DATA_SOURCE = gql<{ updateDataSource: DataSource }, { id: string; input: Partial<Omit<DataSourceInput, 'kind'>> & { clearSecret?: boolean; clearTls?: boolean } }>(`
  mutation UpdateDataSource($id: ID!, $input: UpdateDataSourceInput!) { updateDataSource(id: $id, input: $input) { ${FIELDS} } }
`);

export const DELETE_DATA_SOURCE = gql<{ deleteDataSource: boolean }, { id: string }>(`
  mutation DeleteDataSource($id: ID!) { deleteDataSource(id: $id) }
`);

export interface ConnectionCheck {
  name: string;
  ok: boolean;
  message: string;
  /** What to run or change to fix a failing check (often SQL). */
  fix: string | null;
  /** WARNING: a failure that does not block. */
  severity: 'ERROR' | 'WARNING';
}
export interface TlsReport {
  mode: TlsMode;
  encrypted: boolean;
  version: string | null;
  verified: boolean;
  message: string;
}
export interface TestResult {
  agentId: string;
  ok: boolean;
  checks: ConnectionCheck[];
  version: string | null;
  /** Absent from older agents. */
  tls?: TlsReport | null;
}
export type DataSourceRole = 'SOURCE' | 'TARGET';
/** The CDC preflight of a job reading this source: mode and its table patterns. */
export interface CdcPreflightInput {
  mode: 'CDC' | 'FULL_CDC';
  include: string[];
  exclude: string[];
}
export const TEST_DATA_SOURCE = gql<{ testDataSource: TestResult }, { id: string; agentId?: string | null; role?: DataSourceRole; cdc?: CdcPreflightInput | null }>(`
  mutation TestDataSource($id: ID!, $agentId: ID, $role: DataSourceRole, $cdc: CdcPreflightInput) {
    testDataSource(id: $id, agentId: $agentId, role: $role, cdc: $cdc) { agentId ok checks { name ok message fix severity } version tls { mode encrypted version verified message } }
  }
`);

export interface DiscoveredColumn {
  name: string;
  type: string;
  nullable: boolean;
}
export interface DiscoveredIndex {
  name: string;
  columns: string[];
  unique: boolean;
}
export interface DiscoveredForeignKey {
  name: string;
  columns: string[];
  refSchema: string | null;
  refTable: string;
  refColumns: string[];
  onDelete: string | null;
  onUpdate: string | null;
}
export interface DiscoveredTable {
  schema: string | null;
  name: string;
  rowEstimate: number | null;
  sizeBytes: number | null;
  primaryKey: string[];
  columns: DiscoveredColumn[];
  uniqueKeys: DiscoveredIndex[];
  /** Every index, unique ones included (not the primary key). */
  indexes: DiscoveredIndex[];
  foreignKeys: DiscoveredForeignKey[];
}
export interface Catalog {
  version: string | null;
  flavor: string | null;
  database: string | null;
  tables: DiscoveredTable[];
}

/** Reads the engine's catalogue JSON (agent/src/connectors/spi.ts `Catalog`) defensively. */
export function readCatalog(raw: unknown): Catalog {
  const c = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
  const tables = Array.isArray(c['tables']) ? (c['tables'] as Array<Record<string, unknown>>) : [];
  const list = (v: unknown) => (Array.isArray(v) ? (v as Array<Record<string, unknown>>) : []);
  const names = (v: unknown) => (Array.isArray(v) ? (v as unknown[]).map(String) : []);
  const index = (i: Record<string, unknown>): DiscoveredIndex => ({ name: String(i['name'] ?? '?'), columns: names(i['columns']), unique: i['unique'] === true });
  return {
    version: str(c['version']),
    flavor: str(c['flavor']),
    database: str(c['database']),
    tables: tables.map((t) => ({
      schema: str(t['schema']),
      name: String(t['name'] ?? '?'),
      rowEstimate: num(t['rowEstimate']),
      sizeBytes: num(t['sizeBytes']),
      primaryKey: Array.isArray(t['primaryKey']) ? (t['primaryKey'] as unknown[]).map(String) : [],
      columns: (Array.isArray(t['columns']) ? (t['columns'] as Array<Record<string, unknown>>) : []).map((col) => ({
        name: String(col['name'] ?? '?'),
        type: String(col['nativeType'] ?? col['dataType'] ?? col['type'] ?? ''),
        nullable: col['nullable'] !== false,
      })),
      uniqueKeys: list(t['uniqueKeys']).map(index),
      indexes: list(t['indexes']).map(index),
      foreignKeys: list(t['foreignKeys']).map((f) => ({
        name: String(f['name'] ?? '?'),
        columns: names(f['columns']),
        refSchema: str(f['refSchema']),
        refTable: String(f['refTable'] ?? '?'),
        refColumns: names(f['refColumns']),
        onDelete: str(f['onDelete']),
        onUpdate: str(f['onUpdate']),
      })),
    })),
  };
}

export const DISCOVER_DATA_SOURCE = gql<{ discoverDataSource: { agentId: string; catalog: unknown } }, { id: string; agentId?: string | null }>(`
  mutation DiscoverDataSource($id: ID!, $agentId: ID) {
    discoverDataSource(id: $id, agentId: $agentId) { agentId catalog }
  }
`);

/** A one-line, secret-free description of where a data source points. */
export function endpoint(ds: Pick<DataSource, 'kind' | 'config'>): string {
  const c = ds.config as Record<string, unknown>;
  if (ds.kind === 'KAFKA') return Array.isArray(c['brokers']) ? (c['brokers'] as string[]).join(', ') : '—';
  const db = `${String(c['database'] ?? '')}${ds.kind === 'POSTGRES' && c['schema'] ? `.${String(c['schema'])}` : ''}`;
  return `${String(c['user'] ?? '')}@${String(c['host'] ?? '')}:${String(c['port'] ?? '')}/${db}`;
}
