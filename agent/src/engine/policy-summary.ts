/**
 * The outOfRange policy around a run (issue 15 item 4): the `_sluice_rejects` table is created
 * before any row is written when a column can send rows there, and after the run every column the
 * policy acted on is reported (a warning with its count, and an `outOfRange` event).
 */
import type { Target } from '../connectors/spi';
import type { EngineHooks } from './hooks';
import type { TableMappingResult } from './type-mapping';
import { REJECTS_TABLE, rejectsTable } from './value-policy';

export interface PolicyOutcome {
  table: string;
  column: string;
  policy: string;
  nulled: number;
  clamped: number;
  rejected: number;
  message: string;
}

/** Creates `_sluice_rejects` in the target schema when some column's policy is dead-letter. */
export async function prepareRejects(target: Pick<Target, 'applySchema' | 'engine' | 'namespace'>, mapped: TableMappingResult[]): Promise<boolean> {
  if (!mapped.some((m) => m.columns.some((c) => c.policy?.policy === 'dead-letter'))) return false;
  await target.applySchema([{ op: 'createTable', table: rejectsTable(target.engine, target.namespace), existing: 'upsert' }]);
  return true;
}

/** What each column's policy did; warns and records an event for each column it acted on. */
export function policySummary(mapped: TableMappingResult[], hooks: Pick<EngineHooks, 'log' | 'event'>): PolicyOutcome[] {
  const out: PolicyOutcome[] = [];
  for (const m of mapped) {
    for (const c of m.columns) {
      const p = c.policy;
      if (!p) continue;
      const { nulled, clamped, rejected } = p.counts;
      if (nulled + clamped + rejected === 0) continue;
      const parts = [
        ...(rejected ? [`${rejected} row(s) sent to ${m.target.schema}.${REJECTS_TABLE}`] : []),
        ...(clamped ? [`${clamped} value(s) clamped to the nearest storable value`] : []),
        ...(nulled ? [`${nulled} value(s) stored as NULL`] : []),
      ];
      const message = `out of range: ${m.source.name}.${c.source.name} (policy ${p.policy}): ${parts.join(', ')}`;
      hooks.log('warn', message);
      const o = { table: `${m.source.schema}.${m.source.name}`, column: c.source.name, policy: p.policy, nulled, clamped, rejected, message };
      hooks.event('values.outOfRange', message, { table: o.table, column: o.column, policy: o.policy, nulled, clamped, rejected });
      out.push(o);
    }
  }
  return out;
}
