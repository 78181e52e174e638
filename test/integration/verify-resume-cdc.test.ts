/**
 * Verification resumes and never blocks CDC (issue 15 item 1), on the private PG test instance:
 *  - verification is checkpointed per chunk: stopped half-way (what survives a kill -9 is what
 *    was checkpointed), the next attempt compares only the chunks left and adds to the counts;
 *    a table already verified is not compared again;
 *  - a full_cdc job's verification runs beside CDC: CDC checkpoints before verification ends,
 *    rows written during verification are replicated and verification still says "ok" (each
 *    chunk compared only after CDC applied its hashing position); a restart during CDC starts
 *    CDC at once, without verifying again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, type PgDatabase } from '../support/db-fixtures';
import { runEngineTask } from '../../agent/src/engine';
import { runVerify, type VerifyResult } from '../../agent/src/verify';
import { job, memHooks, pgConnection, withPg, type MemHooks } from '../conformance/helpers';

const N = 3000;
let src: PgDatabase;
let dst: PgDatabase;

beforeAll(async () => {
  src = await createPgDatabase('cor_vrc');
  dst = await createPgDatabase('cor_vrc');
  await withPg(src, async (c) => {
    await c.query(`CREATE TABLE a (id int PRIMARY KEY, v text, n numeric, d date)`);
    await c.query(`INSERT INTO a SELECT g, 'v' || g, g * 1.5, date '2000-01-01' + g FROM generate_series(1, ${N}) g`);
    await c.query(`CREATE TABLE b (id int PRIMARY KEY, j jsonb)`);
    await c.query(`INSERT INTO b SELECT g, jsonb_build_object('g', g, 's', 'é') FROM generate_series(1, ${N}) g`);
  });
});

afterAll(async () => {
  await src?.drop();
  await dst?.drop();
});

function input(mode: 'full' | 'verify' | 'full_cdc', jobId: string, options: Record<string, unknown> = {}) {
  return {
    jobId,
    runId: 'r1',
    taskId: 't1',
    kind: mode,
    job: job({ mode, options: { chunkSize: 100, parallelism: 2, ...options } }),
    source: pgConnection(src),
    target: pgConnection(dst),
    taskSpec: {},
  };
}

const verifyCheckpoints = (h: MemHooks) => Object.keys(h.checkpoints).filter((k) => k.startsWith('verify:'));

describe('verification checkpoints per chunk', () => {
  it('a stopped verification resumes where it stopped and never starts from zero', async () => {
    await runEngineTask(input('full', 'cor-vrc-load'), memHooks());
    // First attempt: stopped after 12 chunks of table a were compared.
    const first = memHooks();
    let chunks = 0;
    const checkpoint = first.checkpoint.bind(first);
    first.checkpoint = async (stream, position) => {
      await checkpoint(stream, position);
      if (stream.startsWith('verify:') && ++chunks === 12) first.abort.abort();
    };
    await expect(runVerify(input('verify', 'cor-vrc-v'), first)).rejects.toThrow(/stopped/);
    const saved = first.checkpoints['verify:public.a'] as { done: number[] };
    expect(saved.done.length).toBeGreaterThanOrEqual(12);
    expect(saved.done.length).toBeLessThan(30);

    // Second attempt (same run): only the rest of a, then b.
    const second = memHooks(first.checkpoints);
    const compared: number[] = [];
    const cp2 = second.checkpoint.bind(second);
    second.checkpoint = async (stream, position) => {
      await cp2(stream, position);
      if (stream === 'verify:public.a' && position.finished === false) compared.push((position.done as number[]).length);
    };
    const r = await runVerify(input('verify', 'cor-vrc-v'), second);
    expect(r.ok).toBe(true);
    const a = r.tables.find((t) => t.tableName === 'public.a')!;
    expect({ status: a.status, chunks: a.chunks, ok: a.chunksOk, rows: a.rowsSource }).toEqual({ status: 'ok', chunks: 30, ok: 30, rows: N });
    expect(compared.length).toBe(30 - saved.done.length);
    expect(second.logs.some((l) => l.message.includes(`resumes: ${saved.done.length} of 30 chunks`))).toBe(true);
    expect(verifyCheckpoints(second).sort()).toEqual(['verify:public.a', 'verify:public.b']);

    // Third attempt: both tables finished, nothing is compared again.
    const third = memHooks(second.checkpoints);
    const r3 = await runVerify(input('verify', 'cor-vrc-v'), third);
    expect(r3.tables.map((t) => [t.tableName, t.status, t.rowsSource])).toEqual([
      ['public.a', 'ok', N],
      ['public.b', 'ok', N],
    ]);
    expect(third.logs.filter((l) => l.message.includes('was finished before the restart')).length).toBe(2);
  }, 120_000);
});

describe('verification beside CDC (full_cdc)', () => {
  let fresh: PgDatabase;
  beforeAll(async () => {
    fresh = await createPgDatabase('cor_vrc');
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  it('CDC starts before verification ends, live writes do not make it lie, and a restart resumes CDC at once', async () => {
    const jobId = `cor_vrc_${Date.now().toString(36)}`;
    const mk = () => ({ ...input('full_cdc', jobId, { verifyAfterLoad: true }), target: pgConnection(fresh) });
    const h = memHooks();
    const order: string[] = [];
    const cp = h.checkpoint.bind(h);
    h.checkpoint = async (stream, position) => {
      await cp(stream, position);
      if (stream === 'cdc' && !order.includes('cdc')) order.push('cdc');
    };
    const ev = h.event.bind(h);
    h.event = (type, message, data) => {
      ev(type, message, data);
      if (type === 'verification.table') order.push(`verified ${String(data?.tableName)} ${String(data?.status)}`);
    };
    const running = runEngineTask(mk(), h);
    // Writes while verification and CDC run: updates of rows verification is comparing.
    let writes = 0;
    const deadline = Date.now() + 60_000;
    while (order.filter((o) => o.startsWith('verified')).length < 2 && Date.now() < deadline) {
      await withPg(src, (c) => c.query(`UPDATE a SET v = v || '+' WHERE id = $1`, [1 + ((writes * 37) % N)]));
      writes++;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(order.filter((o) => o.startsWith('verified'))).toEqual(['verified public.a ok', 'verified public.b ok']);
    expect(order.indexOf('cdc')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('cdc')).toBeLessThan(order.indexOf('verified public.b ok'));
    expect(writes).toBeGreaterThan(5);
    h.abort.abort();
    await running.catch(() => undefined);

    // The restart during CDC: no verification again, CDC checkpoints at once.
    const h2 = memHooks(h.checkpoints);
    const started = Date.now();
    let cdcAt = 0;
    const cp2 = h2.checkpoint.bind(h2);
    h2.checkpoint = async (stream, position) => {
      await cp2(stream, position);
      if (stream === 'cdc' && !cdcAt) cdcAt = Date.now();
    };
    const again = runEngineTask(mk(), h2);
    await withPg(src, (c) => c.query(`UPDATE b SET j = j || '{"after": true}' WHERE id = 1`));
    while (!cdcAt && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 100));
    expect(cdcAt).toBeGreaterThan(0);
    expect(h2.logs.filter((l) => l.message.includes('was finished before the restart')).length).toBe(2);
    expect(h2.logs.some((l) => l.level === 'event' && l.message.startsWith('verification.table'))).toBe(false);
    h2.abort.abort();
    const r = (await again.catch(() => null)) as { verify?: VerifyResult } | null;
    if (r?.verify) expect(r.verify.ok).toBe(true);
  }, 180_000);
});
