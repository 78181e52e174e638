/**
 * The engine's public surface. The agent runtime calls runEngineTask inside a
 * task; the standalone CLI calls runStandalone. Both pass EngineHooks.
 */
import type { Connection, JobSpec } from '../protocol';
import { checkConnection, openSource, openTarget } from '../connectors';
import type { KafkaCatalog } from '../protocol/kafka-shapes';
import { ConnectorError, hasTables, isConnectorError, type Catalog } from '../connectors/spi';
import type { ConnectionTestResult, EngineHooks, EngineResult, EngineTaskInput } from './hooks';
import { fullLoad, type FullLoadOptions, type FullLoadResult } from './full-load';
import { dryRun, type PlanReport } from './dry-run';
import { runStandaloneWith, type StandaloneOptions } from './standalone';

export type { EngineHooks, EngineResult, EngineTaskInput, ConnectionTestResult, EngineProgress, TableProgress, Position } from './hooks';
export type { FullLoadOptions, FullLoadResult } from './full-load';
export type { PlanReport, DryRunTable } from './dry-run';
export type { StandaloneOptions } from './standalone';
export { defaultStateFile } from './standalone';
export { typeMappingMarkdown, typeMappingDoc } from './type-mapping-doc';
export { ConnectorError, isConnectorError };

/**
 * Extension points for work built on top of the full load:
 *  - cdc: called after the snapshot of a full_cdc job (and for mode cdc), with the
 *    CDC start position captured by plan() before any snapshot read (checkpoint 'cdc:start').
 *  - verify: called for mode verify, and after every full load when options.verifyAfterLoad.
 */
export interface EngineExtensions {
  cdc?: (input: EngineTaskInput, hooks: EngineHooks, ctx: { cdcStart?: unknown; snapshot?: FullLoadResult }) => Promise<EngineResult>;
  verify?: (input: EngineTaskInput, hooks: EngineHooks, ctx: { load?: FullLoadResult; gate?: CdcGate }) => Promise<EngineResult>;
  /** full_cdc: checks the source can stream (binlog/wal_level, privileges, ...) BEFORE the snapshot; throws a config error with the fix. */
  cdcPreflight?: (input: EngineTaskInput, hooks: EngineHooks) => Promise<void>;
}
export const engineExtensions: EngineExtensions = {};

/** What verification beside CDC waits on (verify/cdc-gate.ts): the target has applied the source up to a position. */
export interface CdcGate {
  waitApplied(position: never, signal: AbortSignal): Promise<void>;
  retries?: number;
}
/** A deleted CDC job's leftovers (source streaming state, target checkpoint rows), through the connector SPI. */
export function cleanupCdcJob(source: Connection, jobId: string, names: { slot?: string; publication?: string }, target?: Connection) {
  return import('../cdc/cleanup').then((m) => m.cleanupCdcJob(source, jobId, names, target));
}

// Real-time replication (agent/src/cdc), loaded on first use.
engineExtensions.cdc = (input, hooks, ctx) => import('../cdc').then((m) => m.runCdcExtension(input, hooks, ctx));
engineExtensions.cdcPreflight = (input, hooks) =>
  import('../cdc').then(async (m) => {
    // The job's own tables, as the portal's wizard checks them (preflightCdcForJob): not every table of the schema.
    const tables = await m.listCapturedTables(input.source, input.job);
    await m.assertCdcPreflight(input.source, hooks, { tables, resuming: !!hooks.resume['cdc:start'] });
    // DDL during the snapshot is captured too (the stream starts at T0).
    await m.installDdlCaptureFor(input.source, input.job, tables, hooks);
  });
// Verification and repair (agent/src/verify), loaded on first use.
engineExtensions.verify = (input, hooks, ctx) => import('../verify/extension').then((m) => m.verifyExtension(input, hooks, ctx));

