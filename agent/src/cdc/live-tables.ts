/**
 * Tables as first-class objects of a running CDC job (issue 14 §5): add a table
 * live, remove one, resync one, un-quarantine one (= resync), while the other
 * tables keep streaming. The CDC loop owns this object and calls it between
 * batches; see ARCHITECTURE.md "Live tables" for why the chunk copy below never
 * leaves a gap or a stale row.
 *
 * A live snapshot copies the table chunk by chunk (keyset, `chunkRows` rows)
 * on a session outside any snapshot, interleaved with the change stream:
 *   1. the loop applies everything it has consumed (position P);
 *   2. the chunk is read NOW (R > P), mapped like a change, and upserted in ONE
 *      target transaction with the unchanged position P and the advanced cursor;
 *   3. the loop goes on applying changes after P, the table's included.
 * Every key of the chunk ends as the source has it: either no change after P
 * touched it (the chunk's value is current), or the last such change is applied
 * after the chunk and carries the full row (a change older than R replays a
 * value that the later ones overwrite; a delete stays a delete). The cursor is
 * committed with the rows, so a restart resumes at the next chunk.
 */
import { connectors } from '../connectors';
import { ConnectorError } from '../connectors/connector-error';
import { liveOf, type LiveTablesState } from '../connectors/position';
import { hasTables, type KeyValue, type Source, type StreamingCapability, type StreamNames, type TableInfo } from '../connectors/spi';
import type { EngineHooks, EngineTaskInput } from '../engine/hooks';
import { findTableMapping, mapTable } from '../engine/type-mapping';
import type { TableControl, TableStates } from '../protocol/table-states';
import type { ResolvedPlan } from './applier';
import { selectTables } from './mapping';
import type { SchemaEvolution } from './schema-evolution';
import type { Applier, CdcPosition, CdcRow, CdcSource, TableKey } from './types';

type Snapshot = NonNullable<LiveTablesState['snapshots']>[string];

export interface LiveTablesDeps {
  input: Pick<EngineTaskInput, 'job' | 'target'>;
  hooks: Pick<EngineHooks, 'event' | 'log'>;
  source: Source;
  streaming: StreamingCapability;
  names: StreamNames;
  applier: Applier;
  chunkRows: number;
  /** Pause between two chunks, so the stream gets the loop in between. */
  chunkGapMs: number;
}

/** What the loop hands in: its quarantine list and key cache, shared with the live tables. */
export interface LoopTables {
  quarantined: Record<string, string>;
  forgetKeys(table: TableKey): void;
  quarantine(table: TableKey, reason: string): Promise<void>;
}

export interface LiveChunk {
  table: TableKey;
  plan: ResolvedPlan;
  rows: number;
  finished: boolean;
}

const INTEGER_TYPE = /^(tiny|small|medium|big)?int(eger)?\b|^(int[248]|serial|bigserial|smallserial)\b/i;

export class LiveTables {
  private readonly captured = new Set<TableKey>();
  private readonly removed = new Set<TableKey>();
  private readonly snapshots = new Map<TableKey, Snapshot>();
  private readonly done = new Map<TableKey, string>();
  private readonly infos = new Map<TableKey, TableInfo>();
  private readonly errors = new Map<TableKey, string>();
  private lastControl = '';
  private lastControlRef: unknown = null;
  private nextChunkAt = 0;
  private schema: SchemaEvolution | null = null;
  private reader: CdcSource | null = null;
  private loop: LoopTables | null = null;

  constructor(private readonly d: LiveTablesDeps) {}

