/**
 * What the CDC loop does with a source DDL, by policy (schema-policy.ts): apply it on the target, ignore it,
 * quarantine the table, or hold the table for approval. A held table's changes wait in memory (at most
 * MAX_HELD, then the table is quarantined) while the other tables stream on; the stored position stays
 * before the DDL, so a restart replays the DDL (held again, under the same id) and the held changes.
 * Approvals come from the control plane (`hooks.schemaApprovals`), polled every POLL_MS while a table is held.
 */
import type { EngineHooks } from '../engine/hooks';
import type { JobSpec } from '../protocol';
import { NOT_SELECTED, SchemaPolicyDecider, type DdlDecision } from './schema-policy';
import { runDecision, schemaChangeId } from './schema-run';
import type { SchemaEvolution } from './schema-evolution';
import type { Applier, CdcPosition, Change, SchemaChange, TableKey } from './types';

const MAX_HELD = 200_000;
const POLL_MS = 2_000;

/** The live tables (live-tables.ts) as the schema handling uses them: add a created table, follow a rename. */
export interface LiveOps {
  startSnapshot(table: TableKey, kind: 'add'): Promise<void>;
  follow(from: TableKey, to: TableKey): Promise<void>;
}

export interface HoldPort {
  live(): LiveOps | null;
  quarantine(table: TableKey, reason: string, at: CdcPosition): Promise<void>;
  flush(force?: boolean): Promise<void>;
  feed(change: Change, at: CdcPosition): Promise<boolean>;
  position(): CdcPosition;
  latest(): CdcPosition;
  setBatchPosition(at: CdcPosition): void;
  isQuarantined(table: TableKey): boolean;
  renameKey(from: TableKey, to: TableKey): void;
}

type Item = { row: Change; at: CdcPosition } | { ddl: SchemaChange; at: CdcPosition };

interface Hold {
  id: string;
  decision: DdlDecision;
  change: SchemaChange;
  since: CdcPosition;
  items: Item[];
  /** The table's keys held: the table, and its new name while a rename waits. */
  keys: TableKey[];
}

export class SchemaHolds {
  private readonly holds = new Map<TableKey, Hold>();
  private readonly decider: SchemaPolicyDecider;
  private lastPoll = 0;

  constructor(
    job: JobSpec,
    private readonly hooks: Pick<EngineHooks, 'event' | 'log' | 'schemaApprovals'>,
    private readonly applier: Pick<Applier, 'columnTypes' | 'renderDdl' | 'runDdl'>,
    private readonly schema: SchemaEvolution,
    private readonly port: HoldPort,
  ) {
    this.decider = new SchemaPolicyDecider(job, schema, applier);
  }

  active(): boolean {
    return this.holds.size > 0;
  }

  /** The tables held (under their source name), each with what awaits approval: reported as `paused` in the table states. */
  paused(): Record<TableKey, string> {
    const out: Record<TableKey, string> = {};
    for (const h of new Set(this.holds.values())) {
      const proposal = h.decision.statements.length ? h.decision.statements.join('; ') : '(nothing to change on the target)';
      out[h.change.table] = `schema change ${h.id} awaits approval; proposed on the target: ${proposal}`.slice(0, 2000);
    }
    return out;
  }

  /** The position to store while tables are held: the earliest hold's start. */
  since(): CdcPosition | null {
    let first: CdcPosition | null = null;
    for (const h of new Set(this.holds.values())) if (!first) first = h.since;
    return first;
  }

  /** Holds a change of a held table; false when its table is not held. */
  hold(change: Change, at?: CdcPosition): boolean {
    const h = this.holds.get(change.table);
    if (!h) return false;
    h.items.push({ row: change, at: at ?? this.port.position() });
    if (h.items.length > MAX_HELD) void this.overflow(h);
    return true;
  }

  private async overflow(h: Hold): Promise<void> {
    this.release(h);
    await this.port.quarantine(
      h.change.table,
      `more than ${MAX_HELD} changes held while the schema change awaited approval; resync this table`,
      this.port.position(),
    );
  }

  private release(h: Hold): void {
    for (const k of h.keys) this.holds.delete(k);
  }

  async onSchema(change: SchemaChange, at: CdcPosition): Promise<void> {
    const held = this.holds.get(change.table);
    if (held) {
      held.items.push({ ddl: change, at });
      return;
    }
    const d = await this.decider.decide(change);
    const shown = change.statement ? ` (${change.statement.slice(0, 300)})` : '';
    if (d.action === 'quarantine') {
      await this.port.quarantine(change.table, d.reason, at);
      // Its rows now come under the new name: that name stays out with it.
      if (change.kind === 'rename_table') await this.port.quarantine(change.to, `renamed from ${change.table}, which is quarantined (${d.reason})`, at);
      return;
    }
    if (d.action === 'ignore') {
      if (d.ops.length || (change.kind !== 'add_columns' && d.reason !== NOT_SELECTED)) {
        this.hooks.event('schema.ignored', `schema change on ${change.table} ignored${shown}: ${d.reason}`, {
          table: change.table,
          kind: change.kind,
          statement: change.statement ?? null,
          reason: d.reason,
        });
      }
      return this.effect(d, at);
    }
    if (d.action === 'pause') return this.pause(change, d, at);
    await this.apply(change, d, at);
  }

