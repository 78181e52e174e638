/**
 * Where a CDC run starts, in order of trust:
 *   1. the position the target committed with the last applied batch;
 *   2. the control plane's checkpoint;
 *   3. the snapshot start (T0) captured by plan() before the snapshot;
 *   4. for mode cdc only: the job's cdcStart (now / an LSN / a GTID set),
 *      which creates the source's streaming state (PG: the slot).
 * `freshStart` (this run's own snapshot captured T0) skips 1 and 2: positions an
 * earlier run left behind are stale. Positions of another kind are ignored.
 * A stored position that precedes this run's T0 (a retried attempt of a run
 * that re-snapshotted: the target still holds the previous run's checkpoint)
 * is stale too. The chosen position is proven servable (provePosition) before
 * anything is prepared or read: a position the source lost is a clear error,
 * never a silent start from a later point.
 */
import { ConnectorError } from '../connectors/connector-error';
import { describePosition, positionOfKind, positionPrecedes, type SourcePosition } from '../connectors/position';
import type { StreamingCapability, StreamNames, StreamStart } from '../connectors/spi';
import { readTargetPosition } from './parallel-apply';
import type { Applier, TableKey } from './types';

export interface StartInput {
  jobId: string;
  mode: 'full' | 'full_cdc' | 'cdc' | 'verify';
  /** The job's own start for mode cdc; default now. */
  jobStart: StreamStart | undefined;
  stream: string;
  freshStart: boolean;
  cdcStart: unknown;
  resume: Record<string, unknown>;
  tables: TableKey[];
  names: StreamNames;
}

export async function resolveStart(
  input: StartInput,
  streaming: Pick<StreamingCapability, 'positionKind' | 'prepare' | 'initialPosition' | 'provePosition'>,
  applier: Pick<Applier, 'readCheckpoint' | 'readPartitionCheckpoints'>,
  note: (message: string) => void = () => undefined,
): Promise<{ position: SourcePosition; origin: string }> {
  const kind = streaming.positionKind;
  const t0 = positionOfKind(input.cdcStart, kind);
  const candidates: [() => Promise<unknown> | unknown, string][] = [
    // With apply partitions: the earliest of the partitions' rows (parallel-apply.ts).
    [() => (input.freshStart ? null : readTargetPosition(applier, input.jobId, input.stream, kind)), 'target checkpoint'],
    [() => (input.freshStart ? null : input.resume[input.stream]), 'control-plane checkpoint'],
    [() => input.cdcStart, 'snapshot start (T0)'],
  ];
  for (const [read, origin] of candidates) {
    const p = positionOfKind(await read(), kind);
    if (!p) continue;
    if (t0 && p !== t0 && positionPrecedes(p, t0) === true) {
      note(`cdc: the ${origin} (${describePosition(p)}) precedes this run's snapshot start (${describePosition(t0)}); it belongs to an earlier run`);
      continue;
    }
    await streaming.provePosition?.(p, input.names);
    await streaming.prepare(input.names, input.tables);
    return { position: p, origin };
  }
  if (input.mode === 'full_cdc') {
    throw new ConnectorError('full_cdc needs the CDC start captured before the snapshot (taskSpec.cdcStart), and none was given', {
      class: 'config',
      code: 'CDC_START_MISSING',
      fix: 'run the job from the beginning so plan() captures the start position',
    });
  }
  const start = input.jobStart ?? { from: 'now' as const };
  const position = await streaming.initialPosition(input.names, input.tables, start);
  return { position, origin: start.from === 'now' ? 'now' : `job cdcStart ${start.from}` };
}
