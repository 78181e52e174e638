/**
 * Used by scripts/dev-agent.sh (`npm run dev`) to wire the local agent to the
 * demo tenant:
 *   tsx api/src/services/agents/dev-agent-cli.ts token          prints a fresh srt_ token (10 min, single use)
 *   tsx api/src/services/agents/dev-agent-cli.ts check <agentId> exit 0 if that agent is registered to the demo tenant and not revoked
 *
 * Both only read and write Postgres rows, so this opens Postgres alone: no Redis, no BullMQ
 * queue. (It used to build the api's full deps, whose three Redis connections and BullMQ queue
 * were still handshaking when the command closed them on a loaded machine: an unhandled
 * "Connection is closed" crash.) The first query is retried while Postgres is slow to accept
 * connections; after DEV_AGENT_DB_WAIT_MS (30 s) it fails with a message saying what to check.
 * Exit codes: 0 ok, 1 failure (message on stderr), 2 usage; `check` exits 1 for an unknown agent.
 */
import { createDb } from '@sluice/db/client';
import { TOKEN_PREFIX, newToken, sha256 } from '../../auth/tokens';
import { parseEnv } from '../../env';
import { createLogger } from '../../logger';
import { createRepositories, createUnitOfWork } from '../../repositories';
import { writeAuditAlone } from '../audit/audit';
import { systemSubject } from './identity';

const fail = (message: string): never => {
  process.stderr.write(`dev-agent: ${message}\n`);
  process.exit(1);
};
// Nothing may end this process with a stack trace and no explanation.
process.on('unhandledRejection', (e) => fail(`unexpected error: ${(e as Error)?.message ?? String(e)}`));
process.on('uncaughtException', (e) => fail(`unexpected error: ${e.message}`));

const [cmd, arg] = process.argv.slice(2);
if (cmd !== 'token' && !(cmd === 'check' && arg)) {
  process.stderr.write('usage: dev-agent-cli.ts token | check <agentId>\n');
  process.exit(2);
}

let env: ReturnType<typeof parseEnv>;
try {
  env = parseEnv();
} catch (e) {
  fail((e as Error).message);
  throw e;
}
const logger = createLogger({ ...env, LOG_LEVEL: 'warn' });
const dbHandle = createDb(env.DATABASE_URL, { max: 2, applicationName: 'sluice-dev-agent' });
const repos = createRepositories(dbHandle.db);
const auditDeps = { repos, uow: createUnitOfWork(dbHandle.db), logger };

/** Postgres accepting connections, retried while it is merely slow or starting up. */
async function waitForPostgres(): Promise<void> {
  const waitMs = Number(process.env['DEV_AGENT_DB_WAIT_MS'] ?? 30_000);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await dbHandle.pool.query('select 1');
      return;
    } catch (e) {
      if (Date.now() >= deadline) {
        const dbUrl = new URL(env.DATABASE_URL);
        throw new Error(
          `cannot reach PostgreSQL at ${dbUrl.hostname}:${dbUrl.port || 5432} after ${Math.round(waitMs / 1000)} s (${(e as Error).message}). ` +
            'Is it running, and does DATABASE_URL point at it?',
        );
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function demoTenant(): Promise<string> {
  const user = await repos.identity.findUserByEmail(env.SEED_DEMO_EMAIL);
  const m = user ? await repos.identity.membershipsOfUser(user.id) : [];
  const demo = m.find((x) => x.tenantName === 'Demo') ?? m[0];
  if (!demo) throw new Error(`no demo tenant: run "npx tsx api/src/seed.ts" first (looked for ${env.SEED_DEMO_EMAIL})`);
  return demo.tenantId;
}

try {
  await waitForPostgres();
  const tenantId = await demoTenant();
  if (cmd === 'token') {
    const token = newToken(TOKEN_PREFIX.agentRegistration, 32);
    const row = await repos.agents.insertToken(tenantId, {
      tokenHash: sha256(token),
      name: 'local-dev-agent',
      labels: { env: 'dev' },
      agentGroup: 'local',
      createdBy: null,
      expiresAt: new Date(Date.now() + 10 * 60_000),
    });
    await writeAuditAlone(auditDeps, systemSubject(tenantId, 'dev-agent'), {
      action: 'agent.token.create',
      targetType: 'agent_registration_token',
      targetId: row.id,
      detail: { by: 'npm run dev' },
    });
    process.stdout.write(token + '\n');
  } else {
    const a = /^[0-9a-f-]{36}$/i.test(arg!) ? await repos.agents.get(tenantId, arg!) : undefined;
    process.exitCode = a && !a.revokedAt ? 0 : 1;
  }
} catch (e) {
  process.stderr.write(`dev-agent: ${(e as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await dbHandle.close().catch(() => {});
}
