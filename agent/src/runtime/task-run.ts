/**
 * One task held by the supervisor: its assignment, the command in force, the
 * checkpoints committed so far, its worker thread, restarts and wait budget.
 */
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { maxWaitMs, type MessageType, type Payload, type ReplyOf, type TableControl, type TaskAssignment } from '../protocol';
import type { ReceiptSigner } from '../receipt/task-receipt';
import { WaitBudget, endpointOf } from './wait-budget';

export interface Upstream {
  /** Sends to the control plane, waiting for a connection if there is none right now. */
  send<T extends MessageType>(type: T, payload: Payload<T>): Promise<ReplyOf<T>>;
}

export type Command = 'run' | 'pause' | 'stop';

export interface TaskRun {
  a: TaskAssignment;
  /** When this agent started the task (the receipt's startedAt). */
  startedAt: number;
  command: Command;
  /** The latest table control from the control plane (re-sent to a restarted worker). */
  tables?: TableControl;
  checkpoints: Record<string, Record<string, unknown>>;
  worker: Worker | null;
  restarts: number;
  /** Transient failures (source or target unreachable) are waited out within this budget. */
  wait: WaitBudget;
  /** Set once a terminal message was sent upstream or the lease was lost. */
  ended: boolean;
  /** Why the worker was told to stop: a stop command, a drain, or a lost lease. */
  stopping: 'command' | 'drain' | 'lost' | null;
  lastProgress: Record<string, unknown> | null;
  /** What the engine returned when it was stopped (a CDC run's position and counts), for the receipt. */
  stopResult?: Record<string, unknown>;
  progressTimer: ReturnType<typeof setTimeout> | null;
  restartTimer: ReturnType<typeof setTimeout> | null;
  /** Resolves when the task has left the supervisor. */
  done: Promise<void>;
  resolveDone(): void;
}

export interface SupervisorOptions {
  capacity: number;
  maxRestarts: number;
  upstream: Upstream;
  log: Logger;
  restartBaseMs?: number;
  restartCapMs?: number;
  /** Backoff between retries of a task waiting out a transient error (default 1 s doubling to 60 s, full jitter). */
  waitBaseMs?: number;
  waitCapMs?: number;
  progressIntervalMs?: number;
  /** The worker entry (tests may point it elsewhere). */
  taskEntry?: URL;
  /** Signs each task's correctness receipt with the agent's key (none: no receipt is sent). */
  signReceipt?: ReceiptSigner;
}

/** A new run of an assignment: its checkpoints so far, no worker yet, and the job's wait budget. */
export function newTaskRun(a: TaskAssignment, o: Pick<SupervisorOptions, 'waitBaseMs' | 'waitCapMs'>): TaskRun {
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  return {
    a,
    startedAt: Date.now(),
    command: a.command,
    checkpoints: { ...a.checkpoints },
    worker: null,
    restarts: 0,
    wait: new WaitBudget({ maxWaitMs: maxWaitMs(a.job), baseMs: o.waitBaseMs ?? 1_000, capMs: o.waitCapMs ?? 60_000 }),
    ended: false,
    stopping: null,
    lastProgress: null,
    progressTimer: null,
    restartTimer: null,
    done,
    resolveDone,
  };
}

/** Which side a transient error is about (the source or the target, with its host when known), for the waiting message. */
export function taskEndpoint(run: TaskRun, message: string): string {
  const hint = (c: TaskAssignment['source']) => ({ kind: c.kind, ...('host' in c.config ? { host: String(c.config.host), port: Number(c.config.port) } : {}) });
  return endpointOf(message, hint(run.a.source), run.a.target ? hint(run.a.target) : undefined);
}

type TableStates = Record<string, { state: string; reason?: string | null; rowsCopied?: number }>;

/** Each CDC task's tables and their states, from its latest progress (the status file; issue 14 §5). */
export function tableStatesOf(runs: Iterable<TaskRun>): { taskId: string; jobId: string; tables: TableStates }[] {
  const out = [];
  for (const t of runs) {
    const cdc = (t.lastProgress as { cdc?: { tableStates?: TableStates } } | undefined)?.cdc;
    if (cdc?.tableStates) out.push({ taskId: t.a.taskId, jobId: t.a.jobId, tables: cdc.tableStates });
  }
  return out;
}
