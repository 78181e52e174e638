/**
 * Runs each assigned task in its own worker thread and keeps it alive: a task
 * whose worker crashes is restarted with backoff from its last durable
 * checkpoint (failover level 2). Everything a task reports goes upstream
 * fenced by its lease; a stale lease stops the task.
 */
import { Worker } from 'node:worker_threads';
import { RpcError, maxWaitMs, type MessageType, type Payload, type TableControl, type TaskAssignment } from '../protocol';
import { fullJitterDelay } from './backoff';
import { taskInputOf, type FromTaskWorker, type TaskWorkerData, type ToTaskWorker } from './task-worker-messages';
import { workerEntry } from './worker-entry';
import { newTaskRun, tableStatesOf, taskEndpoint, type Command, type SupervisorOptions, type TaskRun } from './task-run';
import { sendTaskReceipt } from './task-receipt-send';
import { forwardChunks } from './chunk-calls';

export type { SupervisorOptions, Upstream } from './task-run';

/** Old-generation heap limit of each task worker thread (MB). */
const TASK_HEAP_MB = 256;

export class Supervisor {
  private readonly tasks = new Map<string, TaskRun>();
  /** Events and logs sent and not yet answered, per task: the task's end waits for them (the api refuses them after it). */
  private readonly unanswered = new Map<string, Set<Promise<unknown>>>();
  private accepting = true;

  constructor(private readonly o: SupervisorOptions) {}

  get capacity(): number {
    return this.o.capacity;
  }

  get freeSlots(): number {
    return Math.max(0, this.o.capacity - this.tasks.size);
  }

  /** Tasks held here, including ones whose final report (complete/fail/release) is still on its way. */
  inFlight(): { taskId: string; leaseId: string }[] {
    return [...this.tasks.values()].map((t) => ({ taskId: t.a.taskId, leaseId: t.a.leaseId }));
  }

  /** Each CDC task's tables and their states, from its latest progress (the status file; issue 14 §5). */
  tableStates(): ReturnType<typeof tableStatesOf> {
    return tableStatesOf(this.tasks.values());
  }

  /** A new assignment from the control plane. Returns whether it was taken. */
  assign(a: TaskAssignment): { accepted: boolean; reason?: string } {
    const existing = this.tasks.get(a.taskId);
    if (existing && existing.a.leaseId === a.leaseId) return { accepted: true };
    if (existing) {
      // Re-assigned to us under a new lease while the old run still lingers: replace it.
      this.abandon(a.taskId, 'reassigned under a new lease');
    }
    if (!this.accepting) return { accepted: false, reason: 'the agent is shutting down' };
    if (this.freeSlots <= 0) return { accepted: false, reason: `no free slot (capacity ${this.o.capacity})` };
    const run = newTaskRun(a, this.o);
    this.tasks.set(a.taskId, run);
    this.o.log.info({ taskId: a.taskId, jobId: a.jobId, kind: a.kind, resumeStreams: Object.keys(a.checkpoints).length }, 'task assigned');
    if (a.command === 'stop') {
      void this.finish(run, () => this.o.upstream.send('task.release', { taskId: a.taskId, leaseId: a.leaseId }));
      return { accepted: true };
    }
    this.spawn(run);
    return { accepted: true };
  }

  /** A command pushed by the control plane or echoed in a lease ack. */
  command(taskId: string, leaseId: string, command: Command): void {
    const run = this.tasks.get(taskId);
    if (run?.a.leaseId !== leaseId || run.ended || run.command === command) return;
    this.o.log.info({ taskId, command }, 'task command');
    run.command = command;
    if (command === 'pause') this.post(run, { t: 'pause' });
    else if (command === 'run') this.post(run, { t: 'resume' });
    else this.stopWorker(run, 'command', 'stopped by the user');
  }

  /** The tables a CDC task should have (echoed in every lease ack): handed to the task as is. */
  tables(taskId: string, leaseId: string, control: TableControl): void {
    const run = this.tasks.get(taskId);
    if (run?.a.leaseId !== leaseId || run.ended || (run.tables && JSON.stringify(run.tables) === JSON.stringify(control))) return;
    run.tables = control;
    this.post(run, { t: 'tables', control });
  }

  /** Schema changes approved for the task's job (from a lease ack): handed to the task as they are. */
  schemaApprovals(taskId: string, leaseId: string, ids: string[]): void {
    const run = this.tasks.get(taskId);
    if (run?.a.leaseId === leaseId && !run.ended) this.post(run, { t: 'approvals', ids });
  }