/** A job whose source has the records capability (Kafka): the records job, or null for the table paths. */
async function runRecords(input: EngineTaskInput, hooks: EngineHooks): Promise<EngineResult | null> {
  const source = openSource(input.source);
  try {
    if (!source.records) {
      // A database source and a target with the records capability (Kafka): database -> Kafka.
      if (!input.target || !hasTables(source)) return null;
      const target = openTarget(input.target);
      try {
        if (!target.records) return null;
        const { runDbToKafka } = await import('../connectors/kafka/from-db/run-db-to-kafka');
        return await runDbToKafka(input, hooks, source, target.records);
      } finally {
        await target.close();
      }
    }
    if (!input.target)
      throw new ConnectorError(`a ${input.job.mode} job needs a target connection`, {
        class: 'config',
        code: 'TARGET_MISSING',
        retryable: false,
        fix: 'choose a target data source',
      });
    const target = openTarget(input.target);
    try {
      if (!target.records && hasTables(target)) {
        // Kafka -> database: records decoded in the job's format, applied by the CDC loop.
        const [{ runKafkaToDb }, { kafkaReadSide }] = await Promise.all([
          import('../connectors/kafka/to-db/run-kafka-to-db'),
          import('../connectors/kafka/to-db/read-side'),
        ]);
        return await runKafkaToDb(input, hooks, kafkaReadSide(source.records, input.job, input.jobId), target);
      }
      if (!target.records) {
        throw new ConnectorError(`records from a ${input.source.kind} source can't be written to a ${input.target.kind} target yet`, {
          class: 'config',
          code: 'UNSUPPORTED',
          retryable: false,
          fix: `choose a ${input.source.kind} target`,
        });
      }
      const { runRecordJob } = await import('./records');
      return await runRecordJob(input, hooks, source.records, target.records);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

export async function runEngineTask(input: EngineTaskInput, hooks: EngineHooks, opts: FullLoadOptions = {}): Promise<EngineResult> {
  const job = input.job;
  // one chunk of a spread full load (engine/spread.ts), leased by any eligible agent
  if (input.kind === 'chunk') return (await import('./chunk-task')).runChunkTask(input, hooks, opts);
  const records = await runRecords(input, hooks);
  if (records) return records;
  if (job.mode === 'verify') {
    if (!engineExtensions.verify)
      throw new ConnectorError('verification is not available in this agent build', {
        class: 'config',
        code: 'UNSUPPORTED',
        retryable: false,
        fix: 'upgrade the agent',
      });
    return engineExtensions.verify(input, hooks, {});
  }
  if (job.mode === 'cdc') {
    if (!engineExtensions.cdc)
      throw new ConnectorError('CDC is not available in this agent build', {
        class: 'config',
        code: 'UNSUPPORTED',
        retryable: false,
        fix: 'use mode "full" or upgrade the agent',
      });
    return engineExtensions.cdc(input, hooks, {});
  }
  if (!input.target)
    throw new ConnectorError(`a ${job.mode} job needs a target connection`, {
      class: 'config',
      code: 'TARGET_MISSING',
      retryable: false,
      fix: 'choose a target data source',
    });
  if (job.options.dryRun) return dryRun(job, input.source, input.target, hooks.log);
  if (job.mode === 'full_cdc' && engineExtensions.cdcPreflight) await engineExtensions.cdcPreflight(input, hooks);
  const load = await fullLoad(input.jobId, job, input.source, input.target, hooks, input.lease ? { ...opts, lease: input.lease } : opts);
  let result: EngineResult = { mode: job.mode, load };
  if (job.mode === 'full_cdc') {
    // CDC starts from load.cdcStart (captured before the snapshot); the overlap converges through idempotent upserts.
    if (!engineExtensions.cdc)
      throw new ConnectorError('snapshot done, but CDC is not available in this agent build', {
        class: 'config',
        code: 'UNSUPPORTED',
        retryable: false,
        fix: 'use mode "full" or upgrade the agent',
      });
    const cdc = engineExtensions.cdc;
    const ctx = { cdcStart: load.cdcStart, snapshot: load };
    if (!job.options.verifyAfterLoad || !engineExtensions.verify) return { ...result, cdc: await cdc(input, hooks, ctx) };
    // Verification runs beside CDC, never in front of it (a restart resumes CDC at once).
    const beside = await import('./verify-beside-cdc');
    return { ...result, ...(await beside.cdcWithVerification(input, hooks, engineExtensions.verify, cdc, ctx, load)) };
  }
  if (job.options.verifyAfterLoad && engineExtensions.verify) {
    result = { ...result, verify: await engineExtensions.verify(input, hooks, { load }) };
  } else if (job.options.verifyAfterLoad) {
    hooks.log('info', 'verification after load is not available in this build; skipped');
  }
  return result;
}

/**
 * Reachability, credentials, privileges, version: each failed check carries a message and a fix. A target is
 * checked for what a target needs (create, insert, update, delete). With `cdc` (a source of a cdc or full_cdc
 * job), the CDC preflight that job meets at Start is appended, each check named `CDC: …`; its warnings do not
 * make the result fail.
 */
export async function testConnection(
  conn: Connection,
  role: 'source' | 'target' = 'source',
  opts: { cdc?: Pick<JobSpec, 'tables' | 'mode'> } = {},
): Promise<ConnectionTestResult> {
  const r = await checkConnection(conn, role);
  const checks: ConnectionTestResult['checks'] = [...r.checks];
  if (opts.cdc && r.ok) {
    const { preflightCdcForJob } = await import('../cdc');
    try {
      for (const c of await preflightCdcForJob(conn, opts.cdc)) {
        checks.push({
          name: `CDC: ${c.name}`,
          ok: c.ok,
          message: c.message,
          ...(c.fixSql ? { fix: c.fixSql } : {}),
          ...(c.severity === 'warning' ? { severity: 'warning' as const } : {}),
        });
      }
    } catch (e) {
      const fix = isConnectorError(e) ? e.fix : undefined;
      checks.push({
        name: 'CDC: preflight',
        ok: false,
        message: `the CDC preflight could not run: ${e instanceof Error ? e.message : String(e)}`,
        ...(fix ? { fix } : {}),
      });
    }
  }
  const ok = checks.every((c) => c.ok || c.severity === 'warning');
  return { ok, checks, ...(r.version ? { version: r.version } : {}), ...(r.tls ? { tls: r.tls } : {}) };
}

/** A data source's catalogue: tables (schema capability) or topics (records capability, protocol/kafka-shapes.ts). */
export async function discover(conn: Connection): Promise<Catalog | KafkaCatalog> {
  const s = openSource(conn);
  try {
    if (s.records) return await s.records.discover();
    if (hasTables(s)) return await s.discover();
    throw new ConnectorError(`a ${conn.kind} source has nothing to discover`, { class: 'config', code: 'UNSUPPORTED', retryable: false });
  } finally {
    await s.close();
  }
}

/** The dry run: tables, rows, bytes, chunks, lossy mappings and an estimated time. Moves no data. */
export async function planJob(job: JobSpec, source: Connection, target: Connection, log: EngineHooks['log'] = () => {}): Promise<PlanReport> {
  return dryRun(job, source, target, log);
}

/** `sluice-agent run --spec job.json`. Progress goes to opts.onProgress (the CLI draws the bar). */
export async function runStandalone(spec: unknown, opts: StandaloneOptions = {}, engineOpts: FullLoadOptions = {}): Promise<EngineResult> {
  return runStandaloneWith(spec, opts, (input, hooks) => runEngineTask(input, hooks, engineOpts));
}

/** A one-line, secret-free description of an error for logs and task.fail. */
export function describeError(e: unknown): { message: string; retryable: boolean; class: string; code: string; fix?: string; table?: string; column?: string } {
  if (isConnectorError(e))
    return {
      message: e.message,
      retryable: e.retryable,
      class: e.class,
      code: e.code,
      ...(e.fix ? { fix: e.fix } : {}),
      ...(e.table ? { table: e.table } : {}),
      ...(e.column ? { column: e.column } : {}),
    };
  return { message: (e as Error)?.message ?? String(e), retryable: false, class: 'system', code: 'INTERNAL' };
}
