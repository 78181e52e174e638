import type { EngineTaskInput } from '../engine/hooks';
import type { ChunkPublish, ChunkState, TableControl, TaskAssignment } from '../protocol';

/** What the engine gets for an assignment; under a lease epoch, the fence its target writes check. */
export function taskInputOf(a: TaskAssignment): EngineTaskInput {
  return {
    jobId: a.jobId,
    runId: a.runId,
    taskId: a.taskId,
    kind: a.kind,
    job: a.job,
    source: a.source,
    ...(a.target ? { target: a.target } : {}),
    taskSpec: a.spec,
    ...(a.epoch ? { lease: { key: `lease:${a.taskId}`, epoch: a.epoch } } : {}),
  };
}

export interface TaskWorkerData {
  /** Loaded by worker-boot.mjs after registering the TypeScript loader. */
  __entry: string;
  input: EngineTaskInput;
  resume: Record<string, Record<string, unknown>>;
  paused: boolean;
  tables?: TableControl;
}

export type ToTaskWorker =
  | { t: 'pause' }
  | { t: 'resume' }
  | { t: 'tables'; control: TableControl }
  | { t: 'stop'; reason: string }
  | { t: 'ack'; req: number; ok: boolean; error?: string; unreachable?: boolean }
  | { t: 'approvals'; ids: string[] }
  | { t: 'chunks'; req: number; ok: boolean; chunks?: ChunkState[]; error?: string };

export type FromTaskWorker =
  | { t: 'checkpoint'; req: number; stream: string; position: Record<string, unknown> }
  | { t: 'chunks'; req: number; publish?: ChunkPublish[] }
  | { t: 'progress'; progress: Record<string, unknown> }
  | { t: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
  | { t: 'event'; type: string; message: string; data: Record<string, unknown> }
  | { t: 'paused' }
  | { t: 'done'; result: Record<string, unknown> }
  | { t: 'failed'; message: string; retryable: boolean; transient?: boolean; code?: string }
  /** A CDC run stopped by the user returns what it applied so far (for its receipt). */
  | { t: 'stopped'; result?: Record<string, unknown> };
