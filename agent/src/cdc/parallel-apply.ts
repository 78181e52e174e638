/**
 * Parallel CDC apply (issue 19 §2): one reader, N apply partitions, each with its own target
 * session. A batch (whole source transactions, reduced to one final action per key) is split by
 * (table, key) hash; every partition commits its share and ITS OWN checkpoint row
 * (`<stream>@p<i>`, `stream` itself for partition 0) with the batch's position in one fenced
 * transaction. Partitions pipeline: each applies its shares in batch order, up to `depth`
 * batches behind the reader.
 *
 * - Per-key order: every change of a key goes to the same partition, in batch order. A key-moving
 *   update is a delete of the old key (its partition) and an upsert of the new one (its
 *   partition); later changes to either key follow in that key's partition.
 * - Watermark: the position the loop confirms to the control plane and acks at the source is that of
 *   the newest batch EVERY partition has committed. On resume the target's rows give the minimum
 *   (`readTargetPosition`); replay above it is idempotent (final row images / deletes by key).
 * - Serial batches: a truncate, or a key-moving update whose unchanged TOAST columns are copied
 *   from the old row (`fromKey`: a read across keys), waits for every partition to drain and commits
 *   in ONE transaction that writes all N rows. DDL and live-table chunks go the same way.
 * - Target constraints across keys: tables with a unique constraint besides the key hash by table
 *   only (their rows stay in one partition); foreign keys on the target: every batch is serial.
 */
import { positionOfKind, positionPrecedes, type PositionKind, type SourcePosition } from '../connectors/position';
import { partitionStream } from './checkpoint-table';
import type { Applier, CheckpointWrite, ResolvedPlan } from './applier';
import type { CdcPosition, CdcRow, CdcValue, TargetDdl } from './types';

/** FNV-1a over the table and the key values: the same key always lands in the same partition. */
export function partitionOf(table: string, row: CdcRow | null, keyColumns: string[], n: number): number {
  let h = 0x811c9dc5;
  const mix = (b: number): void => {
    h ^= b;
    h = Math.imul(h, 0x01000193);
  };
  for (let i = 0; i < table.length; i++) mix(table.charCodeAt(i));
  if (row) {
    for (const k of keyColumns) {
      mix(0);
      const v: CdcValue | undefined = row[k];
      if (v === null || v === undefined) mix(1);
      else if (Buffer.isBuffer(v)) for (const b of v) mix(b);
      else for (let i = 0; i < v.length; i++) mix(v.charCodeAt(i));
    }
  }
  return (h >>> 0) % n;
}

/** A batch that must commit as one transaction across all partitions. */
export function needsSerial(plans: ResolvedPlan[]): boolean {
  return plans.some((p) => p.truncate || p.upserts.some((u) => u.fromKey && u.unchanged?.length));
}

/** Splits plans into n partitions by (table, key); `pinned` tables hash by table only. */
export function splitPlans(plans: ResolvedPlan[], n: number, pinned: ReadonlySet<string>): ResolvedPlan[][] {
  const out: ResolvedPlan[][] = Array.from({ length: n }, () => []);
  for (const p of plans) {
    const parts = out.map(() => ({ ...p, truncate: false, deletes: [] as CdcRow[], upserts: [] as ResolvedPlan['upserts'] }));
    const whole = pinned.has(p.table) ? partitionOf(p.table, null, [], n) : -1;
    for (const d of p.deletes) parts[whole >= 0 ? whole : partitionOf(p.table, d, p.keyColumns, n)]!.deletes.push(d);
    for (const u of p.upserts) parts[whole >= 0 ? whole : partitionOf(p.table, u.row, p.keyColumns, n)]!.upserts.push(u);
    parts.forEach((x, i) => {
      if (x.deletes.length || x.upserts.length) out[i]!.push(x);
    });
  }
  return out;
}

/** a strictly before b (null: not comparable). Equal commit boundaries: the intra-transaction `seq` decides. */
function before(a: SourcePosition, b: SourcePosition): boolean | null {
  const ab = positionPrecedes(a, b);
  if (ab === null) return null;
  if (ab) return true;
  if (positionPrecedes(b, a)) return false;
  const seq = (p: SourcePosition): number => ('seq' in p && typeof p.seq === 'number' ? p.seq : -1);
  return seq(a) < seq(b);
}

