import type { EngineTaskInput } from '../engine/hooks';

export interface TaskWorkerData {
  /** Loaded by worker-boot.mjs after registering the TypeScript loader. */
  __entry: string;
  input: EngineTaskInput;
  resume: Record<string, Record<string, unknown>>;
  paused: boolean;
}

export type ToTaskWorker =
  | { t: 'pause' }
  | { t: 'resume' }
  | { t: 'stop'; reason: string }
  | { t: 'ack'; req: number; ok: boolean; error?: string };

export type FromTaskWorker =
  | { t: 'checkpoint'; req: number; stream: string; position: Record<string, unknown> }
  | { t: 'progress'; progress: Record<string, unknown> }
  | { t: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
  | { t: 'event'; type: string; message: string; data: Record<string, unknown> }
  | { t: 'paused' }
  | { t: 'done'; result: Record<string, unknown> }
  | { t: 'failed'; message: string; retryable: boolean; transient?: boolean }
  | { t: 'stopped' };
