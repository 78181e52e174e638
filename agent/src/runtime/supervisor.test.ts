import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RpcError, type MessageType, type TaskAssignment } from '../protocol';
import { checkReceipt, type Receipt } from '../receipt/receipt';
import { credentialSigner, type ReceiptSigner } from '../receipt/task-receipt';
import { generateKeyPair } from './credentials';
import { Supervisor, type Upstream } from './supervisor';

function assignment(taskSpec: Record<string, unknown>): TaskAssignment {
  return {
    taskId: '6f1c8a52-7d0e-4a44-9a51-0c5d6c1b2f10',
    jobId: '0b8e4a1c-2f5d-4d2e-8c3a-9a7b6c5d4e3f',
    runId: '1b8e4a1c-2f5d-4d2e-8c3a-9a7b6c5d4e3f',
    leaseId: '2b8e4a1c-2f5d-4d2e-8c3a-9a7b6c5d4e3f',
    leaseTtlMs: 3000,
    kind: 'run',
    spec: taskSpec,
    job: { mode: 'full', tables: { include: ['*'], exclude: [] }, mapping: {}, options: {} } as unknown as TaskAssignment['job'],
    source: { kind: 'postgres', config: { host: 'h', port: 5432, user: 'u', database: 'd', schema: 'public', ssl: false } },
    checkpoints: { 'chunk:s.t:earlier': { v: 1, from: 'control plane' } },
    command: 'run',
  };
}

/** Records what the supervisor sends upstream (the control plane is not under test here). */
function recorder(): Upstream & { sent: { type: MessageType; payload: unknown }[] } {
  const sent: { type: MessageType; payload: unknown }[] = [];
  return {
    sent,
    async send(type, payload) {
      sent.push({ type, payload });
      return {} as never;
    },
  };
}

