import { describe, expect, it } from 'vitest';
import { RpcError, RpcPeer, type RpcMetric } from './rpc';

/** Two peers wired back to back, with a controllable buffer on a's side. */
function pair(opts: { buffered?: () => number; timeoutMs?: number; slowMs?: number } = {}) {
  const metrics: RpcMetric[] = [];
  const slow: string[] = [];
  const sentByA: string[] = [];
  let a!: RpcPeer;
  let b!: RpcPeer;
  a = new RpcPeer(
    {
      send: (d) => {
        sentByA.push(d);
        queueMicrotask(() => b.receive(d));
      },
      bufferedAmount: opts.buffered ?? (() => 0),
    },
    { timeoutMs: opts.timeoutMs, slowMs: opts.slowMs, onMetric: (m) => metrics.push(m), onSlow: (s) => slow.push(s.type), idPrefix: 'a' },
  );
  b = new RpcPeer({ send: (d) => queueMicrotask(() => a.receive(d)), bufferedAmount: () => 0 }, { idPrefix: 'b' });
  return { a, b, metrics, slow, sentByA };
}

const task = '6f1c8a52-7d0e-4a44-9a51-0c5d6c1b2f10';
const lease = '0b8e4a1c-2f5d-4d2e-8c3a-9a7b6c5d4e3f';

describe('RpcPeer', () => {
  it('matches replies to calls and types the reply', async () => {
    const { a, b } = pair();
    b.handle('lease.extend', (p) => ({ expiresAt: 123, command: p.taskId === task ? 'pause' : 'run' }));
    await expect(a.call('lease.extend', { taskId: task, leaseId: lease })).resolves.toEqual({ expiresAt: 123, command: 'pause' });
  });

  it('turns a thrown RpcError into an error reply with its code', async () => {
    const { a, b } = pair();
    b.handle('task.checkpoint', () => {
      throw new RpcError('STALE_LEASE', 'lease lost');
    });
    await expect(a.call('task.checkpoint', { taskId: task, leaseId: lease, stream: 's', position: {} })).rejects.toMatchObject({
      code: 'STALE_LEASE',
      message: 'lease lost',
    });
  });

  it('answers an unhandled type with UNSUPPORTED', async () => {
    const { a } = pair();
    await expect(a.call('task.paused', { taskId: task, leaseId: lease })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('times out and reports the call as slow', async () => {
    const { a, b, metrics } = pair({ timeoutMs: 30 });
    b.handle('task.paused', () => new Promise(() => {}));
    await expect(a.call('task.paused', { taskId: task, leaseId: lease })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(metrics).toContainEqual(expect.objectContaining({ kind: 'call', type: 'task.paused', outcome: 'timeout' }));
    expect(a.pendingCount).toBe(0);
  });

  it('cancels: the caller rejects and the handler sees its signal aborted', async () => {
    const { a, b } = pair();
    let aborted = false;
    b.handle(
      'task.paused',
      (_p, ctx) =>
        new Promise((resolve) =>
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            resolve({});
          }),
        ),
    );
    const ac = new AbortController();
    const p = a.call('task.paused', { taskId: task, leaseId: lease }, { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    await new Promise((r) => setTimeout(r, 5));
    expect(aborted).toBe(true);
  });

  it('holds frames while the transport buffer is above the high-water mark', async () => {
    let buffered = 10 << 20;
    const { a, b, sentByA } = pair({ buffered: () => buffered });
    b.handle('task.paused', () => ({}));
    const p = a.call('task.paused', { taskId: task, leaseId: lease });
    await new Promise((r) => setTimeout(r, 30));
    expect(sentByA).toHaveLength(0);
    buffered = 0;
    await expect(p).resolves.toEqual({});
    expect(sentByA).toHaveLength(1);
  });

  it('rejects pending calls on close and refuses new ones', async () => {
    const { a, b } = pair();
    b.handle('task.paused', () => new Promise(() => {}));
    const p = a.call('task.paused', { taskId: task, leaseId: lease });
    a.close('socket closed');
    await expect(p).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(a.call('task.paused', { taskId: task, leaseId: lease })).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('answers a frame with a bad payload with BAD_FRAME', async () => {
    const replies: string[] = [];
    const peer = new RpcPeer({ send: (d) => replies.push(d), bufferedAmount: () => 0 });
    peer.receive(JSON.stringify({ v: 1, id: 'x1', type: 'task.checkpoint', ts: 1, payload: { taskId: 'nope' } }));
    expect(JSON.parse(replies[0]!)).toMatchObject({ replyTo: 'x1', type: 'error', payload: { code: 'BAD_FRAME' } });
  });

  it('refuses to send a frame above the size limit', async () => {
    const peer = new RpcPeer({ send: () => {}, bufferedAmount: () => 0 }, { maxFrameBytes: 200 });
    await expect(peer.call('task.log', { taskId: task, leaseId: lease, level: 'info', message: 'x'.repeat(500) })).rejects.toMatchObject({
      code: 'FRAME_TOO_LARGE',
    });
  });
});
