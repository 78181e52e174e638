/**
 * The engine hook for verification (engine/index.ts `engineExtensions.verify`):
 * mode `verify` jobs, and the verification after every full load when
 * `options.verifyAfterLoad` is on.
 */
import type { EngineHooks, EngineResult, EngineTaskInput } from '../engine/hooks';
import { runVerify } from './index';

export async function verifyExtension(input: EngineTaskInput, hooks: EngineHooks, _ctx: { load?: unknown }): Promise<EngineResult> {
  const r = await runVerify(input, hooks);
  return { ...r } as EngineResult;
}
