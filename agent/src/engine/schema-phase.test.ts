import { describe, expect, it } from 'vitest';
import type { ApplySchemaResult, SchemaChange, SnapshotTask, TargetCapabilities } from '../connectors/spi';
import { createTables, finishTables, type SchemaContext } from './schema-phase';
import type { Position } from './hooks';
import type { TableMappingResult } from './type-mapping';

const table = (name: string, pk: string[], indexes = 0, fks = 0) =>
  ({
    source: { schema: 'public', name, primaryKey: pk, rowEstimate: 10 },
    target: {
      schema: 'public',
      name,
      primaryKey: pk,
      columns: [],
      indexes: Array.from({ length: indexes }, (_, i) => ({ name: `${name}_i${i}`, columns: ['v'], unique: false })),
      foreignKeys: Array.from({ length: fks }, (_, i) => ({ name: `${name}_f${i}`, columns: ['v'], refTable: 'a', refColumns: ['id'] })),
    },
    columns: [],
    warnings: [],
  }) as unknown as TableMappingResult;

const caps = (over: Partial<TargetCapabilities>): TargetCapabilities => ({
  transactions: true,
  bulkLoad: true,
  upsert: true,
  schema: true,
  changes: true,
  records: false,
  ...over,
});

/** A target that records every change (with how many ran at once) and creates tables as asked. */
function fake(capabilities: TargetCapabilities, resume: Record<string, Position> = {}, existingTable: 'fail' | 'truncate' | 'upsert' = 'fail') {
  const log: string[] = [];
  const checkpoints: [string, Position][] = [];
  let running = 0;
  let maxRunning = 0;
  const ctx: SchemaContext = {
    target: {
      capabilities: () => capabilities,
      clearTable: async () => {},
      applySchema: async (changes: SchemaChange[]): Promise<ApplySchemaResult> => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        const res: ApplySchemaResult = { tables: {}, warnings: [] };
        for (const c of changes) {
          const key = `${c.table.schema}.${c.table.name}`;
          log.push(
            `${c.op}${c.op === 'createTable' && c.deferKey ? '(no key)' : ''}${c.op === 'createIndexes' ? `[${c.table.indexes.map((i) => i.name).join(',')}]` : ''} ${c.table.name}`,
          );
          if (c.op === 'createTable') {
            res.tables[key] = 'created';
            if (c.deferKey) res.keyDeferred = [...(res.keyDeferred ?? []), key];
          }
        }
        return res;
      },
    },
    job: { options: { existingTable, createSecondaryIndexes: true, createForeignKeys: true } as SchemaContext['job']['options'] },
    resume,
    hooks: { checkpoint: async (s, p) => void checkpoints.push([s, p]), log: () => {} },
    progress: { add: () => {}, setPhase: () => {} },
  };
  return { ctx, log, checkpoints, maxRunning: () => maxRunning };
}

describe('schema phase: keys after the load', () => {
  const a = table('a', ['id'], 2);
  const b = table('b', ['id'], 0, 1);
  const nokey = table('n', []);

  it('creates keyed tables without their key where the target can build it later, checkpointing that first', async () => {
    const f = fake(caps({ deferredKeys: true }));
    const r = await createTables(f.ctx, [a, nokey], () => []);
    expect([...r.keyDeferred]).toEqual(['public.a']);
    expect(f.log).toEqual(['createTable(no key) a', 'createTable n']);
    // the intent is stored before the table exists, so a stop right after creating it resumes it as the job's own
    expect(f.checkpoints.map(([s, p]) => `${s} ${JSON.stringify(p)}`)).toEqual([
      'schema:public.a {"v":1,"done":false,"keyDeferred":true}',
      'schema:public.a {"v":1,"done":true,"status":"created","keyDeferred":true}',
      'schema:public.n {"v":1,"done":true,"status":"created"}',
    ]);
  });

  it('keeps the key in the table without the capability, and in upsert mode (it upserts by the key)', async () => {
    for (const f of [fake(caps({})), fake(caps({ deferredKeys: true }), {}, 'upsert')]) {
      const r = await createTables(f.ctx, [a], () => []);
      expect(r.keyDeferred.size).toBe(0);
      expect(f.log).toEqual(['createTable a']);
    }
  });

  it('a resumed table that was loading without its key gets the key before anything else', async () => {
    const f = fake(caps({ deferredKeys: true }), { 'schema:public.a': { v: 1, done: true, status: 'created', keyDeferred: true } });
    const r = await createTables(f.ctx, [a], () => []);
    expect(f.log).toEqual(['addPrimaryKey a', 'createTable a']);
    expect(r.keyDeferred.size).toBe(0);
    // ... but not once the table was finished
    const g = fake(caps({ deferredKeys: true }), { 'schema:public.a': { v: 1, done: true, keyDeferred: true }, 'post:public.a': { v: 1, done: true } });
    await createTables(g.ctx, [a], () => []);
    expect(g.log).toEqual(['createTable a']);
  });

  it('a resumed table whose load finished is left to CDC: not checked against the source again', async () => {
    // The source may have gained a column the target has not yet (a schema change held for approval, ignored
    // or quarantined): the check would fail the whole resumed full_cdc job.
    const task = { stream: 'snap:public.a' } as SnapshotTask;
    const resume = { 'schema:public.a': { v: 1, done: true, status: 'created' }, 'snap:public.a': { v: 1, done: true, rows: 2 } };
    const f = fake(caps({}), resume);
    const r = await createTables(f.ctx, [a], () => [task]);
    expect(f.log).toEqual([]);
    expect(r.fresh.get('public.a')).toBe(false);
    // still loading: checked (and created where missing) as before
    const g = fake(caps({}), { ...resume, 'snap:public.a': { v: 1, done: false, rows: 1 } });
    await createTables(g.ctx, [a], () => [task]);
    expect(g.log).toEqual(['createTable a']);
  });

  it('after the load: key and identity, then each index on its own session at once, then foreign keys', async () => {
    const f = fake(caps({ deferredKeys: true, concurrentIndexBuilds: true }));
    await finishTables(f.ctx, [a, b], new Set(['public.a', 'public.b']), 4);
    expect(f.log.slice(0, 4).sort()).toEqual(['addPrimaryKey a', 'addPrimaryKey b', 'syncIdentity a', 'syncIdentity b']);
    expect(f.log.indexOf('addPrimaryKey a')).toBeLessThan(f.log.indexOf('syncIdentity a'));
    expect(f.log.filter((l) => l.startsWith('createIndexes')).sort()).toEqual(['createIndexes[a_i0] a', 'createIndexes[a_i1] a']);
    expect(f.log.indexOf('syncIdentity a')).toBeLessThan(f.log.indexOf('createIndexes[a_i0] a'));
    expect(f.log.at(-1)).toBe('createForeignKeys b');
    expect(f.maxRunning()).toBeGreaterThan(1);
    expect(f.checkpoints.map(([s]) => s).sort()).toEqual(['post:public.a', 'post:public.b']);
  });

  it('one session per table where indexes are not built concurrently, and finished tables are skipped', async () => {
    const f = fake(caps({}), { 'post:public.b': { v: 1, done: true } });
    await finishTables(f.ctx, [a, b], new Set(), 1);
    expect(f.log).toEqual(['syncIdentity a', 'createIndexes[a_i0,a_i1] a', 'createForeignKeys b']);
    expect(f.maxRunning()).toBe(1);
  });
});
