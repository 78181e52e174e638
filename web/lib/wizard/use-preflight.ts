'use client';
/**
 * The wizard's preflight: tests both data sources through an agent and reads both catalogues, then checks the job
 * against them (lib/preflight.ts). The target is tested as a target (create, insert, update, delete), except for a
 * report-only verify job, which only reads it. For modes cdc and full_cdc the source test includes the CDC preflight
 * the job meets at Start, for the job's own table selection, so every check shows here before Start.
 */
import { useCallback, useRef, useState } from 'react';
import { request } from '../gql';
import { DISCOVER_DATA_SOURCE, readCatalog, TEST_DATA_SOURCE, type Catalog, type DataSource, type DataSourceRole, type TestResult } from '../ops/data-sources';
import type { JobInput } from '../ops/jobs';
import { DISCOVER_KAFKA } from '../ops/kafka';
import { preflightChecks, type PreflightCheck } from '../preflight';
import { isCdcMode } from './draft';
import { topicsAsTables } from './kafka-draft';

export interface PreflightResult {
  /** The wizard revision (draft) the checks were computed for. */
  revision: number;
  checks: PreflightCheck[];
  sourceCatalog: Catalog | null;
}

export interface PreflightRun {
  revision: number;
  input: JobInput;
  source: DataSource;
  target: DataSource | undefined;
}

/** The schema the engine writes to on a target: postgres config.schema, mysql config.database. */
export function targetSchemaOf(target: Pick<DataSource, 'kind' | 'config'> | undefined): string | null {
  const cfg = (target?.config ?? {}) as Record<string, unknown>;
  return target?.kind === 'POSTGRES' ? String(cfg['schema'] ?? 'public') : target?.kind === 'MYSQL' ? String(cfg['database'] ?? '') : null;
}

/** What the target is checked as: it is written to unless the job only verifies without repairing. */
export function targetRole(input: JobInput): DataSourceRole {
  return input.spec.mode === 'verify' && input.spec.options.repair !== true ? 'SOURCE' : 'TARGET';
}

export function useWizardPreflight(onSourceCatalog: (sourceId: string, catalog: Catalog) => void) {
  const [state, setState] = useState<{ loading: boolean; error: unknown }>({ loading: false, error: undefined });
  const [result, setResult] = useState<PreflightResult | null>(null);
  const latest = useRef(0);

  const run = useCallback(
    async ({ revision, input, source, target }: PreflightRun) => {
      const ticket = ++latest.current;
      setState({ loading: true, error: undefined });
      try {
        const catalog = async (id: string) => readCatalog((await request(DISCOVER_DATA_SOURCE, { id })).discoverDataSource.catalog);
        // A Kafka source's topics stand in for tables, so the selection is checked against them the same way.
        const topics = async (id: string): Promise<Catalog | null> => {
          const k = (await request(DISCOVER_KAFKA, { id })).discoverDataSource.kafka;
          return k ? { version: k.version, flavor: 'kafka', database: null, tables: topicsAsTables(k) } : null;
        };
        const mode = input.spec.mode;
        const sql = (ds: DataSource | undefined) => !!ds && ds.kind !== 'KAFKA';
        const cdc = isCdcMode(mode) && sql(source) ? { mode: mode === 'cdc' ? ('CDC' as const) : ('FULL_CDC' as const), ...input.spec.tables } : null;
        const [sourceTest, targetTest, sourceCatalog, targetCatalog] = await Promise.all([
          request(TEST_DATA_SOURCE, { id: source.id, role: 'SOURCE', cdc }).then((r) => r.testDataSource),
          target
            ? request(TEST_DATA_SOURCE, { id: target.id, role: targetRole(input) }).then((r) => r.testDataSource)
            : Promise.resolve(null as TestResult | null),
          sql(source) ? catalog(source.id).catch(() => null) : topics(source.id).catch(() => null),
          target && sql(target) ? catalog(target.id).catch(() => null) : Promise.resolve(null),
        ]);
        if (ticket !== latest.current) return;
        if (sourceCatalog) onSourceCatalog(source.id, sourceCatalog);
        const checks = preflightChecks({
          input,
          sourceKind: source.kind,
          targetKind: target?.kind ?? null,
          sourceTest,
          targetTest,
          sourceCatalog,
          targetCatalog,
          targetSchema: targetSchemaOf(target),
        });
        setResult({ revision, checks, sourceCatalog });
        setState({ loading: false, error: undefined });
      } catch (e) {
        if (ticket === latest.current) setState({ loading: false, error: e });
      }
    },
    [onSourceCatalog],
  );

  return { ...state, result, run };
}