  /** The lease is gone: stop at once, tell nobody. With `leaseId`, only a run under it (not one re-assigned here since). */
  abandon(taskId: string, reason: string, leaseId?: string): void {
    const run = this.tasks.get(taskId);
    if (!run || run.ended || (leaseId !== undefined && run.a.leaseId !== leaseId)) return;
    this.o.log.warn({ taskId, reason }, 'task abandoned: lease lost');
    run.ended = true;
    this.stopWorker(run, 'lost', reason);
    this.remove(run);
  }

  /** SIGTERM: take no more work, stop every task at its next checkpoint boundary, and release the leases. */
  async drain(timeoutMs: number): Promise<void> {
    this.accepting = false;
    const runs = [...this.tasks.values()];
    for (const run of runs) this.stopWorker(run, 'drain', 'the agent is shutting down');
    const all = Promise.all(runs.map((r) => r.done));
    await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs))]);
    for (const run of this.tasks.values()) {
      run.worker?.terminate().catch(() => {});
      this.remove(run);
    }
  }

  private spawn(run: TaskRun): void {
    const a = run.a;
    const boot = workerEntry('task-worker', this.o.taskEntry);
    const data: TaskWorkerData = {
      __entry: boot.entry,
      input: taskInputOf(a),
      resume: run.checkpoints,
      paused: run.command === 'pause',
      ...(run.tables ? { tables: run.tables } : {}),
    };
    // A heap cap per task keeps the agent's RSS bounded (the engine's own memory is bounded by
    // batch size and parallelism; without a cap V8 grows the old space lazily on wide rows).
    // A worker that still runs out is restarted from its checkpoints like any other crash.
    const w = new Worker(boot.url, { workerData: data, stdout: false, stderr: false, resourceLimits: { maxOldGenerationSizeMb: TASK_HEAP_MB } });
    run.worker = w;
    let terminal = false;
    w.on('message', (m: FromTaskWorker) => {
      if (m.t === 'done' || m.t === 'failed' || m.t === 'stopped') terminal = true;
      void this.onWorkerMessage(run, w, m);
    });
    w.on('error', (e) => {
      // The stack names the code that let an error escape (never row data: messages are the drivers').
      this.o.log.error({ taskId: a.taskId, err: e.message, stack: e.stack?.split('\n').slice(0, 12).join('\n') }, 'task worker crashed');
    });
    w.on('exit', (code) => {
      if (run.worker === w) run.worker = null;
      if (terminal || run.ended) return;
      if (run.stopping) {
        // Stopped before it could say so.
        void this.afterStop(run);
        return;
      }
      this.onCrash(run, code);
    });
  }

  private onCrash(run: TaskRun, code: number): void {
    const a = run.a;
    if (run.restarts >= this.o.maxRestarts) {
      this.o.log.error({ taskId: a.taskId, code, restarts: run.restarts }, 'task worker keeps crashing: reporting the task failed');
      const error = `the task worker crashed ${run.restarts + 1} times (last exit code ${code})`;
      void sendTaskReceipt(this.o, run, { outcome: 'failed', error }).then(() =>
        this.finish(run, () => this.o.upstream.send('task.fail', { taskId: a.taskId, leaseId: a.leaseId, error, retryable: true })),
      );
      return;
    }
    const delay = Math.max(50, fullJitterDelay(run.restarts, this.o.restartBaseMs ?? 500, this.o.restartCapMs ?? 30_000));
    run.restarts += 1;
    this.o.log.warn({ taskId: a.taskId, code, restart: run.restarts, delayMs: delay }, 'task worker crashed: restarting from the last checkpoint');
    this.sendQuiet('task.event', {
      taskId: a.taskId,
      leaseId: a.leaseId,
      type: 'task.restarted',
      message: `task worker crashed (exit ${code}); restart ${run.restarts} of ${this.o.maxRestarts} in ${delay} ms from the last checkpoint`,
      data: { restart: run.restarts, exitCode: code },
    });
    run.restartTimer = setTimeout(() => {
      run.restartTimer = null;
      if (!run.ended && !run.stopping) this.spawn(run);
    }, delay);
  }

  private async onWorkerMessage(run: TaskRun, w: Worker, m: FromTaskWorker): Promise<void> {
    const a = run.a;
    const fence = { taskId: a.taskId, leaseId: a.leaseId };
    switch (m.t) {
      case 'checkpoint': {
        try {
          if (run.ended) throw new Error('the task no longer holds its lease');
          await this.o.upstream.send('task.checkpoint', { ...fence, stream: m.stream, position: m.position });
          run.checkpoints[m.stream] = m.position;
          w.postMessage({ t: 'ack', req: m.req, ok: true } satisfies ToTaskWorker);
          if (run.wait.healthy()) this.recovered(run);
        } catch (e) {
          const unreachable = e instanceof RpcError && (e.code === 'CLOSED' || e.code === 'TIMEOUT');
          w.postMessage({ t: 'ack', req: m.req, ok: false, error: (e as Error).message, unreachable } satisfies ToTaskWorker);
          if (e instanceof RpcError && (e.code === 'STALE_LEASE' || e.code === 'NOT_FOUND')) this.abandon(a.taskId, e.message, a.leaseId);
        }
        return;
      }
      case 'chunks':
        forwardChunks(this.o.upstream, fence, w, m, (why) => this.abandon(a.taskId, why, a.leaseId));
        return;
      case 'progress':
        run.lastProgress = m.progress;
        this.scheduleProgress(run);
        return;
      case 'log':
        this.sendQuiet('task.log', { ...fence, level: m.level, message: m.message.slice(0, 8000) });
        return;
      case 'event':
        this.sendQuiet('task.event', { ...fence, type: m.type.slice(0, 64), message: m.message.slice(0, 8000), data: m.data });
        return;
      case 'paused':
        this.sendQuiet('task.paused', fence);
        return;
      case 'done':
        await this.flushProgress(run);
        await this.settleSends(a.taskId);
        await sendTaskReceipt(this.o, run, { outcome: 'completed', result: m.result });
        await this.finish(run, () => this.o.upstream.send('task.complete', { ...fence, result: m.result }));
        return;
      case 'failed': {
        if (m.code === 'FENCED') {
          // The target refused the write: a newer lease exists, another agent runs the task. Stop, report nothing.
          this.abandon(a.taskId, m.message, a.leaseId);
          return;
        }
        await this.flushProgress(run);
        await this.settleSends(a.taskId);
        if (m.transient && this.waitOut(run, w, m.message)) return;
        const gaveUp = m.transient && !run.stopping && run.command !== 'stop';
        const error = gaveUp
          ? `gave up waiting for the ${taskEndpoint(run, m.message)} after ${Math.round(maxWaitMs(a.job) / 60_000)} min (retry.maxWaitMinutes): ${m.message}`
          : m.message;
        // Out of the job's wait budget: fail for good (the control plane's attempts would only retry in a burst).
        await sendTaskReceipt(this.o, run, { outcome: 'failed', error });
        await this.finish(run, () => this.o.upstream.send('task.fail', { ...fence, error, retryable: m.retryable && !gaveUp }));
        return;
      }
      case 'stopped':
        run.stopResult = m.result;
        await this.flushProgress(run);
        await this.afterStop(run);
        return;
    }
  }

  /** A transient failure: within the job's wait budget, say so and restart from the last checkpoint after a jittered backoff; false once spent. */
  private waitOut(run: TaskRun, w: Worker, message: string): boolean {
    if (run.stopping || run.ended || run.command === 'stop') return false;
    const d = run.wait.failure(Date.now());
    if (!d.wait) return false;
    const a = run.a;
    const endpoint = taskEndpoint(run, message);
    if (run.worker === w) run.worker = null;
    void w.terminate();
    this.o.log.warn(
      { taskId: a.taskId, endpoint, failures: d.failures, delayMs: d.delayMs },
      'transient error: waiting, then retrying from the last checkpoint',
    );
    this.sendQuiet('task.event', {
      taskId: a.taskId,
      leaseId: a.leaseId,
      type: 'job.waiting',
      message: `waiting for the ${endpoint}: ${message}`.slice(0, 8000),
      data: {
        endpoint,
        failures: d.failures,
        retryInMs: d.delayMs,
        waitingSince: new Date(d.waitingSinceMs).toISOString(),
        maxWaitMinutes: maxWaitMs(a.job) / 60_000,
      },
    });
    run.restartTimer = setTimeout(() => {
      run.restartTimer = null;
      if (!run.ended && !run.stopping) this.spawn(run);
    }, d.delayMs);
    return true;
  }

  private recovered(run: TaskRun): void {
    this.o.log.info({ taskId: run.a.taskId }, 'recovered from a transient error: checkpoints committed again');
    this.sendQuiet('task.event', {
      taskId: run.a.taskId,
      leaseId: run.a.leaseId,
      type: 'job.recovered',
      message: 'recovered: the source and target are reachable again and checkpoints are committed',
      data: {},
    });
  }

  private async afterStop(run: TaskRun): Promise<void> {
    if (run.stopping === 'lost' || run.ended) {
      this.remove(run);
      return;
    }
    // Stop command or drain: hand the lease back; the control plane decides (cancel or reassign). A stopped run (not a drain) leaves a receipt.
    if (run.stopping === 'command') await sendTaskReceipt(this.o, run, { outcome: 'stopped', result: run.stopResult });
    await this.finish(run, () => this.o.upstream.send('task.release', { taskId: run.a.taskId, leaseId: run.a.leaseId }));
  }

  private async finish(run: TaskRun, send: () => Promise<unknown>): Promise<void> {
    if (run.ended) return;
    run.ended = true;
    try {
      await send();
    } catch (e) {
      this.o.log.warn(
        { taskId: run.a.taskId, err: (e as Error).message },
        'could not report the end of a task (the lease will expire and the control plane will reschedule it)',
      );
    }
    this.remove(run);
  }

  private remove(run: TaskRun): void {
    if (run.progressTimer) clearTimeout(run.progressTimer);
    if (run.restartTimer) clearTimeout(run.restartTimer);
    run.progressTimer = run.restartTimer = null;
    if (run.worker) {
      const w = run.worker;
      run.worker = null;
      void w.terminate();
    }
    if (this.tasks.get(run.a.taskId) === run) this.tasks.delete(run.a.taskId);
    run.resolveDone();
  }

  private stopWorker(run: TaskRun, why: 'command' | 'drain' | 'lost', reason: string): void {
    run.stopping ??= why;
    if (run.restartTimer) {
      clearTimeout(run.restartTimer);
      run.restartTimer = null;
    }
    if (!run.worker) {
      if (why !== 'lost') void this.afterStop(run);
      return;
    }
    if (why === 'lost') {
      const w = run.worker;
      run.worker = null;
      void w.terminate();
      return;
    }
    this.post(run, { t: 'stop', reason });
    // An engine that ignores its abort signal is terminated after a grace period.
    const w = run.worker;
    setTimeout(() => {
      if (run.worker === w) void w.terminate();
    }, 15_000).unref();
  }

  private post(run: TaskRun, m: ToTaskWorker): void {
    run.worker?.postMessage(m);
  }

  private scheduleProgress(run: TaskRun): void {
    if (run.progressTimer) return;
    run.progressTimer = setTimeout(() => {
      run.progressTimer = null;
      void this.flushProgress(run);
    }, this.o.progressIntervalMs ?? 1_000);
  }

  private async flushProgress(run: TaskRun): Promise<void> {
    if (run.progressTimer) {
      clearTimeout(run.progressTimer);
      run.progressTimer = null;
    }
    const p = run.lastProgress;
    if (!p || run.ended) return;
    run.lastProgress = null;
    try {
      await this.o.upstream.send('task.progress', { taskId: run.a.taskId, leaseId: run.a.leaseId, progress: p });
    } catch (e) {
      if (e instanceof RpcError && (e.code === 'STALE_LEASE' || e.code === 'NOT_FOUND')) this.abandon(run.a.taskId, e.message, run.a.leaseId);
    }
  }

  private sendQuiet<T extends MessageType>(type: T, payload: Payload<T>): void {
    const { taskId, leaseId } = payload as { taskId?: string; leaseId?: string };
    const p = this.o.upstream.send(type, payload).catch((e: unknown) => {
      if (e instanceof RpcError && (e.code === 'STALE_LEASE' || e.code === 'NOT_FOUND')) {
        if (taskId) this.abandon(taskId, e.message, leaseId);
      }
    });
    if (!taskId) return;
    // The api handles frames concurrently: a task's last events (its verification results) must be stored before its end.
    const set = this.unanswered.get(taskId) ?? new Set<Promise<unknown>>();
    this.unanswered.set(taskId, set);
    set.add(p);
    void p.finally(() => {
      set.delete(p);
      if (set.size === 0 && this.unanswered.get(taskId) === set) this.unanswered.delete(taskId);
    });
  }

  /** Waits (bounded) until every event and log of the task sent so far has been answered. */
  private async settleSends(taskId: string): Promise<void> {
    const set = this.unanswered.get(taskId);
    if (!set?.size) return;
    await Promise.race([Promise.allSettled([...set]), new Promise((r) => setTimeout(r, 10_000).unref())]);
  }
}
