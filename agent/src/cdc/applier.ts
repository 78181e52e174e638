/** What the CDC runner needs from a target: the SPI's change-apply capability (connectors/changes.ts). */
export type { Applier, CheckpointWrite, ResolvedPlan } from '../connectors/changes';

export function isZeroDate(v: string): boolean {
  return /^0000-00-00/.test(v);
}
