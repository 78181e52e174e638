/**
 * Releases what a deleted CDC job left behind, through the connector SPI:
 * the source's streaming state (`source.streaming.cleanup`: PG drops the slot
 * and the publication; the binlog keeps nothing) and the job's rows in the
 * target's `_sluice_checkpoints` (`target.openApplier().forgetJob`). Each side
 * is reported on its own, so one that fails can be retried or done by hand.
 * Idempotent: running it twice drops nothing twice.
 */
import type { Connection } from '../protocol';
import { connectors } from '../connectors';
import { defaultSlotName } from './names';

export interface CleanupStep {
  ok: boolean;
  message: string;
}
export interface CdcCleanupResult {
  source: CleanupStep;
  target: CleanupStep;
}

function errorText(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const fix = (e as { fix?: unknown } | null)?.fix;
  return (m + (typeof fix === 'string' ? ` (fix: ${fix})` : '')).slice(0, 2000);
}

export async function cleanupCdcJob(
  sourceConn: Connection,
  jobId: string,
  names: { slot?: string; publication?: string } = {},
  targetConn?: Connection,
): Promise<CdcCleanupResult> {
  const slot = names.slot ?? defaultSlotName(jobId);
  const publication = names.publication ?? slot;
  const source = await (async (): Promise<CleanupStep> => {
    try {
      const s = connectors.createSource(sourceConn);
      try {
        if (!s.streaming) return { ok: true, message: 'the source keeps no streaming state' };
        const note = await s.streaming.cleanup({ jobId, slot, publication });
        return { ok: true, message: `released the streaming state (${slot})${note ? `; ${note}` : ''}` };
      } finally {
        await s.close().catch(() => undefined);
      }
    } catch (e) {
      return { ok: false, message: errorText(e) };
    }
  })();
  const target = await (async (): Promise<CleanupStep> => {
    if (!targetConn) return { ok: true, message: 'no target' };
    try {
      const t = connectors.createTarget(targetConn, { maxConnections: 1 });
      try {
        if (!t.capabilities().changes || !t.openApplier) return { ok: true, message: 'the target keeps no CDC checkpoints' };
        const applier = t.openApplier();
        try {
          await applier.init();
          const n = await applier.forgetJob(jobId);
          return { ok: true, message: `removed ${n} checkpoint row(s)` };
        } finally {
          await applier.close().catch(() => undefined);
        }
      } finally {
        await t.close().catch(() => undefined);
      }
    } catch (e) {
      return { ok: false, message: errorText(e) };
    }
  })();
  return { source, target };
}
