import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { MessageType, TaskAssignment } from '../protocol';
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
});
