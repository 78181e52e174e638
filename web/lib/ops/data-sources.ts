import { gql } from '../gql';

export type DataSourceKind = 'MYSQL' | 'POSTGRES' | 'KAFKA';

export interface DataSource {
  id: string;
  name: string;
  kind: DataSourceKind;
  config: Record<string, unknown>;
  hasSecret: boolean;
  createdAt: string;
  updatedAt: string;
}
const FIELDS = 'id name kind config hasSecret createdAt updatedAt';

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
  /** Write-only. Omit to keep the stored one; empty string clears it. */
  secret?: string | null;
}

export const CREATE_DATA_SOURCE = gql<{ createDataSource: DataSource }, { input: DataSourceInput }>(`
  mutation CreateDataSource($input: CreateDataSourceInput!) { createDataSource(input: $input) { ${FIELDS} } }
`);

export const UPDATE_DATA_SOURCE = gql<{ updateDataSource: DataSource }, { id: string; input: Partial<Omit<DataSourceInput, 'kind'>> }>(`
  mutation UpdateDataSource($id: ID!, $input: UpdateDataSourceInput!) { updateDataSource(id: $id, input: $input) { ${FIELDS} } }
`);

export const DELETE_DATA_SOURCE = gql<{ deleteDataSource: boolean }, { id: string }>(`
  mutation DeleteDataSource($id: ID!) { deleteDataSource(id: $id) }
`);

export interface ConnectionCheck {
  name: string;
  ok: boolean;
  message: string | null;
}
export interface TestResult {
  ok: boolean;
  agent: { id: string; name: string } | null;
  checks: ConnectionCheck[];
  serverVersion: string | null;
  durationMs: number | null;
}
export const TEST_DATA_SOURCE = gql<{ testDataSource: TestResult }, { id: string; agentId?: string | null }>(`
  mutation TestDataSource($id: ID!, $agentId: ID) {
    testDataSource(id: $id, agentId: $agentId) { ok agent { id name } checks { name ok message } serverVersion durationMs }
  }
`);

export interface DiscoveredColumn {
  name: string;
  type: string;
  nullable: boolean;
}
export interface DiscoveredTable {
  schema: string | null;
  name: string;
  rowEstimate: number | null;
  primaryKey: string[];
  columns: DiscoveredColumn[];
}
export const DISCOVER_DATA_SOURCE = gql<{ discoverDataSource: { tables: DiscoveredTable[] } }, { id: string; agentId?: string | null }>(`
  mutation DiscoverDataSource($id: ID!, $agentId: ID) {
    discoverDataSource(id: $id, agentId: $agentId) {
      tables { schema name rowEstimate primaryKey columns { name type nullable } }
    }
  }
`);

/** A one-line, secret-free description of where a data source points. */
export function endpoint(ds: Pick<DataSource, 'kind' | 'config'>): string {
  const c = ds.config as Record<string, unknown>;
  if (ds.kind === 'KAFKA') return Array.isArray(c['brokers']) ? (c['brokers'] as string[]).join(', ') : '—';
  const db = `${String(c['database'] ?? '')}${ds.kind === 'POSTGRES' && c['schema'] ? `.${String(c['schema'])}` : ''}`;
  return `${String(c['user'] ?? '')}@${String(c['host'] ?? '')}:${String(c['port'] ?? '')}/${db}`;
}
