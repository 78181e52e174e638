/**
 * `npm run dev`'s short-lived helpers on a loaded machine (issue 12): the seed (api/src/seed.ts)
 * and dev-agent-cli.ts crashed with an unhandled ioredis "Connection is closed" from BullMQ when
 * they closed while the Redis handshake was still going. The slow Redis here is the real one
 * behind a TCP proxy that delays every packet.
 * (The process group, the production portal and the stop behaviour of `npm run dev` itself are
 * proven by test/smoke/dev-command.sh, which .ci/run runs.)
 */
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureDatabase, runMigrations } from '@sluice/db/migrate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '../../api/src/deps';
import { parseEnv } from '../../api/src/env';
import { createLogger } from '../../api/src/logger';
import { seedDemo } from '../../api/src/seed';
import { deleteRedisKeys, dropControlDatabase } from '../support/cleanup';
import { controlDbUrl, services, uniqueName } from '../support/services';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP proxy to the test Redis that delays every chunk both ways by `delayMs`. */
async function slowRedis(delayMs: number): Promise<{ url: string; close(): void }> {
  const target = new URL(services.redis);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    const relay = (from: net.Socket, to: net.Socket) => from.on('data', (d) => setTimeout(() => to.writable && to.write(d), delayMs));
    relay(client, upstream);
    relay(upstream, client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', end);
      s.on('error', end);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

const dbName = uniqueName('sluice_devsetup');
const databaseUrl = controlDbUrl(dbName);
const redisPrefix = uniqueName('devsetup');

beforeAll(async () => {
  await ensureDatabase(databaseUrl);
  await runMigrations(databaseUrl);
});

afterAll(async () => {
  await deleteRedisKeys(redisPrefix).catch(() => {});
  await dropControlDatabase(dbName);
});

describe('short-lived api processes on a slow Redis', () => {
  it('createDeps().close() at any moment of the Redis handshake leaves no unhandled error', async () => {
    const proxy = await slowRedis(150);
    const escaped: unknown[] = [];
    const record = (e: unknown) => escaped.push(e);
    process.on('unhandledRejection', record);
    process.on('uncaughtException', record);
    try {
      const env = parseEnv({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, REDIS_URL: proxy.url, REDIS_PREFIX: redisPrefix, LOG_LEVEL: 'silent' });
      // Close before connect, during the ready check, during BullMQ's version check (the window
      // that crashed: about 650-900 ms in here), and after: one instance every 25 ms, side by side.
      const waits = Array.from({ length: 61 }, (_, i) => i * 25);
      await Promise.all(
        waits.map(async (waitMs) => {
          const deps = createDeps(env, { logger: createLogger(env), applicationName: 'sluice-devsetup-test', http: false });
          await sleep(waitMs);
          await deps.close();
        }),
      );
      await sleep(2000); // late rejections of a closed connection land here
    } finally {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
      proxy.close();
    }
    expect(escaped.map((e) => (e as Error)?.message ?? String(e))).toEqual([]);
  }, 60_000);
});

describe('dev-agent-cli.ts (registers the local agent of npm run dev)', () => {
  const cli = (args: string[], env: Record<string, string>) =>
    run(process.execPath, ['--import', 'tsx', 'api/src/services/agents/dev-agent-cli.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_PREFIX: redisPrefix, LOG_LEVEL: 'warn', ...env },
      timeout: 60_000,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
    );

  beforeAll(async () => {
    const env = parseEnv({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, REDIS_URL: services.redis, REDIS_PREFIX: redisPrefix, LOG_LEVEL: 'silent' });
    const deps = createDeps(env, { logger: createLogger(env), applicationName: 'sluice-devsetup-test', http: false });
    try {
      await seedDemo(deps);
    } finally {
      await deps.close();
    }
  });

  it('creates a registration token without Redis (unreachable here) and audits it', async () => {
    const r = await cli(['token'], { REDIS_URL: 'redis://127.0.0.1:9' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^srt_[A-Za-z0-9_-]{20,}$/);
    const env = parseEnv({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, REDIS_URL: services.redis, REDIS_PREFIX: redisPrefix, LOG_LEVEL: 'silent' });
    const deps = createDeps(env, { logger: createLogger(env), applicationName: 'sluice-devsetup-test', http: false });
    try {
      const { rows } = await deps.db.pool.query<{ n: string }>(
        "select count(*) as n from audit_log where action = 'agent.token.create' and detail->>'by' = 'npm run dev'",
      );
      expect(Number(rows[0]!.n)).toBe(1);
    } finally {
      await deps.close();
    }
  });

  it('check: exit 1 for an agent that is not registered, 2 for bad usage', async () => {
    expect((await cli(['check', '00000000-0000-4000-8000-000000000000'], {})).code).toBe(1);
    const usage = await cli([], {});
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: dev-agent-cli.ts token | check <agentId>');
  });

  it('an unreachable Postgres is a clear error after the wait, not a stack trace', async () => {
    const r = await cli(['token'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:9/nowhere', DEV_AGENT_DB_WAIT_MS: '1500' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dev-agent: cannot reach PostgreSQL at 127\.0\.0\.1:9 after 2 s \(.*\)\. Is it running, and does DATABASE_URL point at it\?\n$/);
    expect(r.stdout).toBe('');
  });
});