  /** Tables the reader streams, the start position's live state (restart) and the loop's hooks. */
  async init(tables: TableKey[], start: CdcPosition, schema: SchemaEvolution, reader: CdcSource, loop: LoopTables): Promise<void> {
    this.schema = schema;
    this.reader = reader;
    this.loop = loop;
    const live = liveOf(start);
    for (const [t, id] of Object.entries(live?.done ?? {})) this.done.set(t, id);
    const known = live?.tables ? new Set(live.tables) : null;
    for (const t of tables) this.captured.add(t);
    for (const [t, s] of Object.entries(live?.snapshots ?? {})) if (this.captured.has(t)) this.snapshots.set(t, s);
    if (!known) return;
    // The stored job selection changed while no task ran: reconcile with what the position covers.
    for (const t of tables) if (!known.has(t) && !this.snapshots.has(t)) await this.startSnapshot(t, 'add');
    for (const t of known) if (!this.captured.has(t)) this.removed.add(t);
  }

  /** The live state committed with every position. */
  state(): LiveTablesState {
    const out: LiveTablesState = { tables: [...this.captured].sort() };
    if (this.snapshots.size) out.snapshots = Object.fromEntries(this.snapshots);
    if (this.done.size) out.done = Object.fromEntries(this.done);
    return out;
  }

  /** Changes of this table are not applied (removed from the job). */
  isRemoved(table: TableKey): boolean {
    return this.removed.has(table) && !this.captured.has(table);
  }

  /** A live snapshot has a chunk to copy. */
  busy(): boolean {
    return this.snapshots.size > 0;
  }

  due(): boolean {
    return this.snapshots.size > 0 && Date.now() >= this.nextChunkAt;
  }

  /** `paused`: tables held for a schema change awaiting approval (schema-holds.ts), with what awaits. */
  states(quarantined: Record<string, string>, paused: Record<string, string> = {}): TableStates {
    const out: TableStates = {};
    for (const t of this.removed) out[t] = { state: 'removed' };
    for (const t of this.captured) {
      const s = this.snapshots.get(t);
      const reason = this.errors.get(t) ?? null;
      const handled = this.done.get(t);
      const h = handled ? { handled } : {};
      if (quarantined[t]) out[t] = { state: 'quarantined', reason: quarantined[t], ...h };
      else if (paused[t]) out[t] = { state: 'paused', reason: paused[t], ...h };
      else if (s)
        out[t] = { state: s.kind === 'add' ? 'snapshotting' : 'resyncing', rowsCopied: s.rows, reason, ...(s.request ? { request: s.request } : {}), ...h };
      else out[t] = { state: 'streaming', ...(reason ? { reason } : {}), ...h };
    }
    return out;
  }

  /** Applies the control plane's latest table control when it changed. */
  async control(c: TableControl | null | undefined): Promise<void> {
    if (!c || c === this.lastControlRef) return;
    const key = JSON.stringify(c);
    if (key !== this.lastControl) {
      const want = new Set(selectTables({ tables: c.tables }, await this.d.streaming.listStreams()));
      for (const t of want) if (!this.captured.has(t)) await this.guarded(t, () => this.startSnapshot(t, 'add'));
      for (const t of [...this.captured]) if (!want.has(t)) await this.guarded(t, () => this.remove(t));
      for (const [t, id] of Object.entries(c.resyncs)) {
        if (!want.has(t) || this.done.get(t) === id || this.snapshots.get(t)?.request === id) continue;
        await this.guarded(t, () => this.startSnapshot(t, 'resync', id));
      }
      this.lastControl = key;
    }
    this.lastControlRef = c;
  }

  /** A table operation that fails for that table alone (a transient error retries the whole task). */
  private async guarded(table: TableKey, op: () => Promise<void>): Promise<void> {
    try {
      await op();
    } catch (e) {
      if (e instanceof ConnectorError && e.class === 'transient') throw e;
      const msg = (e as Error).message;
      this.errors.set(table, msg);
      this.d.hooks.event('table.operation_failed', `${table}: ${msg}`, { table, ...(e instanceof ConnectorError && e.fix ? { fix: e.fix } : {}) });
    }
  }

