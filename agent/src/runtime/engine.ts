/**
 * The runtime's view of the engine (agent/src/engine/index.ts, contract in
 * engine/hooks.ts). Loaded lazily so the CLI starts fast and so `register` and
 * `status` never pull in database drivers.
 */
import type { Connection, JobSpec, StandaloneSpec } from '../protocol';
import type { ConnectionTestResult, EngineHooks, EngineResult, EngineTaskInput } from '../engine/hooks';
import type { StandaloneOptions } from '../engine/standalone';
import { classifyDriverError } from '../connectors/errors';

export interface EngineModule {
  runEngineTask(input: EngineTaskInput, hooks: EngineHooks): Promise<EngineResult>;
  testConnection(connection: Connection, role?: 'source' | 'target', opts?: { cdc?: Pick<JobSpec, 'tables' | 'mode'> }): Promise<ConnectionTestResult>;
  discover(connection: Connection): Promise<unknown>;
  cleanupCdcJob(
    source: Connection,
    jobId: string,
    names: { slot?: string; publication?: string },
    target?: Connection,
  ): Promise<{ source: { ok: boolean; message: string }; target: { ok: boolean; message: string } }>;
  runStandalone(spec: StandaloneSpec, opts?: StandaloneOptions): Promise<EngineResult>;
  defaultStateFile(jobId: string): string;
}

let cached: Promise<EngineModule> | null = null;

export function loadEngine(): Promise<EngineModule> {
  // Loaded on first use (a dynamic import keeps database drivers out of `register`, `status`, `--version`);
  // the assignment to EngineModule typechecks the engine's exports against what the runtime calls.
  cached ??= import('../engine/index').then((m): EngineModule => m);
  return cached;
}

/**
 * Errors from the engine carry `retryable` and `class` (ConnectorError); anything else is treated as retryable.
 * `transient` (class transient: unreachable, restarted, failed over) is what a task waits out instead of failing.
 */
export function describeError(e: unknown): { message: string; retryable: boolean; transient: boolean; code?: string } {
  if (e instanceof Error) {
    // A raw driver error that escaped its classifier is classed here (wrong password: config, fail fast with the fix).
    const c = (e as { class?: unknown }).class === undefined ? classifyDriverError(e) : undefined;
    const ce = c && c.class !== 'system' ? c : undefined;
    const err = (ce ?? e) as Error & { retryable?: unknown; fix?: unknown; class?: unknown };
    const retryable = err.retryable !== false;
    const fix = typeof err.fix === 'string' ? ` (fix: ${err.fix})` : '';
    const code = (err as { code?: unknown }).code;
    return {
      message: (err.message + fix).slice(0, 8000),
      retryable,
      transient: retryable && err.class === 'transient',
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  return { message: String(e).slice(0, 8000), retryable: true, transient: false };
}
