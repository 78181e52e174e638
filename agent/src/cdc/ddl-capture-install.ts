import type { EngineHooks } from '../engine/hooks';
import type { StreamingCapability } from '../connectors/spi';
import type { JobSpec } from '../protocol';
import { schemaSpec } from './schema-policy';
import type { TableKey } from './types';

/**
 * Where the job allows it (schemaChanges.captureDdl, default on) and the source needs it (PG), install DDL
 * capture; when that fails, say once what is lost without it. Never fails the job.
 */
export async function installDdlCapture(
  streaming: StreamingCapability,
  job: JobSpec,
  tables: TableKey[],
  hooks: Pick<EngineHooks, 'event' | 'log'>,
): Promise<void> {
  if (!streaming.captureDdl || !schemaSpec(job).captureDdl) return;
  try {
    await streaming.captureDdl(tables);
  } catch (e) {
    hooks.event(
      'cdc.ddl_capture',
      `DDL capture could not be installed on the source (${(e as Error).message}). Without it CDC sees only ADD COLUMN (from pgoutput, nullable, without its default); a RENAME/DROP COLUMN or a type change quarantines the table at its next change, and DROP/RENAME TABLE, indexes and new tables go unseen. Fix: run the job once as a superuser, or set schemaChanges.captureDdl to false to silence this.`,
      { ok: false, error: (e as Error).message },
    );
  }
}
