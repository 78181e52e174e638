/**
 * Runs a schema decision's target DDL, each step only when the target still needs it, so a DDL replayed
 * after a restart (or approved twice) changes nothing. Returns the statements that ran.
 */
import { createHash } from 'node:crypto';
import type { DdlDecision } from './schema-policy';
import { classifyTypeChange } from './type-change';
import type { Applier, CdcPosition, SchemaChange, TargetDdl } from './types';

async function needed(applier: Pick<Applier, 'columnTypes'>, table: string, op: TargetDdl): Promise<boolean> {
  const cols = await applier.columnTypes(table);
  switch (op.op) {
    case 'add_column':
      return !!cols && !cols.has(op.column);
    case 'drop_column':
      return !!cols && cols.has(op.column);
    case 'rename_column':
      return !!cols && cols.has(op.from) && !cols.has(op.to);
    case 'alter_type': {
      const have = cols?.get(op.column);
      return have !== undefined && classifyTypeChange(have, op.type) !== 'same';
    }
    case 'drop_table':
      return !!cols;
    case 'rename_table':
      return !!cols && !(await applier.columnTypes(op.to));
    default:
      return !!cols;
  }
}

export async function runDecision(applier: Pick<Applier, 'columnTypes' | 'renderDdl' | 'runDdl'>, d: DdlDecision): Promise<string[]> {
  const ran: string[] = [];
  for (const op of d.ops) {
    if (!(await needed(applier, d.targetTable, op))) continue;
    const sql = applier.renderDdl(d.targetTable, op);
    await applier.runDdl(d.targetTable, sql);
    if (op.op === 'rename_table') await applier.runDdl(op.to, []);
    ran.push(...sql);
  }
  return ran;
}

/** A stable id for a schema change awaiting approval: the same after a restart replays it. */
export function schemaChangeId(change: SchemaChange, at: CdcPosition): string {
  const where = change.at ?? JSON.stringify(at);
  return createHash('sha1').update(`${change.table}|${change.kind}|${where}`).digest('hex').slice(0, 16);
}