  private pause(change: SchemaChange, d: DdlDecision, at: CdcPosition): void {
    const id = schemaChangeId(change, at);
    const keys = [change.table];
    // Rows after a rename arrive under the new name (the reader captures it from the DDL on): held too.
    if (d.effect?.kind === 'renamed') keys.push(d.effect.to);
    const h: Hold = { id, decision: d, change, since: this.port.position(), items: [], keys };
    for (const k of keys) this.holds.set(k, h);
    const proposal = d.statements.length ? d.statements.join('; ') : '(nothing to change on the target)';
    this.hooks.event(
      'schema.paused',
      `CDC holds ${change.table} for a schema change awaiting approval${change.statement ? `: ${change.statement.slice(0, 300)}` : ''}. Proposed on the target: ${proposal}. Approve it on the job page, with sluice-agent schema approve, or approveSchemaChange; the other tables keep streaming.`,
      { changeId: id, table: change.table, kind: change.kind, statement: change.statement ?? null, proposal: d.statements, targetTable: d.targetTable },
    );
    this.hooks.log('warn', `cdc: ${change.table} paused for schema change ${id}`);
  }

  private async apply(change: SchemaChange, d: DdlDecision, at: CdcPosition, changeId?: string): Promise<boolean> {
    try {
      const ran = await runDecision(this.applier, d);
      if (ran.length) {
        this.hooks.event('schema.applied', `applied to ${d.targetTable}: ${ran.join('; ')}`, {
          table: change.table,
          kind: change.kind,
          statements: ran,
          changeId: changeId ?? null,
        });
        if (change.kind === 'add_columns')
          this.hooks.event('table.column_added', `added to ${d.targetTable}: ${ran[0]}`, { table: change.table, columns: change.columns });
      }
    } catch (e) {
      const msg = (e as Error).message;
      if (d.soft) {
        this.hooks.event('schema.index_skipped', `index change on ${d.targetTable} not applied (${msg}); the table keeps streaming`, {
          table: change.table,
          statements: d.statements,
        });
        return true;
      }
      await this.port.quarantine(change.table, `applying the schema change failed (${msg}); target DDL: ${d.statements.join('; ')}`, at);
      return false;
    }
    await this.effect(d, at);
    return true;
  }

  private async effect(d: DdlDecision, at: CdcPosition): Promise<void> {
    if (d.effect?.kind === 'removed') {
      await this.port.quarantine(d.table, `removed from the job: ${d.reason}`, at);
      if (d.change.kind === 'rename_table') await this.port.quarantine(d.change.to, `removed from the job: renamed from ${d.table}, not in the selection`, at);
    } else if (d.effect?.kind === 'renamed') {
      const to = d.effect.to;
      await this.port.live()?.follow(d.table, to);
      this.port.renameKey(d.table, to);
      await this.schema.refresh(to);
      this.hooks.event('table.renamed', `${d.table} was renamed to ${to} at the source; CDC follows it`, { table: d.table, to });
    } else if (d.effect?.kind === 'added') {
      const live = this.port.live();
      try {
        if (!live) throw new Error('this job cannot add tables live');
        await live.startSnapshot(d.table, 'add');
      } catch (e) {
        await this.port.quarantine(d.table, `new table at the source, not added (${(e as Error).message}); add it to the job to replicate it`, at);
      }
    } else await this.schema.refresh(d.table);
  }

  /** Asks the control plane for approvals (at most every POLL_MS) and releases the tables approved. */
  async poll(force = false): Promise<void> {
    if (!this.hooks.schemaApprovals || (!force && Date.now() - this.lastPoll < POLL_MS)) return;
    this.lastPoll = Date.now();
    let approved: string[];
    try {
      approved = await this.hooks.schemaApprovals();
    } catch (e) {
      this.hooks.log('warn', `cdc: could not read schema approvals: ${(e as Error).message}`);
      return;
    }
    for (const h of new Set(this.holds.values())) if (approved.includes(h.id)) await this.approve(h);
  }

  private async approve(h: Hold): Promise<void> {
    await this.port.flush(true);
    this.release(h);
    const ok = await this.apply(h.change, h.decision, h.since, h.id);
    if (!ok) return;
    this.hooks.log('info', `cdc: schema change ${h.id} on ${h.change.table} approved and applied; replaying ${h.items.length} held events`);
    for (const it of h.items) {
      if ('row' in it) {
        if (!this.port.isQuarantined(it.row.table) && !this.hold(it.row, it.at)) await this.port.feed(it.row, it.at);
      } else if (!this.port.isQuarantined(it.ddl.table)) {
        if (this.holds.has(it.ddl.table)) this.holds.get(it.ddl.table)!.items.push(it);
        else {
          await this.port.flush();
          await this.onSchema(it.ddl, it.at);
        }
      }
    }
    this.port.setBatchPosition(this.port.latest());
    await this.port.flush(true);
  }
}
