/** `npm run worker`: the BullMQ worker alone (scale-out), no HTTP server. */
import { createDeps } from './deps';
import { parseEnv } from './env';
import { createWorker } from './jobs/queue';
import { createLogger } from './logger';

let env;
try {
  env = parseEnv();
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
const logger = createLogger(env).child({ process: 'worker' });
const deps = createDeps(env, { logger, applicationName: 'sluice-worker', http: false });
const connection = deps.newRedis({ forBullWorker: true });
const worker = createWorker({ handlers: deps.handlers, logger, metrics: deps.metrics, redisPrefix: env.REDIS_PREFIX }, connection);
logger.info('worker started');

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal: sig }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    worker
      .close()
      .then(() => connection.disconnect())
      .then(() => deps.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
}
