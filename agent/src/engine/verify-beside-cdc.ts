/**
 * A full_cdc job's verification runs beside CDC, never in front of it (issue 15 item 1): CDC
 * starts as soon as the snapshot is done (and at once after a restart), while verification
 * compares each chunk only after the CDC applier has passed the position the chunk was hashed at
 * (verify/cdc-gate.ts). Verification's progress stays out of the job's progress (CDC owns it);
 * its per-table results go out as `verification.table` events as they finish. A verification
 * that fails does not stop replication: it is reported and CDC goes on.
 */
import type { EngineHooks, EngineResult, EngineTaskInput, Position } from './hooks';
import type { FullLoadResult } from './full-load';

type CdcCtx = { cdcStart?: unknown; snapshot?: FullLoadResult };
type VerifyFn = (input: EngineTaskInput, hooks: EngineHooks, ctx: { load?: FullLoadResult; gate?: never }) => Promise<EngineResult>;
type CdcFn = (input: EngineTaskInput, hooks: EngineHooks, ctx: CdcCtx) => Promise<EngineResult>;

export async function cdcWithVerification(
  input: EngineTaskInput,
  hooks: EngineHooks,
  verify: VerifyFn,
  cdc: CdcFn,
  ctx: CdcCtx,
  load: FullLoadResult,
): Promise<{ cdc: EngineResult; verify?: EngineResult }> {
  const { AppliedPositionGate } = await import('../verify/cdc-gate');
  const stream = typeof input.taskSpec?.stream === 'string' ? input.taskSpec.stream : 'cdc';
  // Applied so far: the CDC stream's checkpoint, or, before its first one, where CDC starts (T0): the snapshot
  // is complete by now, so the target holds everything up to T0 (an idle MySQL source writes nothing to its
  // binlog, so no CDC checkpoint would ever come, and every chunk would wait out the gate's limit).
  const applied = hooks.resume[stream] ?? ctx.cdcStart ?? load.cdcStart ?? hooks.resume['cdc:start'];
  const gate = new AppliedPositionGate(input.source, applied as Position | undefined, { log: hooks.log });
  // Its own stop: a CDC failure ends the task, and verification with it.
  const stop = new AbortController();
  const onAbort = () => stop.abort(hooks.signal.reason);
  hooks.signal.addEventListener('abort', onAbort, { once: true });
  const verifyHooks: EngineHooks = { ...hooks, signal: stop.signal, progress: () => {} };
  let verified: EngineResult | undefined;
  const verifying = verify(input, verifyHooks, { load, gate: gate as never }).then(
    (v) => {
      verified = v;
    },
    (e: unknown) => {
      if (stop.signal.aborted) return;
      const message = `verification beside CDC failed: ${e instanceof Error ? e.message : String(e)}; CDC goes on`;
      hooks.log('warn', message);
      hooks.event('verification.failed', message, {});
    },
  );
  try {
    const replicated = await cdc(input, gate.wrap(hooks, stream), ctx);
    await verifying;
    return { cdc: replicated, ...(verified ? { verify: verified } : {}) };
  } finally {
    hooks.signal.removeEventListener('abort', onAbort);
    stop.abort();
    await verifying;
  }
}
