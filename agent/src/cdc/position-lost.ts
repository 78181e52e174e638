/**
 * The one error for a position the source can no longer serve (issue 14 §1):
 * a dropped or recreated slot, purged or reset binlogs, another server. CDC
 * stops here instead of continuing from a later point, which would be a gap.
 */
import { ConnectorError } from '../connectors/connector-error';

export const POSITION_LOST_FIX =
  'resync: start the job again as mode full_cdc with options.existingTable "truncate" (or "upsert"); that run takes a fresh snapshot ' +
  'and a new start position (a new slot on PostgreSQL). The changes in between cannot be read from this source any more. ' +
  'A mode cdc job can only restart from a new position (cdcStart: now) and accept the gap.';

export function positionLost(detail: string): ConnectorError {
  return new ConnectorError(`CDC cannot resume without a gap: ${detail}. The job stopped instead of continuing from a later point`, {
    class: 'config',
    code: 'CDC_POSITION_LOST',
    retryable: false,
    fix: POSITION_LOST_FIX,
  });
}
