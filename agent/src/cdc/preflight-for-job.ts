/**
 * The CDC preflight for a job's table selection: what the engine runs before streaming (mode cdc)
 * or before the snapshot (mode full_cdc), and what the portal's wizard runs before Start through
 * `datasource.test`, so that both report the same checks for the same job. Through the source's
 * streaming capability (connector registry): a source without one is refused with a fix.
 */
import { connectors } from '../connectors';
import { ConnectorError } from '../connectors/connector-error';
import type { PreflightCheck, StreamingCapability } from '../connectors/spi';
import type { Connection, JobSpec } from '../protocol';
import { selectTables } from './mapping';
import type { PreflightOptions } from './preflight';
import type { TableKey } from './types';
import type { EngineHooks } from '../engine/hooks';
import { installDdlCapture } from './ddl-capture-install';

async function withStreaming<T>(src: Connection, fn: (s: StreamingCapability) => Promise<T>): Promise<T> {
  const source = connectors.createSource(src);
  try {
    if (!source.streaming) {
      throw new ConnectorError(`CDC from a ${src.kind} source is not supported`, {
        class: 'config',
        code: 'UNSUPPORTED_SOURCE',
        retryable: false,
        fix: 'choose a MySQL/MariaDB or PostgreSQL source for CDC',
      });
    }
    return await fn(source.streaming);
  } finally {
    await source.close();
  }
}

/** The source tables (`schema.table`) a job with this selection captures. */
export function listCapturedTables(src: Connection, job: Pick<JobSpec, 'tables'>): Promise<TableKey[]> {
  return withStreaming(src, async (s) => selectTables(job, await s.listStreams()));
}

/**
 * The checks a new job of this mode and selection meets at Start. Mode cdc streams without a snapshot
 * (no WAL/binlog retention is needed for one); full_cdc keeps the log for the estimated snapshot.
 */
export function preflightCdcForJob(src: Connection, job: Pick<JobSpec, 'tables' | 'mode'>): Promise<PreflightCheck[]> {
  return withStreaming(src, async (s) =>
    s.preflight({ tables: selectTables(job, await s.listStreams()), ...(job.mode === 'cdc' ? { estimatedSnapshotSeconds: 0 } : {}) }),
  );
}

/**
 * Every setting streaming from this source depends on (its streaming capability's preflight), each failed
 * one with its fix. A source without a streaming capability gets one failed check that says so.
 */
export async function preflightCdc(src: Connection, opts: PreflightOptions = {}): Promise<PreflightCheck[]> {
  const source = connectors.openSource(src);
  try {
    if (!source.streaming) return [{ name: 'source_kind', ok: false, severity: 'error', message: `CDC does not read from ${src.kind} sources` }];
    return await source.streaming.preflight(opts);
  } finally {
    await source.close();
  }
}

/** DDL capture for a full_cdc job before its snapshot (run-cdc.ts#installDdlCapture), through the registry. */
export function installDdlCaptureFor(src: Connection, job: JobSpec, tables: TableKey[], hooks: Pick<EngineHooks, 'event' | 'log'>): Promise<void> {
  return withStreaming(src, (s) => installDdlCapture(s, job, tables, hooks));
}
