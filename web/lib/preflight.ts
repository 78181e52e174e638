/**
 * Preflight and dry-run plan for the job wizard, computed from what the agents report:
 * each data source's connection test (reachability, credentials, privileges, log settings,
 * each with its fix; the target tested as a target; for modes cdc and full_cdc the source's
 * CDC preflight, the same checks the job meets at Start) and both catalogues (tables, keys,
 * row and size estimates).
 * Table matching follows the engine (agent/src/engine/type-mapping.ts): patterns match
 * `table` or `schema.table`, case-insensitively, with * and ? wildcards.
 */
import type { Catalog, DataSourceKind, DiscoveredTable, TestResult } from './ops/data-sources';
import type { JobInput, TableMapping } from './ops/jobs';

export type CheckStatus = 'ok' | 'warn' | 'fail';
export interface PreflightCheck {
  name: string;
  status: CheckStatus;
  message: string;
  /** SQL or a setting to change; shown copyable. */
  fix: string | null;
}

export function matchPattern(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\-]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(value);
}

export function tableSelected(include: string[], exclude: string[], t: Pick<DiscoveredTable, 'schema' | 'name'>): boolean {
  const names = t.schema ? [t.name, `${t.schema}.${t.name}`] : [t.name];
  return include.some((p) => names.some((n) => matchPattern(p, n))) && !exclude.some((p) => names.some((n) => matchPattern(p, n)));
}

export function mappingFor(mapping: Record<string, TableMapping>, t: Pick<DiscoveredTable, 'schema' | 'name'>): TableMapping | undefined {
  const full = t.schema ? `${t.schema}.${t.name}` : t.name;
  return mapping[full] ?? mapping[t.name] ?? Object.entries(mapping).find(([k]) => /[*?]/.test(k) && (matchPattern(k, t.name) || matchPattern(k, full)))?.[1];
}

function quoteIdent(kind: DataSourceKind, id: string): string {
  return kind === 'MYSQL' ? `\`${id.replace(/`/g, '``')}\`` : `"${id.replace(/"/g, '""')}"`;
}

export interface PreflightInput {
  input: JobInput;
  sourceKind: DataSourceKind;
  targetKind: DataSourceKind | null;
  sourceTest: TestResult | null;
  targetTest: TestResult | null;
  sourceCatalog: Catalog | null;
  targetCatalog: Catalog | null;
  /** Target schema the engine writes to (postgres config.schema, mysql config.database). */
  targetSchema: string | null;
}

