import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../connectors/connector-error';
import type { Applier, CheckpointWrite, ResolvedPlan } from './applier';
import { minPosition, needsSerial, PartitionedApplier, partitionOf, readTargetPosition, splitPlans } from './parallel-apply';
import type { CdcPosition } from './types';
import { jobSpecSchema } from '../protocol/job-spec';

const pos = (lsn: string, seq?: number): CdcPosition => ({ v: 1, kind: 'pg', lsn, slot: 's', publication: 's', ...(seq ? { txLsn: '0/FF', seq } : {}) });

/** A target session that records each transaction; `gate` holds a partition's commits until released. */
class FakeApplier {
  readonly engine = 'postgres' as const;
  commits: { plans: ResolvedPlan[]; cp: CheckpointWrite | null }[] = [];
  gate: Promise<void> = Promise.resolve();
  failNext: Error | null = null;
  forgotten: string[] = [];
  classifyError = (e: unknown) =>
    e instanceof ConnectorError ? e : new ConnectorError(String((e as Error).message), { class: 'config', code: 'X', retryable: false });
  async apply(plans: ResolvedPlan[], cp: CheckpointWrite | null): Promise<void> {
    await this.gate;
    if (this.failNext) {
      const e = this.failNext;
      this.failNext = null;
      throw e;
    }
    this.commits.push({ plans, cp });
  }
  init = async () => undefined;
  close = async () => undefined;
  partitionHints = async () => ({ foreignKeys: false, uniqueTables: ['u'] });
  forgetTable = async (t: string) => void this.forgotten.push(t);
  addColumns = async () => undefined;
}

const plan = (table: string, ids: number[], extra: Partial<ResolvedPlan> = {}): ResolvedPlan => ({
  table,
  keyColumns: ['id'],
  truncate: false,
  deletes: [],
  upserts: ids.map((id) => ({ row: { id: String(id), v: 'x' } })),
  ...extra,
});

function setup(n: number): { fakes: FakeApplier[]; pa: PartitionedApplier } {
  const fakes = Array.from({ length: n }, () => new FakeApplier());
  return { fakes, pa: new PartitionedApplier(fakes as unknown as Applier[]) };
}

describe('splitPlans', () => {
  it('sends every key to one stable partition, deletes and upserts of a key together', () => {
    const ids = Array.from({ length: 200 }, (_, i) => i);
    const p = plan('t', ids, { deletes: ids.map((id) => ({ id: String(id) })) });
    const parts = splitPlans([p], 4, new Set());
    expect(parts.filter((x) => x.length).length).toBe(4);
    for (const id of ids) {
      const i = partitionOf('t', { id: String(id) }, ['id'], 4);
      expect(parts[i]![0]!.upserts.some((u) => u.row.id === String(id))).toBe(true);
      expect(parts[i]![0]!.deletes.some((d) => d.id === String(id))).toBe(true);
    }
    expect(parts.reduce((n, x) => n + (x[0]?.upserts.length ?? 0), 0)).toBe(200);
  });

  it('keeps a table with another unique constraint in one partition', () => {
    const parts = splitPlans([plan('u', [1, 2, 3, 4, 5, 6, 7, 8])], 4, new Set(['u']));
    expect(parts.filter((x) => x.length).map((x) => x[0]!.upserts.length)).toEqual([8]);
  });

  it('marks truncates and key moves with unchanged TOAST as serial', () => {
    expect(needsSerial([plan('t', [1])])).toBe(false);
    expect(needsSerial([plan('t', [1], { truncate: true })])).toBe(true);
    expect(needsSerial([{ ...plan('t', []), upserts: [{ row: { id: '2' }, unchanged: ['note'], fromKey: { id: '1' } }] }])).toBe(true);
  });
});

