/**
 * The composition root: the process's dependencies, built once by createApp
 * (or the worker) and passed explicitly: no module-level singletons, so tests
 * can run several apps in one process. Everything below it receives only what
 * it uses (see core/ports.ts); nothing below it imports this file.
 */
import { Redis } from 'ioredis';
import { createDb, type DbHandle } from '@sluice/db/client';
import { Authenticator } from './auth/context';
import { RateLimiter } from './auth/rate-limit';
import { SecretBox } from './crypto/secret-box';
import type { Env } from './env';
import { createMetrics, type Metrics } from './http/metrics';
import type { SchedulingHooks, UpgradeHandler } from './core/ports';
import { createAgentsSide, type AgentsSide } from './gateway';
import { createJobHandlers, type JobHandlers } from './jobs/catalogue';
import { JobOutbox } from './jobs/outbox';
import { JobQueue } from './jobs/queue';
import type { Logger } from './logger';
import { RedisPubSub } from './pubsub/redis-pubsub';
import { createRepositories, createUnitOfWork, type Repos, type UnitOfWork } from './repositories';
import { createAlertsSide, createJobsService, createServices, type Services } from './services';
import { CDC_CLEANUP_TOPIC, CdcCleanupService } from './services/cleanups/cdc-cleanup-service';

/**
 * Cleanup after deleted CDC jobs: a process holding agent sockets attempts each nudged
 * cleanup (and everything pending of a tenant whose agent just connected) through them.
 */
function wireCdcCleanups(core: CoreDeps, gateway: AgentsSide['gateway']): CdcCleanupService {
  const svc = new CdcCleanupService(core);
  if (!gateway) return svc;
  svc.router = gateway;
  gateway.onAgentReady = (tenantId) => void svc.retryTenant(tenantId);
  const sub = core.pubsub.subscribe<{ tenantId: string; cleanupId: string }>(CDC_CLEANUP_TOPIC);
  void (async () => {
    for await (const n of sub) await svc.attempt(n.tenantId, n.cleanupId);
  })();
  core.onClose(async () => {
    await sub.return?.();
  });
  return svc;
}

export interface CoreDeps {
  env: Env;
  logger: Logger;
  db: DbHandle;
  /** Repositories bound to the pool (reads, and single-statement writes). */
  repos: Repos;
  /** Runs fn in one transaction with repositories bound to it. */
  uow: UnitOfWork;
  /** General-purpose Redis (rate limits, pub/sub publishing). */
  redis: Redis;
  pubsub: RedisPubSub;
  queue: JobQueue;
  metrics: Metrics;
  secretBox: SecretBox;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  /** Extra WebSocket upgrade routes by path; `/graphql` is built in. */
  upgradeRoutes: Map<string, UpgradeHandler>;
  /** Registers cleanup run by stop(), in reverse order. */
  onClose(fn: () => Promise<void> | void): void;
  /** Opens a new Redis connection with the app's URL (BullMQ workers need their own). */
  newRedis(opts?: { forBullWorker?: boolean; failFast?: boolean }): Redis;
}

export interface AppDeps extends CoreDeps {
  services: Services;
  /** Scheduling work onto agents (the agents side's). */
  hooks: SchedulingHooks;
  /** The BullMQ job handlers (jobs/catalogue.ts), for the worker. */
  handlers: JobHandlers;
  /** Lease timers, task service, and (serving HTTP) the gateway and scheduler. */
  agents: AgentsSide;
}

export interface CreateDepsOptions {
  logger: Logger;
  applicationName?: string;
  /** Whether this process serves HTTP (it then holds the agent sockets: the `/agent` gateway and the scheduler). */
  http: boolean;
}

