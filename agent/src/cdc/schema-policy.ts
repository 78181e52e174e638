/**
 * Schema changes by policy (issue 14 §4): a source DDL becomes a decision — apply (the target's own DDL,
 * translated across engines), pause (the same DDL proposed for approval), quarantine (this table only),
 * or ignore — from the job's `schemaChanges` (per table overrides, narrowing type changes apart).
 * Index changes are applied or ignored, never a quarantine. Nothing here fails the job.
 */
import type { JobSpec, SchemaPolicy, SchemaChangesSpec } from '../protocol';
import { portableDefault } from './ddl-text';
import { globMatch, selectTables, targetTableFor, type TargetTableMap } from './mapping';
import { classifyTypeChange } from './type-change';
import type { Applier, SchemaChange, TableKey, TargetDdl } from './types';

/** What the decider needs of SchemaEvolution (names and types through the job's column mapping). */
export interface ColumnNames {
  tableMap(table: TableKey): TargetTableMap;
  columnFor(table: TableKey, map: TargetTableMap, c: { name: string; type: string }): { name: string; type: string } | null;
  targetName(map: TargetTableMap, table: TableKey, column: string): string | null;
  refresh(table: TableKey): Promise<void>;
}

export interface DdlDecision {
  action: SchemaPolicy;
  change: SchemaChange;
  table: TableKey;
  /** Why (quarantine), or what was decided (ignore). */
  reason: string;
  targetTable: string;
  ops: TargetDdl[];
  statements: string[];
  /** Index changes: a failure is an event, never a quarantine. */
  soft: boolean;
  /** After it is done: the table leaves the job (dropped, or renamed out of the selection), or is followed under its new name. */
  effect?: { kind: 'removed' } | { kind: 'renamed'; to: TableKey } | { kind: 'added' };
}

/** The reason of a CREATE TABLE the job's selection does not cover (ignored without an event). */
export const NOT_SELECTED = 'not in the selection';

const DEFAULT_SPEC: SchemaChangesSpec = { policy: 'apply', narrowing: 'quarantine', tables: {}, captureDdl: true };

function bare(k: string): string {
  return k.includes('.') ? k.slice(k.indexOf('.') + 1) : k;
}

export function schemaSpec(job: Pick<JobSpec, 'schemaChanges'>): SchemaChangesSpec {
  return job.schemaChanges ?? DEFAULT_SPEC;
}

/** The table's policy: an exact override, then a pattern override, then the job's; `narrowing` for lossy type changes. */
export function policyFor(job: Pick<JobSpec, 'schemaChanges'>, table: TableKey, narrowing = false): SchemaPolicy {
  const spec = schemaSpec(job);
  const exact = spec.tables[table] ?? spec.tables[bare(table)];
  if (exact) return exact;
  for (const [p, v] of Object.entries(spec.tables)) if (globMatch(p, table) || globMatch(p, bare(table))) return v;
  return narrowing ? spec.narrowing : spec.policy;
}

/** PG index names are per schema, MySQL's per table: the target index carries its table's name. */
function indexName(targetTable: string, name: string): string {
  return (name.startsWith(`${targetTable}_`) ? name : `${targetTable}_${name}`).slice(0, 63);
}

export class SchemaPolicyDecider {
  constructor(
    private readonly job: Pick<JobSpec, 'schemaChanges' | 'tables' | 'mapping'>,
    private readonly schema: ColumnNames,
    private readonly applier: Pick<Applier, 'columnTypes' | 'renderDdl'>,
  ) {}

  private decision(change: SchemaChange, action: SchemaPolicy, ops: TargetDdl[], extra: Partial<DdlDecision> = {}): DdlDecision {
    const targetTable = this.schema.tableMap(change.table).name;
    return {
      action,
      change,
      table: change.table,
      reason: extra.reason ?? '',
      targetTable,
      ops,
      statements: ops.flatMap((o) => this.applier.renderDdl(targetTable, o)),
      soft: extra.soft ?? false,
      ...(extra.effect ? { effect: extra.effect } : {}),
    };
  }

  private quarantine(change: SchemaChange, reason: string): DdlDecision {
    return this.decision(change, 'quarantine', [], { reason });
  }

  private selected(table: TableKey): boolean {
    return selectTables(this.job, [table]).length === 1;
  }