/** The earliest of the positions, or null when two cannot be compared. */
export function minPosition<P extends SourcePosition>(ps: P[]): P | null {
  let min: P | null = null;
  for (const p of ps) {
    if (!min) min = p;
    else {
      const b = before(p, min);
      if (b === null) return null;
      if (b) min = p;
    }
  }
  return min;
}

/**
 * The target's position for a stream: its own row, or with apply partitions the earliest of its
 * rows (every change up to it is durable in every partition). Null when absent or not comparable
 * (the caller then falls back to the control plane's checkpoint, which never passes the watermark).
 */
export async function readTargetPosition<K extends PositionKind>(
  applier: Pick<Applier, 'readCheckpoint' | 'readPartitionCheckpoints'>,
  jobId: string,
  stream: string,
  kind: K,
): Promise<SourcePosition | null> {
  const main = positionOfKind(await applier.readCheckpoint(jobId, stream), kind);
  if (!main) return null;
  const parts = (await applier.readPartitionCheckpoints?.(jobId, stream)) ?? [];
  if (parts.length === 0) return main;
  const ps = parts.map((x) => positionOfKind(x, kind));
  if (ps.some((p) => !p)) return null;
  return minPosition([main, ...(ps as SourcePosition[])]);
}

/** Every apply partition applies its share of each batch on its own session, pipelined. */
export class PartitionedApplier implements Applier {
  readonly engine: Applier['engine'];
  private seq = 0;
  private readonly done: number[];
  private readonly tails: Promise<void>[];
  private readonly queued: Promise<void>[][];
  private readonly positions = new Map<number, CdcPosition>();
  private failure: { e: unknown } | null = null;
  private watermark: CdcPosition | null = null;
  private pinned = new Set<string>();
  private serialOnly = false;

  constructor(
    private readonly appliers: Applier[],
    private readonly log: (message: string) => void = () => undefined,
    private readonly depth = 2,
  ) {
    if (appliers.length < 2) throw new Error('PartitionedApplier needs at least two appliers');
    this.engine = appliers[0]!.engine;
    this.done = appliers.map(() => 0);
    this.tails = appliers.map(() => Promise.resolve());
    this.queued = appliers.map(() => []);
  }

  get partitions(): number {
    return this.appliers.length;
  }

  private get main(): Applier {
    return this.appliers[0]!;
  }

  async init(): Promise<void> {
    for (const a of this.appliers) await a.init();
    await this.refreshHints();
  }

  /** Foreign keys make every batch serial; tables with another unique constraint stay in one partition. */
  private async refreshHints(): Promise<void> {
    const h = (await this.main.partitionHints?.()) ?? { foreignKeys: true, uniqueTables: [] };
    this.pinned = new Set(h.uniqueTables);
    if (h.foreignKeys && !this.serialOnly) this.log('cdc: the target has foreign keys; batches apply serially (one transaction each) to keep them valid');
    this.serialOnly = h.foreignKeys;
  }

  /** The position every partition has committed (with everything before it); throws a partition's failure. */
  committed(): CdcPosition | null {
    this.raise();
    return this.watermark;
  }

  private raise(): void {
    if (this.failure) throw this.failure.e;
  }

  /** Hands a batch to the partitions; returns once each has at most `depth` batches queued. */
  async submit(plans: ResolvedPlan[], cp: CheckpointWrite): Promise<void> {
    this.raise();
    if (this.serialOnly || needsSerial(plans)) return this.apply(plans, cp);
    const k = ++this.seq;
    this.positions.set(k, cp.position);
    const parts = splitPlans(plans, this.partitions, this.pinned);
    parts.forEach((share, i) => this.enqueue(i, k, share, { ...cp, stream: partitionStream(cp.stream, i) }));
    for (let i = 0; i < this.partitions; i++) {
      while (this.queued[i]!.length > this.depth && !this.failure) await this.queued[i]![0];
    }
    this.raise();
  }