export function createDeps(env: Env, opts: CreateDepsOptions): AppDeps & { close(): Promise<void> } {
  const closers: Array<() => Promise<void> | void> = [];
  const logger = opts.logger;
  if (env.SLUICE_SECRET_KEY_SOURCE === 'file') {
    logger.warn(
      { keyFile: env.SLUICE_SECRET_KEY_FILE ?? '.sluice/secret-key' },
      'secrets are encrypted under the key generated for this installation (mode 0600 file): fine for development; set SLUICE_SECRET_KEY (openssl rand -base64 32) before adding real data sources',
    );
  }
  const newRedis = (o: { forBullWorker?: boolean; failFast?: boolean; subscriber?: boolean } = {}) => {
    const r = new Redis(env.REDIS_URL, {
      maxRetriesPerRequest: o.forBullWorker ? null : o.failFast ? 1 : 3,
      // The subscriber connection skips the ready check: a SUBSCRIBE issued while it connects races
      // ioredis's INFO probe, which Redis then refuses in subscriber mode, as an unhandled rejection
      // (redis/ioredis#2037, seen in the browser tests).
      enableReadyCheck: !o.subscriber,
      lazyConnect: false,
      // The producer: a command while Redis is unreachable fails at once instead of waiting in the offline queue.
      ...(o.failFast ? { enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 5_000 } : {}),
    });
    r.on('error', (err) => logger.warn({ err: { message: err.message } }, 'redis connection error'));
    return r;
  };

  const db = createDb(env.DATABASE_URL, { max: env.DATABASE_POOL_MAX, applicationName: opts.applicationName ?? 'sluice-api' });
  closers.push(() => db.close());
  const redis = newRedis();
  const redisSub = newRedis({ subscriber: true });
  const bull = newRedis({ failFast: true });
  closers.push(() => {
    redis.disconnect();
    redisSub.disconnect();
    bull.disconnect();
  });
  const pubsub = new RedisPubSub(redis, redisSub, env.REDIS_PREFIX, (err) => logger.warn({ err }, 'pubsub error'));
  closers.push(() => pubsub.close());
  const queue = new JobQueue(bull, env.REDIS_PREFIX, (err) => logger.warn({ err: { message: err.message } }, 'job queue connection error'));
  closers.push(() => queue.close());

  const repos = createRepositories(db.db);
  const core: CoreDeps = {
    env,
    logger,
    db,
    repos,
    uow: createUnitOfWork(db.db),
    redis,
    pubsub,
    queue,
    metrics: createMetrics(),
    secretBox: new SecretBox(env.SLUICE_SECRET_KEY, env.SLUICE_OLD_SECRET_KEYS),
    authenticator: new Authenticator(repos),
    rateLimiter: new RateLimiter(redis, env.REDIS_PREFIX),
    upgradeRoutes: new Map(),
    onClose: (fn) => closers.push(fn),
    newRedis,
  };
  const outbox = new JobOutbox({ uow: core.uow, queue: queue.queue, producer: bull, logger }, { pollMs: env.OUTBOX_POLL_MS, readyWaitMs: 1_000 });
  outbox.start();
  closers.push(() => outbox.close());
  const serviceDeps = { ...core, pubsub, queue, outbox };
  const alerts = createAlertsSide(serviceDeps);
  closers.push(alerts.deliverer.startSweeper(env.ALERT_SWEEP_MS, env.ALERT_SWEEP_GRACE_MS));
  const jobs = createJobsService(serviceDeps, alerts);
  const agents = createAgentsSide({ ...core, jobs, alerts: alerts.evaluator, queue: queue.queue, registry: core.metrics.registry }, { http: opts.http });
  closers.push(() => agents.close());
  if (agents.gateway) core.upgradeRoutes.set('/agent', agents.gateway.handleUpgrade);
  const services = createServices(serviceDeps, jobs, agents.gateway, alerts);
  const cdcCleanups = wireCdcCleanups(core, agents.gateway);
  const handlers = createJobHandlers({
    repos,
    hooks: agents.hooks,
    jobs,
    tasks: agents.tasks,
    cdcCleanups,
    alerts: { attempt: (t, id, n) => alerts.deliverer.attempt(t, id, n), agentOfflineCheck: (t, a, r) => alerts.evaluator.agentOfflineCheck(t, a, r) },
  });
  const deps: AppDeps = { ...core, services, hooks: agents.hooks, handlers, agents };
  return Object.assign(deps, {
    async close() {
      for (const fn of closers.reverse()) {
        try {
          await fn();
        } catch (err) {
          logger.warn({ err }, 'error while closing');
        }
      }
      closers.length = 0;
    },
  });
}