  /** Starts (or restarts) a live snapshot of a table: added to the job, resynced, or un-quarantined. */
  async startSnapshot(table: TableKey, kind: Snapshot['kind'], request?: string): Promise<void> {
    const loop = this.loop!;
    const wasQuarantined = loop.quarantined[table];
    delete loop.quarantined[table];
    this.removed.delete(table);
    this.errors.delete(table);
    this.infos.delete(table);
    loop.forgetKeys(table);
    await this.ensureTargetTable(table);
    await this.schema!.refresh(table);
    this.captured.add(table);
    await this.d.streaming.captureTables?.(this.d.names, [...this.captured]);
    this.reader!.capture?.([...this.captured]);
    this.snapshots.set(table, { after: null, rows: 0, kind, ...(request ? { request } : {}) });
    const why = kind === 'add' ? 'added to the job' : wasQuarantined ? 'un-quarantined' : 'resync requested';
    this.d.hooks.event(
      `table.${kind === 'add' ? 'snapshot_started' : 'resync_started'}`,
      `${table}: ${why}; live snapshot started while the other tables keep streaming`,
      {
        table,
        kind,
        ...(request ? { request } : {}),
      },
    );
  }

  /** A captured table renamed at the source and followed under its new name (schema-holds.ts): same rows, new key. */
  async follow(from: TableKey, to: TableKey): Promise<void> {
    if (!this.captured.delete(from)) return;
    this.captured.add(to);
    const s = this.snapshots.get(from);
    if (s) {
      this.snapshots.delete(from);
      this.snapshots.set(to, s);
    }
    this.infos.delete(from);
    await this.d.streaming.captureTables?.(this.d.names, [...this.captured]);
    this.reader!.capture?.([...this.captured]);
  }

  async remove(table: TableKey): Promise<void> {
    if (this.captured.size === 1 && this.captured.has(table)) {
      this.errors.set(table, 'the last table of a job cannot be removed: stop the job instead');
      return;
    }
    this.captured.delete(table);
    this.snapshots.delete(table);
    this.removed.add(table);
    await this.d.streaming.captureTables?.(this.d.names, [...this.captured], [table]);
    this.reader!.capture?.([...this.captured]);
    this.d.hooks.event('table.removed', `${table} removed from the job: its changes are no longer applied (the target table is kept)`, { table });
  }

  private async ensureTargetTable(table: TableKey): Promise<void> {
    const info = await this.tableInfo(table);
    if (!this.d.input.target) return;
    const tgt = connectors.createTarget(this.d.input.target, { maxConnections: 1 });
    try {
      if (!hasTables(tgt)) return;
      const m = mapTable(
        info,
        this.d.source.engine,
        tgt.engine,
        tgt.namespace,
        findTableMapping(this.d.input.job.mapping, info.schema, info.name),
        this.d.input.job.options,
      );
      const r = await tgt.applySchema([
        { op: 'createTable', table: m.target, existing: 'upsert' },
        ...(this.d.input.job.options.createSecondaryIndexes ? [{ op: 'createIndexes' as const, table: m.target }] : []),
      ]);
      for (const w of r.warnings) this.d.hooks.log('warn', w);
    } finally {
      await tgt.close().catch(() => undefined);
    }
  }

  private async tableInfo(table: TableKey): Promise<TableInfo> {
    const hit = this.infos.get(table);
    if (hit) return hit;
    const cat = await this.d.source.discover((s, n) => `${s}.${n}` === table);
    const info = cat.tables[0];
    if (!info) {
      throw new ConnectorError(`source table ${table} does not exist`, {
        class: 'config',
        code: 'TABLE_MISSING',
        fix: 'check the table name, or remove it from the job',
      });
    }
    this.infos.set(table, info);
    return info;
  }

  /** A chunk the target refused: the table's live snapshot stops (the loop quarantines the table). */
  abandon(table: TableKey): void {
    this.snapshots.delete(table);
  }

  /** Reads the next chunk of one table being snapshotted (round robin) and plans its upsert. */
  async nextChunk(): Promise<LiveChunk | null> {
    const first = this.snapshots.entries().next().value;
    if (!first) return null;
    const [table, snap] = first;
    // Round robin: this table goes to the back of the queue.
    this.snapshots.delete(table);
    this.snapshots.set(table, snap);
    this.nextChunkAt = Date.now() + this.d.chunkGapMs;
    try {
      return await this.chunk(table, snap);
    } catch (e) {
      if (e instanceof ConnectorError && e.class === 'transient') throw e;
      const reason = `live snapshot failed: ${(e as Error).message}`;
      this.snapshots.delete(table);
      await this.loop!.quarantine(table, reason);
      return null;
    }
  }

