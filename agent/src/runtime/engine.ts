/**
 * The runtime's view of the engine (agent/src/engine/index.ts, contract in
 * engine/hooks.ts). Loaded lazily so the CLI starts fast and so `register` and
 * `status` never pull in database drivers.
 */
import type { Connection, StandaloneSpec } from '../protocol';
import type { ConnectionTestResult, EngineHooks, EngineProgress, EngineResult, EngineTaskInput } from '../engine/hooks';

export interface EngineModule {
  runEngineTask(input: EngineTaskInput, hooks: EngineHooks): Promise<EngineResult>;
  testConnection(connection: Connection, role?: 'source' | 'target'): Promise<ConnectionTestResult>;
  discover(connection: Connection): Promise<unknown>;
  runStandalone(
    spec: StandaloneSpec,
    opts?: { signal?: AbortSignal; onProgress?: (p: EngineProgress) => void; onLog?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void },
  ): Promise<EngineResult>;
}

let cached: Promise<EngineModule> | null = null;

export function loadEngine(): Promise<EngineModule> {
  // A variable specifier keeps the engine out of the static import graph of the CLI.
  const specifier = '../engine/index';
  cached ??= import(/* @vite-ignore */ specifier).then((m: unknown) => {
    const mod = m as Partial<EngineModule>;
    for (const fn of ['runEngineTask', 'testConnection', 'discover', 'runStandalone'] as const)
      if (typeof mod[fn] !== 'function') throw new Error(`the engine does not export ${fn}() (agent/src/engine/index.ts)`);
    return mod as EngineModule;
  });
  return cached;
}

/** Errors from the engine carry `retryable` (ConnectorError); anything else is treated as retryable. */
export function describeError(e: unknown): { message: string; retryable: boolean } {
  if (e instanceof Error) {
    const retryable = (e as { retryable?: unknown }).retryable;
    const fix = (e as { fix?: unknown }).fix;
    return { message: (e.message + (typeof fix === 'string' ? ` (fix: ${fix})` : '')).slice(0, 8000), retryable: retryable !== false };
  }
  return { message: String(e).slice(0, 8000), retryable: true };
}