describe('Supervisor', () => {
  it('restarts a crashed task worker with backoff, resuming from the checkpoints acknowledged so far', async () => {
    const up = recorder();
    const sup = new Supervisor({
      capacity: 1,
      maxRestarts: 5,
      upstream: up,
      log: pino({ level: 'silent' }),
      restartBaseMs: 20,
      restartCapMs: 100,
      taskEntry: new URL('./supervisor-fixture-task.ts', import.meta.url),
    });
    const counterFile = path.join(mkdtempSync(path.join(tmpdir(), 'sup-')), 'n');
    expect(sup.assign(assignment({ counterFile, crashTimes: 2 }))).toEqual({ accepted: true });
    expect(sup.freeSlots).toBe(0);
    expect(sup.assign({ ...assignment({}), taskId: '7f1c8a52-7d0e-4a44-9a51-0c5d6c1b2f10' })).toMatchObject({ accepted: false });
    const t0 = Date.now();
    while (!up.sent.some((s) => s.type === 'task.complete') && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
    const restarts = up.sent.filter((s) => s.type === 'task.event' && (s.payload as { type: string }).type === 'task.restarted');
    expect(restarts).toHaveLength(2);
    const done = up.sent.find((s) => s.type === 'task.complete')!.payload as { result: { runs: number; resumedFrom: Record<string, unknown> } };
    expect(done.result.runs).toBe(3);
    expect(Object.keys(done.result.resumedFrom).sort()).toEqual(['chunk:s.t:0', 'chunk:s.t:1', 'chunk:s.t:earlier']);
    expect(sup.freeSlots).toBe(1);
  });

  it('reports the task failed (retryable) once it keeps crashing', async () => {
    const up = recorder();
    const sup = new Supervisor({
      capacity: 2,
      maxRestarts: 1,
      upstream: up,
      log: pino({ level: 'silent' }),
      restartBaseMs: 10,
      restartCapMs: 20,
      taskEntry: new URL('./supervisor-fixture-task.ts', import.meta.url),
    });
    const counterFile = path.join(mkdtempSync(path.join(tmpdir(), 'sup-')), 'n');
    sup.assign(assignment({ counterFile, crashTimes: 10 }));
    const t0 = Date.now();
    while (!up.sent.some((s) => s.type === 'task.fail') && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
    expect(up.sent.find((s) => s.type === 'task.fail')?.payload).toMatchObject({ retryable: true, error: expect.stringMatching(/crashed 2 times/) });
  });

  function waitingSupervisor(up: Upstream, signReceipt?: ReceiptSigner) {
    return new Supervisor({
      ...(signReceipt ? { signReceipt } : {}),
      capacity: 2,
      maxRestarts: 1,
      upstream: up,
      log: pino({ level: 'silent' }),
      waitBaseMs: 20,
      waitCapMs: 40,
      taskEntry: new URL('./supervisor-fixture-task.ts', import.meta.url),
    });
  }
  async function until(up: ReturnType<typeof recorder>, type: MessageType): Promise<void> {
    const t0 = Date.now();
    while (!up.sent.some((s) => s.type === type) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 20));
  }
  const events = (up: ReturnType<typeof recorder>, type: string) =>
    up.sent
      .filter((s) => s.type === 'task.event' && (s.payload as { type: string }).type === type)
      .map((s) => s.payload as { message: string; data: Record<string, unknown> });

  it('waits out transient errors (not a task failure), says which side it waits for, and reports the recovery', async () => {
    const up = recorder();
    const sup = waitingSupervisor(up);
    const counterFile = path.join(mkdtempSync(path.join(tmpdir(), 'sup-')), 'n');
    sup.assign(assignment({ counterFile, crashTimes: 0, transientTimes: 3 }));
    await until(up, 'task.complete');
    expect(up.sent.some((s) => s.type === 'task.fail')).toBe(false);
    const waiting = events(up, 'job.waiting');
    expect(waiting.map((w) => w.data.failures)).toEqual([1, 2, 3]);
    expect(waiting[2]!.message).toBe('waiting for the source: cannot reach PostgreSQL at h:5432: connect ECONNREFUSED (run 2)');
    expect(waiting[0]!.data).toMatchObject({ endpoint: 'source', maxWaitMinutes: 360 });
    expect(events(up, 'job.recovered')).toHaveLength(1);
    const done = up.sent.find((s) => s.type === 'task.complete')!.payload as { result: { runs: number } };
    expect(done.result.runs).toBe(4);
  });

  it('fails for good (not retryable) once the wait budget is spent, with the last error', async () => {
    const up = recorder();
    const sup = waitingSupervisor(up);
    const counterFile = path.join(mkdtempSync(path.join(tmpdir(), 'sup-')), 'n');
    const a = assignment({ counterFile, crashTimes: 0, transientTimes: 5 });
    sup.assign({ ...a, job: { ...a.job, retry: { maxWaitMinutes: 0 } } });
    await until(up, 'task.fail');
    expect(events(up, 'job.waiting')).toHaveLength(0);
    expect(up.sent.find((s) => s.type === 'task.fail')?.payload).toMatchObject({
      retryable: false,
      error: expect.stringMatching(/^gave up waiting for the source after 0 min \(retry.maxWaitMinutes\): cannot reach PostgreSQL/),
    });
  });

  it('a configuration error fails at once, with its fix, and is never waited out', async () => {
    const up = recorder();
    const sup = waitingSupervisor(up);
    const counterFile = path.join(mkdtempSync(path.join(tmpdir(), 'sup-')), 'n');
    sup.assign(assignment({ counterFile, crashTimes: 0, configError: true }));
    await until(up, 'task.fail');
    expect(events(up, 'job.waiting')).toHaveLength(0);
    expect(up.sent.find((s) => s.type === 'task.fail')?.payload).toMatchObject({
      retryable: false,
      error: expect.stringMatching(/refused the login.*fix: check the user name and password/),
    });
  });

  it('a write fenced at the target stops the task and reports nothing (the newer lease owns it)', async () => {
    const up = recorder();
    const sup = waitingSupervisor(up);
    const counterFile = path.join(mkdtempSync(path.join(tmpdir(), 'sup-')), 'n');
    const a = assignment({ counterFile, crashTimes: 0, fenced: true });
    sup.assign({ ...a, epoch: 1 });
    const t0 = Date.now();
    while (sup.inFlight().length && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 20));
    expect(sup.inFlight()).toHaveLength(0);
    expect(up.sent.filter((s) => s.type === 'task.fail' || s.type === 'task.complete' || s.type === 'task.release')).toHaveLength(0);
    expect(events(up, 'job.waiting')).toHaveLength(0);
  });

  it('sends the run’s signed receipt just before the task’s end: completed, failed, crashed for good', async () => {
    const key = generateKeyPair();
    const sign = credentialSigner({ privateKey: key.privateKeyPem, agentId: '3b8e4a1c-2f5d-4d2e-8c3a-9a7b6c5d4e3f' });
    for (const [spec, end] of [
      [{ crashTimes: 0 }, 'task.complete'],
      [{ crashTimes: 0, configError: true }, 'task.fail'],
      [{ crashTimes: 10 }, 'task.fail'],
    ] as const) {
      const up = recorder();
      const sup = waitingSupervisor(up, sign);
      sup.assign(assignment({ counterFile: path.join(mkdtempSync(path.join(tmpdir(), 'sup-')), 'n'), ...spec }));
      await until(up, end);
      const types = up.sent.map((s) => s.type).filter((t) => t === 'task.receipt' || t === end);
      expect(types).toEqual(['task.receipt', end]);
      const { receipt } = up.sent.find((s) => s.type === 'task.receipt')!.payload as { receipt: Receipt };
      expect(receipt.body).toMatchObject({ runId: assignment({}).runId, end: end === 'task.fail' ? 'failed' : 'completed' });
      expect(checkReceipt(receipt, key.publicKeyB64)).toEqual([]);
    }
  });
  it('a late refusal of an old lease does not stop the run re-assigned to this agent under a new one', async () => {
    // A lease that expired under a live (CPU-starved) agent is often given back to the same agent: the old run's
    // checkpoint, still in flight, is then refused (STALE_LEASE), and that must stop the OLD run only.
    const held = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
    const sent: { type: MessageType; payload: { leaseId?: string } }[] = [];
    const up: Upstream = {
      send(type, payload) {
        sent.push({ type, payload: payload as { leaseId?: string } });
        if (type !== 'task.checkpoint') return Promise.resolve({} as never);
        return new Promise((resolve, reject) => held.set((payload as { leaseId: string }).leaseId, { resolve: () => resolve({} as never), reject }));
      },
    };
    const sup = waitingSupervisor(up);
    const counterFile = path.join(mkdtempSync(path.join(tmpdir(), 'sup-')), 'n');
    const old = assignment({ counterFile, crashTimes: 0 });
    const renewed = { ...old, leaseId: '3b8e4a1c-2f5d-4d2e-8c3a-9a7b6c5d4e3f' };
    const t0 = Date.now();
    const until = async (ok: () => boolean) => {
      while (!ok() && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 20));
    };
    sup.assign(old);
    await until(() => held.has(old.leaseId));
    expect(sup.assign(renewed)).toEqual({ accepted: true });
    await until(() => held.has(renewed.leaseId));
    held.get(old.leaseId)!.reject(new RpcError('STALE_LEASE', 'lease is not current'));
    await new Promise((r) => setTimeout(r, 100));
    expect(sup.inFlight()).toEqual([{ taskId: old.taskId, leaseId: renewed.leaseId }]);
    held.get(renewed.leaseId)!.resolve();
    await until(() => sent.some((s) => s.type === 'task.complete'));
    expect(sent.find((s) => s.type === 'task.complete')?.payload.leaseId).toBe(renewed.leaseId);
  });
});
