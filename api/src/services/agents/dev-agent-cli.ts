/**
 * Used by scripts/dev-agent.sh (`npm run dev`) to wire the local agent to the
 * demo tenant:
 *   tsx api/src/services/agents/dev-agent-cli.ts token          prints a fresh srt_ token (10 min, single use)
 *   tsx api/src/services/agents/dev-agent-cli.ts check <agentId> exit 0 if that agent is registered to the demo tenant and not revoked
 */
import { TOKEN_PREFIX, newToken, sha256 } from '../../auth/tokens';
import { createDeps } from '../../deps';
import { parseEnv } from '../../env';
import { createLogger } from '../../logger';
import { writeAuditAlone } from '../audit/audit';
import { systemSubject } from './identity';

const [cmd, arg] = process.argv.slice(2);
const env = parseEnv();
const deps = createDeps(env, { logger: createLogger({ ...env, LOG_LEVEL: 'warn' }), applicationName: 'sluice-dev-agent' });

async function demoTenant(): Promise<string> {
  const user = await deps.repos.identity.findUserByEmail(env.SEED_DEMO_EMAIL);
  const m = user ? await deps.repos.identity.membershipsOfUser(user.id) : [];
  const demo = m.find((x) => x.tenantName === 'Demo') ?? m[0];
  if (!demo) throw new Error(`no demo tenant: run "npx tsx api/src/seed.ts" first (looked for ${env.SEED_DEMO_EMAIL})`);
  return demo.tenantId;
}

try {
  const tenantId = await demoTenant();
  if (cmd === 'token') {
    const token = newToken(TOKEN_PREFIX.agentRegistration, 32);
    const row = await deps.repos.agents.insertToken(tenantId, {
      tokenHash: sha256(token),
      name: 'local-dev-agent',
      labels: { env: 'dev' },
      agentGroup: 'local',
      createdBy: null,
      expiresAt: new Date(Date.now() + 10 * 60_000),
    });
    await writeAuditAlone(deps, systemSubject(tenantId, 'dev-agent'), { action: 'agent.token.create', targetType: 'agent_registration_token', targetId: row.id, detail: { by: 'npm run dev' } });
    process.stdout.write(token + '\n');
  } else if (cmd === 'check' && arg) {
    const a = /^[0-9a-f-]{36}$/i.test(arg) ? await deps.repos.agents.get(tenantId, arg) : undefined;
    process.exitCode = a && !a.revokedAt ? 0 : 1;
  } else {
    process.stderr.write('usage: dev-agent-cli.ts token | check <agentId>\n');
    process.exitCode = 2;
  }
} catch (e) {
  process.stderr.write(`dev-agent: ${(e as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await deps.close();
}
