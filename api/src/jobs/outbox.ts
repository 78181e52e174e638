/**
 * The transactional outbox: nothing is lost between a commit and its enqueue.
 *
 * A service records a job with `add(r, …)` inside its transaction (the same
 * commit as the change that needs it: a queued run, a recorded command). After
 * commit, `flush(ids)` delivers those rows to BullMQ at once; if Redis is
 * unreachable then, the rows stay and the poller (every `pollMs`, in every api
 * and worker process) delivers them once it is back. Delivery claims rows with
 * FOR UPDATE SKIP LOCKED, adds the BullMQ job with a fixed jobId (the
 * definition's de-duplication id, else `outbox-<row id>`) and deletes the row
 * in the same transaction: a crash in between re-delivers the same jobId, and
 * every handler is idempotent.
 *
 * `assertAvailable()` lets a mutation fail fast with UNAVAILABLE, before it
 * changes anything, when the queue's Redis is unreachable (the producer
 * connection has no offline queue and bounded timeouts, so nothing hangs).
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Outbox } from '../core/ports';
import { AppError, parseInput } from '../errors';
import type { Logger } from '../logger';
import type { Repos, UnitOfWork } from '../repositories';
import type { OutboxRow } from '../repositories/outbox';
import { jobDefinitions, type JobData, type JobDefinition, type JobName } from './definitions';

export interface OutboxOptions {
  /** How often undelivered rows are retried. */
  pollMs: number;
  /** How long a mutation waits for a reconnecting Redis before failing with UNAVAILABLE. */
  readyWaitMs: number;
  batch?: number;
}

export function redisUnavailable(): AppError {
  return AppError.unavailable(
    'the job queue (Redis) is unreachable, so nothing was changed: check that Redis is running and reachable at REDIS_URL, then try again',
  );
}

export class JobOutbox implements Outbox {
  private timer: ReturnType<typeof setInterval> | null = null;
  private draining: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly d: { uow: UnitOfWork; queue: Queue; producer: Redis; logger: Logger },
    private readonly o: OutboxOptions,
  ) {}

  async add<N extends JobName>(r: Repos, tenantId: string, name: N, data: JobData<N>): Promise<number> {
    const def = jobDefinitions[name] as unknown as JobDefinition;
    const parsed = parseInput(def.schema, data, name) as Record<string, unknown>;
    const row = await r.outbox.add(tenantId, { name, data: parsed, jobId: def.dedupeId?.(parsed) ?? null });
    return row.id;
  }

  async assertAvailable(): Promise<void> {
    const p = this.d.producer;
    if (p.status === 'ready') return;
    if (p.status === 'end') throw redisUnavailable();
    const ready = await new Promise<boolean>((resolve) => {
      const done = (v: boolean) => {
        clearTimeout(t);
        p.off('ready', onReady);
        resolve(v);
      };
      const onReady = () => done(true);
      const t = setTimeout(() => done(false), this.o.readyWaitMs);
      p.once('ready', onReady);
    });
    if (!ready) throw redisUnavailable();
  }

  /** Delivers the given rows now (after their commit). Never throws: what is left, the poller delivers. */
  async flush(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.deliver(ids).catch((err: unknown) => this.d.logger.warn({ err, ids }, 'outbox: delivery after commit failed; the poller retries'));
  }

  /** Starts the poller. */
  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.drain(), this.o.pollMs);
    this.timer.unref();
  }

  /** Delivers everything pending (one drain at a time per process). */
  drain(): Promise<void> {
    this.draining ??= (async () => {
      try {
        while (!this.closed && (await this.deliver()) === (this.o.batch ?? 100));
      } catch (err) {
        this.d.logger.warn({ err }, 'outbox: delivery failed; retrying in the next poll');
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.draining;
  }

  /** One transaction: claim, add to BullMQ, delete what was added. Returns how many rows it delivered. */
  private async deliver(ids?: readonly number[]): Promise<number> {
    if (this.d.producer.status !== 'ready') return 0;
    return this.d.uow(async (r) => {
      const rows = await r.outbox.claim(this.o.batch ?? 100, ids);
      const done: number[] = [];
      for (const row of rows) {
        try {
          await this.enqueue(row);
          done.push(row.id);
        } catch (err) {
          // Keep order: stop at the first failure; this row and the rest stay for the next attempt.
          await r.outbox.noteFailure(row.id, (err as Error).message ?? String(err));
          this.d.logger.warn({ err, outboxId: row.id, name: row.name }, 'outbox: could not enqueue; kept for the next poll');
          break;
        }
      }
      await r.outbox.remove(done);
      return done.length;
    });
  }

  private async enqueue(row: OutboxRow): Promise<void> {
    const def = (jobDefinitions as Record<string, JobDefinition>)[row.name];
    if (!def) {
      // Written by a newer version of the api that knows this job: leave nothing stuck behind it.
      this.d.logger.error({ outboxId: row.id, name: row.name }, 'outbox: unknown job name; dropping the row');
      return;
    }
    await this.d.queue.add(row.name, row.data, { ...def.options, jobId: row.jobId ?? `outbox-${row.id}` });
  }
}
