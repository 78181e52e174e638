/**
 * Vitest global setup for the `integration` project: makes sure the private test services
 * (test/services/up.sh) are up before any test file runs.
 *
 * - `npm test` (test/run.sh) starts them itself and sets SLUICE_SERVICES_UP=1, so this only checks.
 * - A direct `npx vitest run --project integration ...` starts whatever is not answering by running
 *   `bash test/services/up.sh` (a fast no-op when everything is up; about 10 s for a cold start).
 * - SLUICE_TEST_NO_SERVICES=1 skips starting them (tests then fail on the first connection).
 * - It also checks that the control plane's own Postgres and Redis (the machine's 5432/6379, or
 *   TEST_CONTROL_PG_URL / TEST_REDIS_URL) answer, and fails with what to do when they do not.
 * - It creates the migrated control-plane template database once (control-db.ts#ensureTemplate).
 * Ports come from the environment with the defaults of test/services/env.sh (see services.ts).
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTemplate } from './control-db';
import { services } from './services';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function hostPort(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  return { host: addr.slice(0, i), port: Number(addr.slice(i + 1)) };
}

function answers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function missingServices(): Promise<string[]> {
  const checks: [string, { host: string; port: number }][] = [
    ['postgres', services.pg],
    ['mariadb', services.mariadb],
    ['kafka', hostPort(services.kafkaA.brokers[0] ?? '')],
    ['kafka', hostPort(services.kafkaB.brokers[0] ?? '')],
  ];
  const down = await Promise.all(checks.map(async ([name, a]) => ((await answers(a.host, a.port)) ? null : name)));
  return [...new Set(down.filter((n): n is string => n !== null))];
}

/** The control plane's Postgres and Redis are the machine's own; say so clearly when they are down. */
async function checkControlPlane(): Promise<void> {
  const down: string[] = [];
  for (const [name, raw, defaultPort] of [
    ['Postgres', services.controlPg, 5432],
    ['Redis', services.redis, 6379],
  ] as const) {
    const u = new URL(raw);
    const host = u.hostname || '127.0.0.1';
    const port = u.port ? Number(u.port) : defaultPort;
    if (!(await answers(host, port))) down.push(`${name} at ${host}:${port}`);
  }
  if (down.length > 0) {
    throw new Error(
      `the control plane's ${down.join(' and ')} not reachable. Start the machine's local services ` +
        `(as root: bash test/services/install-system-deps.sh starts them), or point TEST_CONTROL_PG_URL / TEST_REDIS_URL elsewhere.`,
    );
  }
}

export default async function setup(): Promise<void> {
  await checkControlPlane();
  // Every api test file copies this migrated template instead of migrating its own database.
  await ensureTemplate();
  if (process.env.SLUICE_TEST_NO_SERVICES === '1') return;
  const missing = await missingServices();
  if (missing.length === 0) return;
  if (process.env.SLUICE_SERVICES_UP === '1') {
    throw new Error(
      `test services not answering: ${missing.join(', ')}. test/run.sh started them, so one has died since; ` +
        `check with "bash test/services/status.sh" and restart with "bash test/services/up.sh".`,
    );
  }
  console.log(`[global-setup] starting test services: ${missing.join(', ')} (bash test/services/up.sh ${missing.join(' ')})`);
  const r = spawnSync('bash', [path.join(repoRoot, 'test/services/up.sh'), ...missing], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) {
    throw new Error(
      `bash test/services/up.sh ${missing.join(' ')} failed (exit ${r.status ?? r.signal}); its output above shows which service and its log tail. ` +
        `Fix that, or run "bash test/services/up.sh" by hand to retry.`,
    );
  }
}