describe('PartitionedApplier', () => {
  it('commits each share with its own checkpoint row; the watermark waits for the slowest partition', async () => {
    const { fakes, pa } = setup(2);
    let release!: () => void;
    fakes[1]!.gate = new Promise((r) => (release = r));
    const cp = (p: CdcPosition): CheckpointWrite => ({ jobId: 'j', stream: 'cdc', position: p, lease: { key: 'lease:t', epoch: 3 } });
    await pa.submit([plan('t', [1, 2, 3, 4, 5, 6])], cp(pos('0/10')));
    await pa.submit([plan('t', [7, 8])], cp(pos('0/20')));
    await new Promise((r) => setTimeout(r, 10));
    expect(fakes[0]!.commits.map((c) => c.cp!.stream)).toEqual(['cdc', 'cdc']);
    expect(pa.committed()).toBeNull(); // partition 1 has committed nothing yet
    release();
    await pa.drain();
    expect(fakes[1]!.commits.map((c) => [c.cp!.stream, c.cp!.lease?.epoch])).toEqual([
      ['cdc@p1', 3],
      ['cdc@p1', 3],
    ]);
    expect(pa.committed()).toEqual(pos('0/20'));
  });

  it('applies a serial batch after draining, in one transaction that writes every partition row', async () => {
    const { fakes, pa } = setup(3);
    await pa.submit([plan('t', [1, 2, 3])], { jobId: 'j', stream: 'cdc', position: pos('0/10') });
    await pa.submit([plan('t', [4], { truncate: true })], { jobId: 'j', stream: 'cdc', position: pos('0/20') });
    const serial = fakes[0]!.commits.at(-1)!;
    expect(serial.cp).toMatchObject({ stream: 'cdc', partitions: 3 });
    expect(serial.plans[0]!.truncate).toBe(true);
    expect(fakes.every((f) => f.commits.length >= 1)).toBe(true);
    expect(pa.committed()).toEqual(pos('0/20'));
  });

  it('a failed partition fails the next submit and never moves the watermark past it', async () => {
    const { fakes, pa } = setup(2);
    fakes[1]!.failNext = new ConnectorError('boom', { class: 'config', code: 'FENCED', retryable: false });
    await pa.submit([plan('t', [1, 2, 3, 4, 5, 6, 7, 8])], { jobId: 'j', stream: 'cdc', position: pos('0/10') });
    await new Promise((r) => setTimeout(r, 10));
    // an idle loop only asks for the watermark: the failure surfaces there too
    expect(() => pa.committed()).toThrow(/boom/);
    await expect(pa.submit([plan('t', [9])], { jobId: 'j', stream: 'cdc', position: pos('0/20') })).rejects.toMatchObject({ code: 'FENCED' });
    expect(fakes[0]!.commits.length).toBe(1);
  });

  it('DDL drains, runs on one session, and the others forget the table', async () => {
    const { fakes, pa } = setup(3);
    await pa.addColumns('t', [{ name: 'c', type: 'text' }]);
    expect(fakes[0]!.forgotten).toEqual([]);
    expect(fakes[1]!.forgotten).toEqual(['t']);
    expect(fakes[2]!.forgotten).toEqual(['t']);
  });
});

describe('positions', () => {
  it('minPosition orders by commit, then by the intra-transaction seq', () => {
    expect(minPosition([pos('0/30'), pos('0/10'), pos('0/20')])).toEqual(pos('0/10'));
    expect(minPosition([pos('0/10', 5), pos('0/10', 2), pos('0/10')])).toEqual(pos('0/10'));
    expect(minPosition([pos('0/10', 5), pos('0/10', 2)])).toEqual(pos('0/10', 2));
  });

  it('readTargetPosition takes the earliest partition row; a missing main row gives null', async () => {
    const rows: Record<string, unknown> = { cdc: pos('0/30') };
    const parts = [pos('0/50'), pos('0/20')];
    const a = { readCheckpoint: async (_j: string, s: string) => rows[s] ?? null, readPartitionCheckpoints: async () => parts };
    expect(await readTargetPosition(a, 'j', 'cdc', 'pg')).toEqual(pos('0/20'));
    delete rows.cdc;
    expect(await readTargetPosition(a, 'j', 'cdc', 'pg')).toBeNull();
  });
});

describe('options.applyPartitions', () => {
  it('is optional, 1-16', () => {
    expect(jobSpecSchema.parse({ mode: 'cdc' }).options.applyPartitions).toBeUndefined();
    expect(jobSpecSchema.parse({ mode: 'cdc', options: { applyPartitions: 4 } }).options.applyPartitions).toBe(4);
    for (const bad of [0, 17, 2.5]) expect(jobSpecSchema.safeParse({ mode: 'cdc', options: { applyPartitions: bad } }).success).toBe(false);
  });
});
