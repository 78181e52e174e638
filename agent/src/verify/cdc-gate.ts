/**
 * Verification beside CDC (issue 15 item 1): the gate a chunk's comparison waits on. The CDC
 * task's checkpoints (stream `cdc`, written only after the target committed the batch) say what
 * the target has applied; a chunk hashed on the source at position P is compared on the target
 * only once the applied position has passed P. An idle PG source gets a barrier (an in-band
 * logical message) so the stream has something at or after P to commit; a MySQL source's GTID
 * set is compared directly. When CDC does not catch up within `maxWaitMs`, the comparison goes
 * ahead and a difference it finds is re-checked (verify-chunk.ts retries) before it counts.
 */
import type { Connection } from '../protocol';
import type { EngineHooks, Position } from '../engine/hooks';
import type { SourcePosition } from '../connectors/spi';
import { emitCdcBarrier, positionReached } from '../cdc/barrier';
import type { CdcPosition } from '../cdc/types';
import type { VerifyCdcGate } from './verify-chunk';

export class AppliedPositionGate implements VerifyCdcGate {
  private applied: CdcPosition | null;
  private readonly waiters = new Set<() => void>();
  retries = 3;

  constructor(
    private readonly source: Connection,
    initial: Position | undefined,
    private readonly o: { maxWaitMs?: number; barrierAfterMs?: number; log?: EngineHooks['log'] } = {},
  ) {
    this.applied = (initial as CdcPosition | undefined) ?? null;
  }

  /** The CDC hooks: every checkpoint of the CDC stream moves the applied position. */
  wrap(hooks: EngineHooks, stream = 'cdc'): EngineHooks {
    return {
      ...hooks,
      checkpoint: async (s, p) => {
        await hooks.checkpoint(s, p);
        if (s === stream) this.advance(p as CdcPosition);
      },
    };
  }

  advance(p: CdcPosition): void {
    this.applied = p;
    for (const w of [...this.waiters]) w();
  }

  async waitApplied(position: SourcePosition, signal: AbortSignal): Promise<void> {
    const target = position as unknown as CdcPosition;
    const started = Date.now();
    const maxWait = this.o.maxWaitMs ?? 120_000;
    let barrier: CdcPosition | null = null;
    let askedBarrier = false;
    while (!signal.aborted) {
      if (positionReached(this.applied, target) || (barrier && positionReached(this.applied, barrier))) return;
      const waited = Date.now() - started;
      if (waited >= maxWait) {
        this.o.log?.('warn', `verification: CDC has not applied the source position of a chunk after ${Math.round(waited / 1000)} s; comparing anyway`);
        return;
      }
      if (!askedBarrier && waited >= (this.o.barrierAfterMs ?? 1_000)) {
        askedBarrier = true;
        barrier = await emitCdcBarrier(this.source, `verify-${Date.now()}`).catch(() => null);
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          this.waiters.delete(done);
          resolve();
        };
        const t = setTimeout(done, 250);
        this.waiters.add(done);
      });
    }
  }
}
