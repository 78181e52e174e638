/**
 * Where a CDC run starts, in order of trust:
 *   1. the position the target committed with the last applied batch;
 *   2. the control plane's checkpoint;
 *   3. the snapshot start (T0) captured by plan() before the snapshot;
 *   4. for mode cdc only: the job's cdcStart (now / an LSN / a GTID set),
 *      which creates the source's streaming state (PG: the slot).
 * `freshStart` (this run's own snapshot captured T0) skips 1 and 2: positions an
 * earlier run left behind are stale. Positions of another kind are ignored.
 */
import { ConnectorError } from '../connectors/connector-error';
import { positionOfKind, type SourcePosition } from '../connectors/position';
import type { StreamingCapability, StreamNames, StreamStart } from '../connectors/spi';
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
  streaming: Pick<StreamingCapability, 'positionKind' | 'prepare' | 'initialPosition'>,
  applier: Pick<Applier, 'readCheckpoint'>,
): Promise<{ position: SourcePosition; origin: string }> {
  const kind = streaming.positionKind;
  const candidates: [() => Promise<unknown> | unknown, string][] = [
    [() => (input.freshStart ? null : applier.readCheckpoint(input.jobId, input.stream)), 'target checkpoint'],
    [() => (input.freshStart ? null : input.resume[input.stream]), 'control-plane checkpoint'],
    [() => input.cdcStart, 'snapshot start (T0)'],
  ];
  for (const [read, origin] of candidates) {
    const p = positionOfKind(await read(), kind);
    if (!p) continue;
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
