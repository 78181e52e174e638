import { EventEmitter } from 'node:events';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors';
import type { Repos, UnitOfWork } from '../repositories';
import type { OutboxRow } from '../repositories/outbox';
import { JobOutbox } from './outbox';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** An in-memory outbox table and a queue that can be told to refuse. */
function setup(opts: { refuse?: (name: string, jobId: string) => boolean; status?: string } = {}) {
  const rows: OutboxRow[] = [];
  let next = 1;
  const added: Array<{ name: string; jobId: string }> = [];
  const repos = {
    outbox: {
      add: async (tenantId: string, v: { name: string; data: Record<string, unknown>; jobId: string | null }) => {
        const row = { id: next++, tenantId, ...v, attempts: 0, lastError: null, createdAt: new Date() };
        rows.push(row);
        return row;
      },
      claim: async (limit: number, ids?: readonly number[]) => rows.filter((r) => !ids || ids.includes(r.id)).slice(0, limit),
      remove: async (ids: readonly number[]) => {
        for (const id of ids)
          rows.splice(
            rows.findIndex((r) => r.id === id),
            1,
          );
      },
      noteFailure: async (id: number, error: string) => {
        const r = rows.find((x) => x.id === id)!;
        r.attempts++;
        r.lastError = error;
      },
    },
  } as unknown as Repos;
  const uow: UnitOfWork = (fn) => fn(repos);
  const queue = {
    add: async (name: string, _data: unknown, o: { jobId: string }) => {
      if (opts.refuse?.(name, o.jobId)) throw new Error('NOPERM no permissions to run the evalsha command');
      added.push({ name, jobId: o.jobId });
    },
  } as unknown as Queue;
  const producer = Object.assign(new EventEmitter(), { status: opts.status ?? 'ready' }) as unknown as Redis;
  const outbox = new JobOutbox({ uow, queue, producer, logger: pino({ level: 'silent' }) }, { pollMs: 60_000, readyWaitMs: 50 });
  return { rows, added, repos, outbox, producer };
}

describe('JobOutbox', () => {
  it('delivers after commit with the definition’s de-duplication id, else outbox-<id>, and deletes what it delivered', async () => {
    const { rows, added, repos, outbox } = setup();
    const a = await outbox.add(repos, uuid(1), 'job.schedule', { tenantId: uuid(1), jobId: uuid(2), runId: uuid(3) });
    const b = await outbox.add(repos, uuid(1), 'job.command', { tenantId: uuid(1), jobId: uuid(2), runId: uuid(3), command: 'pause' });
    await outbox.flush([a, b]);
    expect(added).toEqual([
      { name: 'job.schedule', jobId: `job.schedule-${uuid(3)}` },
      { name: 'job.command', jobId: `outbox-${b}` },
    ]);
    expect(rows).toEqual([]);
  });

  it('keeps a row the queue refused (and the ones after it, in order) for the poller, noting the error', async () => {
    let refuse = true;
    const { rows, added, repos, outbox } = setup({ refuse: (name) => refuse && name === 'job.schedule' });
    const a = await outbox.add(repos, uuid(1), 'job.schedule', { tenantId: uuid(1), jobId: uuid(2), runId: uuid(3) });
    const b = await outbox.add(repos, uuid(1), 'job.command', { tenantId: uuid(1), jobId: uuid(2), runId: uuid(3), command: 'stop' });
    await outbox.flush([a, b]); // never throws
    expect(added).toEqual([]);
    expect(rows.map((r) => [r.id, r.attempts, r.lastError?.slice(0, 6) ?? null])).toEqual([
      [a, 1, 'NOPERM'],
      [b, 0, null],
    ]);
    refuse = false;
    await outbox.drain();
    expect(added.map((x) => x.name)).toEqual(['job.schedule', 'job.command']);
    expect(rows).toEqual([]);
  });

  it('refuses a bad payload before writing anything', async () => {
    const { rows, repos, outbox } = setup();
    await expect(outbox.add(repos, uuid(1), 'job.schedule', { tenantId: 'nope', jobId: uuid(2), runId: uuid(3) })).rejects.toThrow(/tenantId/);
    expect(rows).toEqual([]);
  });

  it('assertAvailable: passes when ready, waits briefly for a reconnect, else fails with UNAVAILABLE', async () => {
    expect(await setup().outbox.assertAvailable()).toBeUndefined();
    const late = setup({ status: 'reconnecting' });
    setTimeout(() => late.producer.emit('ready'), 10);
    await expect(late.outbox.assertAvailable()).resolves.toBeUndefined();
    const down = setup({ status: 'reconnecting' });
    const e = await down.outbox.assertAvailable().catch((err: unknown) => err);
    expect(isAppError(e) && e.code).toBe('UNAVAILABLE');
    expect((e as Error).message).toMatch(/Redis\) is unreachable, so nothing was changed/);
  });
});
