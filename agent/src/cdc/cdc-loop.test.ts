import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../connectors/connector-error';
import type { PgPosition } from '../connectors/position';
import type { EngineHooks } from '../engine/hooks';
import { jobSpecSchema } from '../protocol';
import { CdcLoop, type CdcLoopSpec } from './cdc-loop';
import { SchemaEvolution } from './schema-evolution';
import type { Applier, CdcRow, CdcSource, ResolvedPlan, SourceEvent } from './types';

const pos = (lsn: string): PgPosition => ({ v: 1, kind: 'pg', lsn, slot: 's', publication: 's' });
const tx = (lsn: string, table: string, id: string): SourceEvent => ({
  kind: 'tx',
  id: lsn,
  changes: [{ op: 'insert', table, after: { id, v: 'x' } }],
  position: pos(lsn),
  commitTimeMs: Date.now(),
});
const spec: CdcLoopSpec = { stream: 'cdc', batchMaxChanges: 2, batchMaxBytes: 1 << 20, progressEveryMs: 60_000, idleCheckpointMs: 0, checkpointEveryMs: 0 };

/** Runs the loop over `events`; the task stops once the source has nothing left. */
async function run(
  events: SourceEvent[],
  keys: Record<string, string[]> = { 'public.t': ['id'] },
  extra: { source?: Partial<CdcSource>; apply?: (plans: ResolvedPlan[]) => Promise<void> } = {},
) {
  const log: string[] = [];
  const applied: ResolvedPlan[][] = [];
  const abort = new AbortController();
  const queue = [...events];
  const source: CdcSource = {
    engine: 'postgres',
    start: async () => {},
    next: async () => {
      const ev = queue.shift();
      if (!ev) abort.abort();
      return ev ?? null;
    },
    ack: async (p) => void log.push(`ack ${p.kind === 'pg' ? p.lsn : '?'}`),
    describe: async (table) => ({ key: table, schema: 'public', name: table.split('.')[1]!, columns: [], keyColumns: keys[table] ?? [] }),
    queued: () => queue.length,
    backlogBytes: async () => null,
    secondsUntilPurge: async () => null,
    close: async () => {},
    ...extra.source,
  };
  const applier: Applier = {
    engine: 'postgres',
    classifyError: (e) => (e instanceof ConnectorError ? e : new ConnectorError(String(e), { class: 'system', code: 'X' })),
    init: async () => {},
    readCheckpoint: async () => null,
    forgetJob: async () => 0,
    columns: async () =>
      new Map([
        ['id', 'int'],
        ['v', 'text'],
      ]),
    addColumns: async () => {},
    columnTypes: async () => null,
    renderDdl: () => [],
    runDdl: async () => {},
    apply: async (plans, cp) => {
      applied.push(plans);
      await extra.apply?.(plans);
      log.push(`apply ${cp?.position.kind === 'pg' ? cp.position.lsn : '?'}`);
    },
    close: async () => {},
  };
  const events2: { type: string; data?: Record<string, unknown> }[] = [];
  const hooks: EngineHooks = {
    signal: abort.signal,
    resume: {},
    checkpoint: async (_s, p) => void log.push(`checkpoint ${String(p.lsn)}${p.quarantined ? ' quarantined' : ''}`),
    progress: () => {},
    log: () => {},
    event: (type, _m, data) => void events2.push({ type, ...(data ? { data } : {}) }),
    waitIfPaused: async () => {},
  };
  const job = jobSpecSchema.parse({ mode: 'cdc' });
  const schema = new SchemaEvolution({ job }, hooks, source, applier, new Map(), async () => new Map());
  const result = await new CdcLoop({ jobId: 'j', job }, hooks, spec, source, applier, pos('0/1'), schema, (e) => e as ConnectorError).run();
  return { log, applied, result, events: events2 };
}

describe('CDC loop', () => {
  it('applies whole transactions in batches, then checkpoints, then releases the source, in that order', async () => {
    const r = await run([tx('0/10', 'public.t', '1'), tx('0/20', 'public.t', '2'), tx('0/30', 'public.t', '3')]);
    expect(r.log).toEqual(['apply 0/20', 'checkpoint 0/20', 'ack 0/20', 'apply 0/30', 'checkpoint 0/30', 'ack 0/30']);
    expect(r.applied[0]![0]).toMatchObject({ table: 't', keyColumns: ['id'], upserts: [{ row: { id: '1', v: 'x' } }, { row: { id: '2', v: 'x' } }] });
    expect(r.result).toMatchObject({ position: { lsn: '0/30' }, events: 3, transactions: 3 });
  });

  it('an idle position (heartbeat) moves the pending batch forward and is made durable through the target before the source is released', async () => {
    const r = await run([tx('0/10', 'public.t', '1'), { kind: 'idle', position: pos('0/40') }]);
    expect(r.log).toEqual(['apply 0/40', 'checkpoint 0/40', 'ack 0/40']);
    expect(r.applied[0]![0]!.upserts).toEqual([{ row: { id: '1', v: 'x' } }]);
    const quiet = await run([{ kind: 'idle', position: pos('0/50') }]);
    expect(quiet.log).toEqual(['apply 0/50', 'checkpoint 0/50', 'ack 0/50']);
  });

  it('quarantines a table without a key, keeps the others flowing, and stores the quarantine with the position', async () => {
    const r = await run([tx('0/10', 'public.nokey', '1'), tx('0/20', 'public.t', '2')], { 'public.t': ['id'] });
    expect(r.events.map((e) => e.type)).toContain('table.quarantined');
    expect(r.applied.flat().map((p) => p.table)).toEqual(['t']);
    expect(r.log.filter((l) => l.startsWith('checkpoint')).at(-1)).toBe('checkpoint 0/20 quarantined');
    expect(r.result).toMatchObject({ quarantined: { 'public.nokey': expect.stringContaining('no primary key') } });
  });

  it('an update with unchanged TOAST columns carries a way to read the source row by its source key (the target may hold it at none of its keys)', async () => {
    const asked: unknown[] = [];
    let filled: unknown;
    const update: SourceEvent = {
      kind: 'tx',
      id: '0/10',
      changes: [{ op: 'update', table: 'public.t', before: { id: '1' }, after: { id: '2', v: 'y' }, unchanged: ['big'] }],
      position: pos('0/10'),
      commitTimeMs: Date.now(),
    };
    const source = {
      currentRows: async (table: string, keys: CdcRow[], columns: string[]) => {
        asked.push({ table, keys, columns });
        return [{ id: '2', v: 'y', big: 'B' }];
      },
    };
    const apply = async (plans: ResolvedPlan[]) => {
      const p = plans[0]!;
      expect(p.upserts).toEqual([{ row: { id: '2', v: 'y' }, unchanged: ['big'], fromKey: { id: '1' } }]);
      filled = await p.currentRows!(p.upserts);
    };
    await run([update], undefined, { source, apply });
    expect(asked).toEqual([{ table: 'public.t', keys: [{ id: '2' }], columns: ['id', 'v', 'big'] }]);
    expect(filled).toEqual([{ id: '2', v: 'y', big: 'B' }]);
  });
});
