/** `npm start -w @sluice/api`: the api, with the BullMQ worker in-process unless RUN_WORKER=false. */
import { createApp } from './app';
import { parseEnv } from './env';

let env;
try {
  env = parseEnv();
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
const app = await createApp(env);
try {
  const { url, wsUrl } = await app.start();
  app.logger.info({ url, wsUrl }, `GraphQL at ${url}`);
} catch (err) {
  app.logger.fatal({ err }, 'could not start the api');
  await app.stop().catch(() => {});
  process.exit(1);
}

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal: sig }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
