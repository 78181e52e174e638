/**
 * One task, in its own worker thread: runs the engine with hooks that talk to
 * the supervisor over the worker port. A crash here (uncaught error, OOM,
 * process.exit) is seen by the supervisor, which restarts the task from its
 * last durable checkpoint.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineHooks, EngineTaskInput, Position } from '../engine/hooks';
import { ConnectorError } from '../connectors/connector-error';
import { describeError, loadEngine } from './engine';
import type { TableControl } from '../protocol/table-states';
import type { ChunkState } from '../protocol';
import type { ToTaskWorker, FromTaskWorker, TaskWorkerData } from './task-worker-messages';

const port = parentPort;
if (!port) throw new Error('task-worker must run in a worker thread');

const data = workerData as TaskWorkerData;
const ac = new AbortController();
let paused = data.paused;
/** Schema changes approved for this job (lease acks); the CDC loop polls them while a table is held. */
let approvals: string[] = [];
let pauseWaiters: (() => void)[] = [];
let reqSeq = 0;
let tableControl: TableControl | null = data.tables ?? null;
const acks = new Map<number, { resolve(): void; reject(e: Error): void }>();
const chunkCalls = new Map<number, { resolve(c: ChunkState[]): void; reject(e: Error): void }>();

function post(m: FromTaskWorker): void {
  port!.postMessage(m);
}

port.on('message', (m: ToTaskWorker) => {
  switch (m.t) {
    case 'pause':
      paused = true;
      break;
    case 'tables':
      tableControl = m.control;
      break;
    case 'approvals':
      approvals = m.ids;
      break;
    case 'resume':
      paused = false;
      for (const w of pauseWaiters) w();
      pauseWaiters = [];
      break;
    case 'stop':
      ac.abort(new Error(m.reason));
      for (const w of pauseWaiters) w();
      pauseWaiters = [];
      break;
    case 'chunks': {
      const c = chunkCalls.get(m.req);
      chunkCalls.delete(m.req);
      if (m.ok) c?.resolve(m.chunks ?? []);
      else
        c?.reject(
          new ConnectorError(`chunk tasks: ${m.error ?? 'the control plane is unreachable'}`, { class: 'transient', code: 'CONTROL_PLANE_UNREACHABLE' }),
        );
      break;
    }
    case 'ack': {
      const a = acks.get(m.req);
      if (!a) return;
      acks.delete(m.req);
      if (m.ok) a.resolve();
      else if (m.unreachable) {
        // The control plane could not be reached: retry from the last durable checkpoint (a write
        // after the lease moved is refused at the target, code FENCED, and the task stops there).
        a.reject(
          new ConnectorError(`checkpoint not stored: ${m.error ?? 'the control plane is unreachable'}`, {
            class: 'transient',
            code: 'CONTROL_PLANE_UNREACHABLE',
          }),
        );
      } else a.reject(new Error(m.error ?? 'checkpoint refused'));
      break;
    }
  }
});

const hooks: EngineHooks = {
  signal: ac.signal,
  resume: data.resume as Record<string, Position>,
  checkpoint(stream, position) {
    if (ac.signal.aborted) return Promise.reject(new Error('task stopped'));
    const req = ++reqSeq;
    return new Promise<void>((resolve, reject) => {
      acks.set(req, { resolve, reject });
      post({ t: 'checkpoint', req, stream, position });
    });
  },
  progress(p) {
    post({ t: 'progress', progress: p as unknown as Record<string, unknown> });
  },
  log(level, message) {
    post({ t: 'log', level, message });
  },
  event(type, message, eventData) {
    post({ t: 'event', type, message, data: eventData ?? {} });
  },
  tableControl: () => tableControl,
  chunks(publish) {
    if (ac.signal.aborted) return Promise.reject(new Error('task stopped'));
    const req = ++reqSeq;
    return new Promise<ChunkState[]>((resolve, reject) => {
      chunkCalls.set(req, { resolve, reject });
      post({ t: 'chunks', req, ...(publish ? { publish } : {}) });
    });
  },
  schemaApprovals() {
    return Promise.resolve(approvals);
  },
  async waitIfPaused() {
    if (!paused || ac.signal.aborted) return;
    post({ t: 'paused' });
    await new Promise<void>((resolve) => pauseWaiters.push(resolve));
  },
};

async function main(): Promise<void> {
  const engine = await loadEngine();
  const input: EngineTaskInput = data.input;
  try {
    const result = await engine.runEngineTask(input, hooks);
    if (ac.signal.aborted) post({ t: 'stopped', result });
    else post({ t: 'done', result });
  } catch (e) {
    if (ac.signal.aborted) post({ t: 'stopped' });
    else post({ t: 'failed', ...describeError(e) });
  }
}

void main();
