/**
 * A spread full load's coordinator asks the control plane for its chunk tasks (`hooks.chunks`, engine/spread.ts):
 * the supervisor forwards the call fenced by the task's lease and hands the reply back to the worker.
 */
import type { Worker } from 'node:worker_threads';
import { RpcError } from '../protocol';
import type { Upstream } from './task-run';
import type { FromTaskWorker, ToTaskWorker } from './task-worker-messages';

export function forwardChunks(
  upstream: Upstream,
  fence: { taskId: string; leaseId: string },
  w: Worker,
  m: Extract<FromTaskWorker, { t: 'chunks' }>,
  onStale: (why: string) => void,
): void {
  upstream.send('task.chunks', { ...fence, ...(m.publish ? { publish: m.publish } : {}) }).then(
    (r) => w.postMessage({ t: 'chunks', req: m.req, ok: true, chunks: r.chunks } satisfies ToTaskWorker),
    (e: unknown) => {
      w.postMessage({ t: 'chunks', req: m.req, ok: false, error: (e as Error).message } satisfies ToTaskWorker);
      if (e instanceof RpcError && (e.code === 'STALE_LEASE' || e.code === 'NOT_FOUND')) onStale((e as Error).message);
    },
  );
}
