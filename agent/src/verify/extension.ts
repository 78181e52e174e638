/**
 * The engine hook for verification (engine/index.ts `engineExtensions.verify`):
 * mode `verify` jobs, and the verification after every full load when
 * `options.verifyAfterLoad` is on.
 */
import type { EngineHooks, EngineResult, EngineTaskInput } from '../engine/hooks';
import { runVerify } from './index';
import type { VerifyCdcGate } from './verify-chunk';

/** `gate`: a full_cdc job's verification beside CDC (engine/verify-beside-cdc.ts). */
export async function verifyExtension(input: EngineTaskInput, hooks: EngineHooks, ctx: { load?: unknown; gate?: unknown }): Promise<EngineResult> {
  const r = await runVerify(input, hooks, ctx.gate ? { gate: ctx.gate as VerifyCdcGate } : {});
  return { ...r } as EngineResult;
}
