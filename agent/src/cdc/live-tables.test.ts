import { describe, expect, it } from 'vitest';
import type { Batch, Source, StreamingCapability, TableInfo } from '../connectors/spi';
import { jobSpecSchema } from '../protocol';
import { LiveTables } from './live-tables';
import type { SchemaEvolution } from './schema-evolution';
import type { Applier, CdcPosition, CdcSource } from './types';

const info = (name: string): TableInfo =>
  ({
    schema: 'app',
    name,
    columns: [
      { name: 'id', nativeType: 'bigint', type: { kind: 'int' } },
      { name: 'v', nativeType: 'text', type: { kind: 'text' } },
    ],
    primaryKey: ['id'],
  }) as unknown as TableInfo;

/** A source table of `n` rows (id 1..n) read by keyset, and fakes that record what the live tables do. */
function setup(rows: Record<string, number>, targetKeys: string[][] = []) {
  const captured: string[][] = [];
  const events: string[] = [];
  const source = {
    engine: 'postgres',
    discover: async (f: (s: string, t: string) => boolean) => ({
      tables: Object.keys(rows)
        .filter((t) => f('app', t))
        .map(info),
    }),
    async *readTask(task: { table: string; limit?: number }, cursor: { after?: (string | null)[] } | undefined): AsyncIterable<Batch> {
      const from = Number(cursor?.after?.[0] ?? 0);
      const ids = Array.from({ length: rows[task.table]! }, (_, i) => i + 1)
        .filter((i) => i > from)
        .slice(0, task.limit);
      const last = ids.at(-1);
      yield {
        columns: ['id', 'v'],
        rows: ids.map((i) => [String(i), `v${i}`]),
        bytes: 0,
        cursor: { v: 1, done: true, rows: ids.length, ...(last ? { after: [String(last)] } : {}) },
      };
    },
  } as unknown as Source;
  const streaming = {
    listStreams: async () => Object.keys(rows).map((t) => `app.${t}`),
    captureTables: async (_n: unknown, t: string[]) => void captured.push([...t].sort()),
  } as unknown as StreamingCapability;
  const applier = { integerKeysBetween: async () => targetKeys } as unknown as Applier;
  const schema = {
    refresh: async () => undefined,
    tableMap: (t: string) => ({ name: t.split('.')[1]!, columns: {}, exclude: new Set() }),
    targetName: (_m: unknown, _t: string, c: string) => c,
    mapRow: (r: Record<string, unknown>) => r,
    addMissingColumns: async () => true,
  } as unknown as SchemaEvolution;
  const quarantined: Record<string, string> = {};
  const live = new LiveTables({
    input: { job: jobSpecSchema.parse({ mode: 'cdc' }) },
    hooks: { event: (type) => void events.push(type), log: () => undefined },
    source,
    streaming,
    names: { jobId: 'j', slot: 's', publication: 'p' },
    applier,
    chunkRows: 2,
    chunkGapMs: 0,
  });
  const reader = { capture: () => undefined } as unknown as CdcSource;
  const loop = { quarantined, forgetKeys: () => undefined, quarantine: async (t: string, r: string) => void (quarantined[t] = r) };
  return { live, schema, reader, loop, captured, events, quarantined };
}

const start = (live?: object): CdcPosition => ({ v: 1, kind: 'pg', lsn: '0/1', ...(live ? { live } : {}) }) as CdcPosition;

describe('LiveTables', () => {
  it('adds a table from the control: captured first, then copied chunk by chunk, the cursor in the live state', async () => {
    const s = setup({ a: 3, b: 5 });
    await s.live.init(['app.a'], start(), s.schema, s.reader, s.loop);
    await s.live.control({ tables: { include: ['a', 'b'], exclude: [] }, resyncs: {} });
    expect(s.captured).toEqual([['app.a', 'app.b']]);
    expect(s.live.states({})['app.b']).toMatchObject({ state: 'snapshotting', rowsCopied: 0 });
    const copied: string[] = [];
    for (let c = await s.live.nextChunk(); c; c = s.live.busy() ? await s.live.nextChunk() : null) {
      copied.push(...c.plan.upserts.map((u) => String(u.row.id)));
      if (!c.finished) expect(s.live.state().snapshots?.['app.b']?.after).toEqual([copied.at(-1)]);
    }
    expect(copied).toEqual(['1', '2', '3', '4', '5']);
    expect(s.live.states({})['app.b']).toEqual({ state: 'streaming' });
    expect(s.events).toEqual(['table.snapshot_started', 'table.snapshot_done']);
  });

  it('a resync deletes the keys only the target has; its request is handled once; remove and un-quarantine', async () => {
    const s = setup({ a: 2, b: 1 }, [['1'], ['7']]);
    await s.live.init(['app.a', 'app.b'], start({ tables: ['app.a', 'app.b'] }), s.schema, s.reader, s.loop);
    s.quarantined['app.b'] = 'schema change';
    const control = { tables: { include: ['*'], exclude: [] }, resyncs: { 'app.a': 'r1', 'app.b': 'q1' } };
    await s.live.control(control);
    expect(s.quarantined).toEqual({});
    const a = (await s.live.nextChunk())!;
    expect(a.plan.deletes).toEqual([{ id: '7' }]);
    while (s.live.busy()) await s.live.nextChunk();
    expect(s.live.state().done).toEqual({ 'app.a': 'r1', 'app.b': 'q1' });
    await s.live.control({ ...control });
    expect(s.live.busy()).toBe(false);
    await s.live.control({ tables: { include: ['a'], exclude: [] }, resyncs: {} });
    expect(s.live.isRemoved('app.b')).toBe(true);
    expect(s.live.states({})['app.b']).toEqual({ state: 'removed' });
  });

  it('a restart snapshots a table the stored selection gained and marks one it lost removed', async () => {
    const s = setup({ a: 1, b: 1, c: 1 });
    await s.live.init(['app.a', 'app.b'], start({ tables: ['app.a', 'app.c'] }), s.schema, s.reader, s.loop);
    expect(s.live.states({})).toMatchObject({ 'app.a': { state: 'streaming' }, 'app.b': { state: 'snapshotting' }, 'app.c': { state: 'removed' } });
  });
});
