import { op } from '../gql';
import { graphql } from '../gql/generated';
import type {
  CdcPreflightInput as CdcPreflight,
  CreateDataSourceInput,
  DataSourceFieldsFragment,
  DataSourceKind as Kind,
  DataSourceRole as Role,
  TestDataSourceMutation,
  DataSourceTlsInput as TlsMaterial,
  TlsMode as Mode,
} from '../gql/generated/graphql';

export type DataSourceKind = Kind;
export type TlsMode = Mode;
export type DataSourceRole = Role;
/** PEM text; write-only. */
export type TlsMaterialInput = TlsMaterial;
/** The CDC preflight of a job reading this source: mode and its table patterns. */
export type CdcPreflightInput = CdcPreflight;

/** `config` is the kind's JSON (secret-free); `lastTest` is the health: the last connection test through an agent. */
export type DataSource = DataSourceFieldsFragment;
export type DataSourceTls = DataSource['tls'];
/** Write-only secret and TLS material: omit to keep the stored ones. */
export type DataSourceInput = CreateDataSourceInput;

graphql(`
  fragment DataSourceFields on DataSource {
    id
    name
    kind
    config
    hasSecret
    tls {
      mode
      serverName
      verified
      hasMaterial
      warning
    }
    lastTest {
      at
      ok
      summary
    }
    createdAt
    updatedAt
  }
`);

export const DATA_SOURCES = op(
  graphql(`
    query DataSources {
      dataSources {
        ...DataSourceFields
      }
    }
  `),
);

export const DATA_SOURCE = op(
  graphql(`
    query DataSource($id: ID!) {
      dataSource(id: $id) {
        ...DataSourceFields
      }
    }
  `),
);

export const CREATE_DATA_SOURCE = op(
  graphql(`
    mutation CreateDataSource($input: CreateDataSourceInput!) {
      createDataSource(input: $input) {
        ...DataSourceFields
      }
    }
  `),
);

export const UPDATE_DATA_SOURCE = op(
  graphql(`
    mutation UpdateDataSource($id: ID!, $input: UpdateDataSourceInput!) {
      updateDataSource(id: $id, input: $input) {
        ...DataSourceFields
      }
    }
  `),
);

export const DELETE_DATA_SOURCE = op(
  graphql(`
    mutation DeleteDataSource($id: ID!) {
      deleteDataSource(id: $id)
    }
  `),
);

type TestReply = TestDataSourceMutation['testDataSource'];
/** One check; `fix` says what to run or change (often SQL); severity WARNING does not block. */
export type ConnectionCheck = TestReply['checks'][number];
export type TlsReport = NonNullable<TestReply['tls']>;
/** `tls` is absent from older agents. */
export type TestResult = Omit<TestReply, 'tls'> & { tls?: TlsReport | null };

export const TEST_DATA_SOURCE = op(
  graphql(`
    mutation TestDataSource($id: ID!, $agentId: ID, $role: DataSourceRole, $cdc: CdcPreflightInput) {
      testDataSource(id: $id, agentId: $agentId, role: $role, cdc: $cdc) {
        agentId
        ok
        checks {
          name
          ok
          message
          fix
          severity
        }
        version
        tls {
          mode
          encrypted
          version
          verified
          message
        }
      }
    }
  `),
);

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
  const num = (v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null;
  const tables = Array.isArray(c['tables']) ? (c['tables'] as Array<Record<string, unknown>>) : [];
  const list = (v: unknown) => (Array.isArray(v) ? (v as Array<Record<string, unknown>>) : []);
  const names = (v: unknown) => (Array.isArray(v) ? (v as unknown[]).map(String) : []);
  const index = (i: Record<string, unknown>): DiscoveredIndex => ({
    name: String(i['name'] ?? '?'),
    columns: names(i['columns']),
    unique: i['unique'] === true,
  });
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

export const DISCOVER_DATA_SOURCE = op(
  graphql(`
    mutation DiscoverDataSource($id: ID!, $agentId: ID) {
      discoverDataSource(id: $id, agentId: $agentId) {
        agentId
        catalog
      }
    }
  `),
);

/** A one-line, secret-free description of where a data source points. */
export function endpoint(ds: Pick<DataSource, 'kind' | 'config'>): string {
  const c = ds.config as Record<string, unknown>;
  if (ds.kind === 'KAFKA') return Array.isArray(c['brokers']) ? (c['brokers'] as string[]).join(', ') : '—';
  const db = `${String(c['database'] ?? '')}${ds.kind === 'POSTGRES' && c['schema'] ? `.${String(c['schema'])}` : ''}`;
  return `${String(c['user'] ?? '')}@${String(c['host'] ?? '')}:${String(c['port'] ?? '')}/${db}`;
}