  private enqueue(i: number, k: number, share: ResolvedPlan[], cp: CheckpointWrite): void {
    const task = this.tails[i]!.then(async () => {
      if (this.failure) return;
      try {
        await this.applyWithRetry(this.appliers[i]!, share, cp);
        this.done[i] = k;
        this.advance();
      } catch (e) {
        this.failure ??= { e };
      }
    });
    this.tails[i] = task;
    this.queued[i]!.push(task);
    void task.then(() => this.queued[i]!.shift());
  }

  /** A deadlock or lock timeout between partitions (or any transient error) is retried a few times, in order. */
  private async applyWithRetry(a: Applier, share: ResolvedPlan[], cp: CheckpointWrite): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await a.apply(share, cp);
      } catch (e) {
        const err = a.classifyError(e, 'cdc: apply a partition');
        if (attempt >= 4 || err.class !== 'transient' || err.retryable === false) throw err;
        await new Promise((r) => setTimeout(r, 25 << attempt));
      }
    }
  }

  private advance(): void {
    const m = Math.min(...this.done);
    const p = this.positions.get(m);
    if (!p) return;
    this.watermark = p;
    for (const k of this.positions.keys()) if (k < m) this.positions.delete(k);
  }

  /** Waits until every partition committed everything handed to it. */
  async drain(): Promise<void> {
    await Promise.all(this.tails);
    this.raise();
  }

  /** A serial batch: every partition drained, then ONE transaction that writes all N checkpoint rows. */
  async apply(plans: ResolvedPlan[], cp: CheckpointWrite | null): Promise<void> {
    await this.drain();
    await this.main.apply(plans, cp ? { ...cp, partitions: this.partitions } : null);
    if (!cp) return;
    const k = ++this.seq;
    this.done.fill(k);
    this.positions.clear();
    this.watermark = cp.position;
  }

  private async afterDdl(table: string): Promise<void> {
    for (const a of this.appliers.slice(1)) await a.forgetTable?.(table);
    await this.refreshHints();
  }

  async addColumns(table: string, cols: { name: string; type: string }[]): Promise<void> {
    await this.drain();
    await this.main.addColumns(table, cols);
    await this.afterDdl(table);
  }

  async runDdl(table: string, statements: string[]): Promise<void> {
    await this.drain();
    await this.main.runDdl(table, statements);
    await this.afterDdl(table);
  }

  classifyError: Applier['classifyError'] = (e, what) => this.main.classifyError(e, what);
  readCheckpoint = (jobId: string, stream: string): Promise<unknown> => this.main.readCheckpoint(jobId, stream);
  readPartitionCheckpoints = (jobId: string, stream: string): Promise<unknown[]> => this.main.readPartitionCheckpoints?.(jobId, stream) ?? Promise.resolve([]);
  forgetJob = (jobId: string): Promise<number> => this.main.forgetJob(jobId);
  columns = (table: string): Promise<Map<string, string> | null> => this.main.columns(table);
  columnTypes = (table: string): Promise<Map<string, string> | null> => this.main.columnTypes(table);
  renderDdl = (table: string, ddl: TargetDdl): string[] => this.main.renderDdl(table, ddl);

  integerKeysBetween(table: string, keyColumns: string[], after: string[] | null, upTo: string[] | null): Promise<string[][]> {
    if (!this.main.integerKeysBetween) return Promise.resolve([]);
    return this.drain().then(() => this.main.integerKeysBetween!(table, keyColumns, after, upTo));
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.tails);
    for (const a of this.appliers) await a.close().catch(() => undefined);
  }
}

/** Apply partitions when the job does not say (options.applyPartitions); measured in test/bench/results/cdc-partitions.md. */
export const DEFAULT_APPLY_PARTITIONS = 1;

/**
 * At start, every partition's row is set to the start position and rows of other partition counts
 * (an earlier run with more partitions) are deleted, in one fenced transaction. Moving a row back is
 * always safe (replay is idempotent); a stale row left behind would hold every later resume back.
 * One partition with no partition rows in the target: nothing to do (today's behaviour).
 */
export async function writePartitionRows(applier: Applier, cp: CheckpointWrite, partitions: number): Promise<void> {
  if (partitions > 1) return applier.apply([], cp);
  const stale = (await applier.readPartitionCheckpoints?.(cp.jobId, cp.stream)) ?? [];
  if (stale.length) await applier.apply([], { ...cp, partitions: 1 });
}