  async decide(change: SchemaChange): Promise<DdlDecision> {
    const policy = policyFor(this.job, change.table);
    const map = this.schema.tableMap(change.table);
    const shown = change.statement ? `: ${change.statement.slice(0, 300)}` : '';
    switch (change.kind) {
      case 'other':
        return policy === 'ignore'
          ? this.decision(change, 'ignore', [], { reason: change.detail })
          : this.quarantine(change, `schema change not handled (${change.detail})${shown}`);
      case 'create_table':
        if (!this.selected(change.table)) return this.decision(change, 'ignore', [], { reason: NOT_SELECTED });
        // ignore / quarantine: the new table stays out of the job (with an event); never snapshotted.
        if (policy === 'ignore' || policy === 'quarantine')
          return this.decision(change, policy, [], { reason: `new table matching the selection left out of the job (policy ${policy})${shown}` });
        // apply: a live snapshot of the new table, then it streams (live-tables.ts).
        return this.decision(change, policy, [], { effect: { kind: 'added' }, reason: `new table matching the selection${shown}` });
      case 'create_index':
      case 'drop_index': {
        const name = indexName(map.name, change.name);
        if (change.kind === 'create_index') {
          const cols = change.columns.map((c) => this.schema.targetName(map, change.table, c));
          if (!cols.length || cols.some((c) => c === null))
            return this.decision(change, 'ignore', [], { reason: 'the index has no portable form or uses excluded columns', soft: true });
          const ops: TargetDdl[] = [{ op: 'create_index', name, columns: cols as string[], unique: change.unique }];
          return this.decision(change, policy === 'apply' ? 'apply' : 'ignore', ops, {
            soft: true,
            reason: `policy ${policy}: index changes are applied or ignored`,
          });
        }
        return this.decision(change, policy === 'apply' ? 'apply' : 'ignore', [{ op: 'drop_index', name }], { soft: true, reason: `policy ${policy}` });
      }
      case 'drop_table':
        return this.decision(change, policy, policy === 'ignore' ? [] : [{ op: 'drop_table' }], {
          effect: { kind: 'removed' },
          reason: 'dropped at the source',
        });
      case 'rename_table': {
        if (!this.selected(change.to)) {
          const r = `renamed to ${change.to}, which the job's selection does not include: treated as removed`;
          return this.decision(change, policy, policy === 'ignore' ? [] : [{ op: 'drop_table' }], { effect: { kind: 'removed' }, reason: r });
        }
        if (policy === 'ignore')
          return this.decision(change, 'ignore', [], {
            effect: { kind: 'removed' },
            reason: `renamed to ${change.to}; policy ignore leaves the target alone and stops the table`,
          });
        const to = targetTableFor(this.job as JobSpec, change.to).name;
        return this.decision(change, policy, [{ op: 'rename_table', to }], { effect: { kind: 'renamed', to: change.to }, reason: `renamed to ${change.to}` });
      }
      default:
        return this.columnChange(change, policy);
    }
  }

  private async columnChange(
    change: Extract<SchemaChange, { kind: 'add_columns' | 'drop_columns' | 'rename_column' | 'alter_type' }>,
    policy: SchemaPolicy,
  ): Promise<DdlDecision> {
    const map = this.schema.tableMap(change.table);
    await this.schema.refresh(change.table);
    const ops: TargetDdl[] = [];
    let narrowing = false;
    if (change.kind === 'add_columns') {
      for (const c of change.columns) {
        const t = this.schema.columnFor(change.table, map, c);
        if (!t) continue;
        const op: TargetDdl = { op: 'add_column', column: t.name, type: t.type, notNull: c.notNull ?? false };
        if (c.default !== undefined) {
          const d = portableDefault(c.default);
          if (!d) {
            return this.quarantine(
              change,
              `ADD COLUMN ${c.name} DEFAULT ${c.default}: the target cannot reproduce the values this expression gave the existing rows at the source; resync the table`,
            );
          }
          op.default = d;
          if (c.implicitDefault) op.dropDefaultAfter = true;
        }
        ops.push(op);
      }
    } else if (change.kind === 'drop_columns') {
      for (const c of change.columns) {
        const t = this.schema.targetName(map, change.table, c);
        if (t !== null) ops.push({ op: 'drop_column', column: t });
      }
    } else if (change.kind === 'rename_column') {
      const from = this.schema.targetName(map, change.table, change.from);
      const to = this.schema.targetName(map, change.table, change.to);
      if (from !== null && to !== null && from !== to) ops.push({ op: 'rename_column', from, to });
    } else {
      const t = this.schema.columnFor(change.table, map, { name: change.column, type: change.type });
      const have = t ? (await this.applier.columnTypes(map.name))?.get(t.name) : undefined;
      if (t && have !== undefined) {
        const kind = classifyTypeChange(have, t.type);
        if (kind !== 'same') ops.push({ op: 'alter_type', column: t.name, type: t.type, ...(change.notNull ? { notNull: true } : {}) });
        narrowing = kind === 'narrowing';
      }
    }
    const p = narrowing ? policyFor(this.job, change.table, true) : policy;
    const what = narrowing ? 'a narrowing type change' : change.kind.replace('_', ' ');
    if (p === 'quarantine')
      return this.decision(change, 'quarantine', ops, {
        reason: `${what} under policy quarantine${change.statement ? `: ${change.statement.slice(0, 300)}` : ''}`,
      });
    return this.decision(change, ops.length ? p : 'ignore', ops, { reason: ops.length ? `policy ${p}` : 'nothing to change on the target' });
  }
}
