/**
 * The ports: the small interfaces services and transports depend on, so that
 * nothing below the composition root (deps.ts) has to import it. A leaf: it
 * imports only types from leaves (repositories, logger, the agent protocol,
 * the job definitions). See ARCHITECTURE.md "Import rules".
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { MessageType, Payload, ReplyOf } from '@sluice/agent/protocol';
import type { JobsOptions } from 'bullmq';
import type { JobData, JobName } from '../jobs/definitions';
import type { Logger } from '../logger';
import type { Repos, UnitOfWork } from '../repositories';

export interface RunRef {
  tenantId: string;
  jobId: string;
  runId: string;
}

/** Scheduling work onto agents (built by the composition root from the scheduler and pub/sub). */
export interface SchedulingHooks {
  /** A run has pending tasks: assign them to agents with free capacity. Idempotent. */
  tasksPending(e: RunRef): Promise<void>;
  /** A command was recorded for a run's tasks (tasks.command is already updated): push it to the agents holding them. */
  jobCommand(e: RunRef & { command: 'run' | 'pause' | 'stop' }): Promise<void>;
}

/** Handles an HTTP upgrade for one path (e.g. `/agent`). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Puts a job of the catalogue on the queue (validated against its definition). */
export interface Enqueuer {
  enqueue<N extends JobName>(name: N, data: JobData<N>, opts?: JobsOptions): Promise<void>;
}

/**
 * The transactional outbox (api/src/jobs/outbox.ts): a job recorded in the caller's transaction
 * reaches the queue after commit, at once or, if Redis is unreachable then, once it is back.
 */
export interface Outbox {
  /** Records the job in the transaction `r` belongs to; returns the outbox row id for `flush`. */
  add<N extends JobName>(r: Repos, tenantId: string, name: N, data: JobData<N>): Promise<number>;
  /** After commit: delivers those rows now. Never throws (the poller delivers what is left). */
  flush(ids: readonly number[]): Promise<void>;
  /** Throws AppError UNAVAILABLE when the queue's Redis is unreachable: call it before changing anything. */
  assertAvailable(): Promise<void>;
}

/** Publishes an event to subscribers in every api process. */
export interface Publisher {
  publish(topic: string, payload: unknown): Promise<void>;
}

/** The agent sockets of this process (the gateway); null in a worker-only process. */
export interface AgentRouter {
  /** Revoked or removed: close its socket now. True when this process held it. */
  disconnect(agentId: string, code: string, reason: string): boolean;
  /** Calls an agent of the tenant: the chosen one, or the least busy online one. */
  callTenantAgent<T extends MessageType>(
    tenantId: string,
    agentId: string | undefined,
    type: T,
    payload: Payload<T>,
    timeoutMs: number,
  ): Promise<{ agentId: string; reply: ReplyOf<T> }>;
}

/**
 * Alerting's inputs: what the control plane learns about jobs and agents.
 * Implementations never throw (alerting must not break the caller).
 */
export interface AlertSignals {
  jobStateChanged(tenantId: string, jobId: string, state: string): Promise<void>;
  /** A progress sample of a job's run task (only CDC samples matter). */
  progress(tenantId: string, jobId: string, progress: unknown): Promise<void>;
  verification(tenantId: string, jobId: string, tableName: string, mismatched: boolean): Promise<void>;
  /** A running job waits out a transient error (job.waiting), or recovered from it (job.recovered). */
  jobWaiting(tenantId: string, jobId: string, waiting: { message: string } | null): Promise<void>;
  agentOffline(tenantId: string, agentId: string): Promise<void>;
  agentOnline(tenantId: string, agentId: string): Promise<void>;
}

/** What every service writing through `audited()` needs. */
export interface Persistence {
  /** Repositories bound to the pool (reads, and single-statement writes). */
  repos: Repos;
  /** Runs fn in one transaction with repositories bound to it. */
  uow: UnitOfWork;
  logger: Logger;
}
