import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { RunRef } from '../core/ports';
import type { Repos } from '../repositories';
import { createJobHandlers } from './catalogue';

/** The handlers take only ports, so they are tested alone: no database, no Redis. */
function setup(o: { created?: string | null; expire?: string } = {}) {
  const calls: string[] = [];
  const handlers = createJobHandlers({
    repos: { tasks: { get: async () => ({ jobId: 'j', runId: 'r' }) } } as unknown as Repos,
    hooks: {
      tasksPending: async (e: RunRef) => void calls.push(`pending ${e.runId}`),
      jobCommand: async (e) => void calls.push(`command ${e.command}`),
    },
    jobs: {
      ensureRunTasks: async () => (calls.push('ensure'), o.created === undefined ? 'task' : o.created),
      settleCommandIfUnheld: async (_t, _j, _r, c) => void calls.push(`settle ${c}`),
    },
    tasks: { expire: async () => (calls.push('expire'), o.expire ?? 'expired') },
    cdcCleanups: { nudge: async (_t, id) => void calls.push(`cleanup ${id}`) },
    alerts: {
      attempt: async (_t, id, n) => void calls.push(`deliver ${id} ${n}`),
      agentOfflineCheck: async (_t, a) => void calls.push(`offline? ${a}`),
    },
  });
  const ctx = { logger: pino({ level: 'silent' }), jobId: '1', attempt: 1 };
  return { calls, handlers, ctx };
}

const ref = { tenantId: 't', jobId: 'j', runId: 'r' };

describe('job handlers', () => {
  it('job.schedule asks scheduling only when it created the run task (a re-delivery does not)', async () => {
    const a = setup();
    await a.handlers['job.schedule'](ref, a.ctx);
    expect(a.calls).toEqual(['ensure', 'pending r']);
    const b = setup({ created: null });
    await b.handlers['job.schedule'](ref, b.ctx);
    expect(b.calls).toEqual(['ensure']);
  });

  it('job.command pushes, settles, and on resume asks for assignment again', async () => {
    const a = setup();
    await a.handlers['job.command']({ ...ref, command: 'pause' }, a.ctx);
    expect(a.calls).toEqual(['command pause', 'settle pause']);
    const b = setup();
    await b.handlers['job.command']({ ...ref, command: 'run' }, b.ctx);
    expect(b.calls).toEqual(['command run', 'settle run', 'pending r']);
  });

  it('alert jobs call the alerts side', async () => {
    const a = setup();
    await a.handlers['alerts.deliver'](
      { tenantId: '00000000-0000-4000-8000-000000000001', deliveryId: '00000000-0000-4000-8000-000000000002', attempt: 2 } as never,
      a.ctx,
    );
    expect(a.calls).toEqual(['deliver 00000000-0000-4000-8000-000000000002 2']);
  });

  it('agent.lease-expire reschedules only an expired lease', async () => {
    const a = setup();
    await a.handlers['agent.lease-expire']({ tenantId: 't', taskId: 'x', leaseId: 'l' }, a.ctx);
    expect(a.calls).toEqual(['expire', 'pending r']);
    const b = setup({ expire: 'rearmed' });
    await b.handlers['agent.lease-expire']({ tenantId: 't', taskId: 'x', leaseId: 'l' }, b.ctx);
    expect(b.calls).toEqual(['expire']);
  });
});