export function preflightChecks(p: PreflightInput): PreflightCheck[] {
  const out: PreflightCheck[] = [];
  for (const [label, t] of [
    ['Source', p.sourceTest],
    ['Target', p.targetTest],
  ] as const) {
    if (!t) continue;
    for (const c of t.checks) {
      // The source's CDC preflight (modes cdc, full_cdc) arrives as `CDC: <check>`; warnings there do not block.
      const name = c.name.startsWith('CDC: ') ? c.name : `${label}: ${c.name}`;
      out.push({ name, status: c.ok ? 'ok' : c.severity === 'WARNING' ? 'warn' : 'fail', message: c.message, fix: c.ok ? null : c.fix });
    }
  }
  const spec = p.input.spec;
  if (p.sourceCatalog) {
    // A Kafka source's catalogue lists its topics (lib/wizard/kafka-draft.ts topicsAsTables).
    const kafkaSource = p.sourceCatalog.flavor === 'kafka';
    const what = kafkaSource ? (['topic', 'Topics'] as const) : (['table', 'Tables'] as const);
    const selected = p.sourceCatalog.tables.filter((t) => tableSelected(spec.tables.include, spec.tables.exclude, t));
    if (selected.length === 0) {
      out.push({
        name: `${what[1]} selected`,
        status: 'fail',
        message: `No ${what[0]} in the source matches include [${spec.tables.include.join(', ')}]${spec.tables.exclude.length ? ` minus [${spec.tables.exclude.join(', ')}]` : ''}.`,
        fix: 'Go back to Tables and widen the selection.',
      });
    } else {
      out.push({
        name: `${what[1]} selected`,
        status: 'ok',
        message: `${selected.length} ${what[0]}${selected.length === 1 ? '' : 's'} will be copied.`,
        fix: null,
      });
    }
    for (const t of selected) {
      const m = mappingFor(spec.mapping, t);
      if (t.primaryKey.length === 0) {
        out.push({
          name: `Primary key on ${t.name}`,
          status: 'warn',
          message: `${t.name} has no primary key: it is copied as one chunk (no parallelism, no resume inside the table) and verification compares it as a whole.`,
          fix: p.sourceKind === 'MYSQL' || p.sourceKind === 'POSTGRES' ? `ALTER TABLE ${quoteIdent(p.sourceKind, t.name)} ADD PRIMARY KEY (<column>);` : null,
        });
      }
      const cols = new Set(t.columns.map((c) => c.name));
      const unknown = [...Object.keys(m?.columns ?? {}), ...(m?.excludeColumns ?? [])].filter((c) => !cols.has(c));
      if (unknown.length) {
        out.push({
          name: `Column mapping of ${t.name}`,
          status: 'fail',
          message: `Unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`,
          fix: 'Fix the column names in the mapping.',
        });
      }
      const excludedPk = t.primaryKey.filter((c) => m?.excludeColumns?.includes(c));
      if (excludedPk.length) {
        out.push({
          name: `Column mapping of ${t.name}`,
          status: 'fail',
          message: `Primary key column ${excludedPk.join(', ')} cannot be excluded.`,
          fix: 'Copy the primary key columns.',
        });
      }
      // A topic's target table comes from its records (or spec.kafka.topicTables), not from its name.
      if (p.targetCatalog && p.targetKind && !kafkaSource) {
        const targetName = m?.rename ?? t.name;
        const exists = p.targetCatalog.tables.find(
          (x) => x.name.toLowerCase() === targetName.toLowerCase() && (!p.targetSchema || !x.schema || x.schema === p.targetSchema),
        );
        if (exists && spec.options.existingTable === 'fail' && spec.mode !== 'verify' && spec.mode !== 'cdc') {
          const q = (exists.schema ? `${quoteIdent(p.targetKind, exists.schema)}.` : '') + quoteIdent(p.targetKind, exists.name);
          out.push({
            name: `Target table ${targetName}`,
            status: 'fail',
            message: `${targetName} already exists in the target${exists.rowEstimate ? ` (~${exists.rowEstimate} rows)` : ''} and the job is set to fail on existing tables.`,
            fix: `DROP TABLE ${q};  -- or choose “Truncate it first” / “Upsert into it” under Mode & options`,
          });
        } else if (exists) {
          out.push({
            name: `Target table ${targetName}`,
            status: 'ok',
            message: `Exists; it will be ${spec.options.existingTable === 'truncate' ? 'truncated first' : spec.options.existingTable === 'upsert' ? 'upserted into' : 'compared'}.`,
            fix: null,
          });
        }
      }
    }
  }
  return out;
}

export interface PlanTable {
  source: string;
  target: string;
  rows: number | null;
  bytes: number | null;
  chunks: number;
  notes: string[];
}
export interface Plan {
  tables: PlanTable[];
  totalRows: number;
  totalBytes: number;
  /** Seconds, at `rate` rows/s. */
  estimatedSeconds: number;
  rate: number;
}

/** Rows/s assumed for the estimate; the engine uses the same figure when it cannot sample. */
export const NOMINAL_ROWS_PER_SEC = 50_000;

export function dryRunPlan(input: JobInput, sourceCatalog: Catalog, targetSchema: string | null): Plan {
  const spec = input.spec;
  const chunkSize = spec.options.chunkSize ?? 50_000;
  const par = Math.max(1, Math.min(spec.options.parallelism ?? 4, 2));
  const tables = sourceCatalog.tables
    .filter((t) => tableSelected(spec.tables.include, spec.tables.exclude, t))
    .map((t) => {
      const m = mappingFor(spec.mapping, t);
      const notes: string[] = [];
      if (t.primaryKey.length === 0) notes.push('no primary key: one chunk');
      if (m?.where) notes.push(`filtered (${m.where}); rows are an upper bound`);
      if (m?.excludeColumns?.length) notes.push(`${m.excludeColumns.length} column(s) skipped`);
      const renamed = Object.keys(m?.columns ?? {}).length;
      if (renamed) notes.push(`${renamed} column(s) renamed`);
      const rows = t.rowEstimate;
      return {
        source: t.schema ? `${t.schema}.${t.name}` : t.name,
        target: `${targetSchema ? `${targetSchema}.` : ''}${m?.rename ?? t.name}`,
        rows,
        bytes: t.sizeBytes,
        chunks: t.primaryKey.length === 0 ? 1 : Math.max(1, Math.ceil((rows ?? 0) / chunkSize)),
        notes,
      };
    });
  const totalRows = tables.reduce((a, t) => a + (t.rows ?? 0), 0);
  const totalBytes = tables.reduce((a, t) => a + (t.bytes ?? 0), 0);
  const rate = NOMINAL_ROWS_PER_SEC * par;
  return { tables, totalRows, totalBytes, rate, estimatedSeconds: Math.ceil(totalRows / rate) };
}