  private async chunk(table: TableKey, snap: Snapshot): Promise<LiveChunk | null> {
    const info = await this.tableInfo(table);
    if (info.primaryKey.length === 0) {
      this.snapshots.delete(table);
      await this.loop!.quarantine(table, 'the table has no primary key; a live snapshot copies by key');
      return null;
    }
    const columns = info.columns.filter((c) => !c.generated).map((c) => c.name);
    const limit = this.d.chunkRows;
    const task = {
      id: `live:${table}`,
      stream: `live:${table}`,
      schema: info.schema,
      table: info.name,
      index: 0,
      keyColumns: info.primaryKey,
      lower: null,
      upper: null,
      columns,
      rowEstimate: 0,
      byteEstimate: 0,
      limit,
    };
    const rows: CdcRow[] = [];
    let after: KeyValue | null = snap.after;
    const cursor = snap.after ? { v: 1 as const, done: false, rows: 0, after: snap.after } : undefined;
    for await (const b of this.d.source.readTask(task, cursor, { worker: 0, batchRows: limit + 1, batchBytes: 1 << 30, live: { table: info } })) {
      for (const r of b.rows) rows.push(Object.fromEntries(b.columns.map((c, i) => [c, r[i] ?? null])));
      if (b.cursor.after) after = b.cursor.after;
    }
    const finished = rows.length < limit;
    const schema = this.schema!;
    const map = schema.tableMap(table);
    const keyColumns = info.primaryKey.map((k) => schema.targetName(map, table, k) ?? k);
    const plan: ResolvedPlan = { table: map.name, keyColumns, truncate: false, deletes: [], upserts: rows.map((r) => ({ row: schema.mapRow(r, map, table) })) };
    if (snap.kind === 'resync') plan.deletes = await this.onlyInTarget(info, plan, snap.after, finished ? null : after);
    await schema.addMissingColumns(plan, table);
    const next: Snapshot = { ...snap, after, rows: snap.rows + rows.length };
    if (finished) {
      this.snapshots.delete(table);
      if (snap.request) this.done.set(table, snap.request);
      this.d.hooks.event(
        `table.${snap.kind === 'add' ? 'snapshot_done' : 'resync_done'}`,
        `${table}: live snapshot done (${next.rows} rows); the table streams`,
        { table, rows: next.rows, ...(snap.request ? { request: snap.request } : {}) },
      );
    } else this.snapshots.set(table, next);
    return { table, plan, rows: rows.length, finished };
  }

  /**
   * Resync: keys in the chunk's range that the target has and the chunk lacks (rows only the target has).
   * Only for integer keys, which both engines order alike; other keys keep such rows (verify repairs them).
   */
  private async onlyInTarget(info: TableInfo, plan: ResolvedPlan, after: KeyValue | null, upTo: KeyValue | null): Promise<CdcRow[]> {
    const integer = info.primaryKey.every((k) => INTEGER_TYPE.test(info.columns.find((c) => c.name === k)?.nativeType ?? ''));
    if (!integer || !this.d.applier.integerKeysBetween) return [];
    const nn = (v: KeyValue | null) => (v && v.every((x) => x !== null) ? (v as string[]) : null);
    const have = await this.d.applier.integerKeysBetween(plan.table, plan.keyColumns, nn(after), nn(upTo));
    const seen = new Set(plan.upserts.map((u) => JSON.stringify(plan.keyColumns.map((k) => String(u.row[k])))));
    return have.filter((k) => !seen.has(JSON.stringify(k))).map((k) => Object.fromEntries(plan.keyColumns.map((c, i) => [c, k[i]!])));
  }
}
