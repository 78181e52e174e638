/**
 * `npm run seed -w @sluice/api`: idempotently seeds the demo tenant "Demo" with
 * its owner (SEED_DEMO_EMAIL / SEED_DEMO_PASSWORD, default
 * demo@sluice.local / sluice-demo-password) and prints the login.
 * Run it after migrations (scripts/dev.sh does both).
 */
import { randomUUID } from 'node:crypto';
import { createDeps } from './deps';
import { parseEnv } from './env';
import { createLogger } from './logger';

export async function seedDemo(deps: ReturnType<typeof createDeps>): Promise<{ created: boolean; email: string; tenantId: string }> {
  const env = deps.env;
  const existing = await deps.repos.identity.findUserByEmail(env.SEED_DEMO_EMAIL);
  if (existing) {
    const m = await deps.repos.identity.membershipsOfUser(existing.id);
    const demo = m.find((x) => x.tenantName === 'Demo') ?? m[0];
    if (demo) return { created: false, email: existing.email, tenantId: demo.tenantId };
  }
  const meta = { requestId: `seed-${randomUUID()}`, ip: null, userAgent: 'sluice-seed' };
  const s = await deps.services.accounts.signUp({ email: env.SEED_DEMO_EMAIL, password: env.SEED_DEMO_PASSWORD, name: 'Demo Owner', tenantName: 'Demo' }, meta);
  return { created: true, email: s.user.email, tenantId: s.tenantId };
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('seed.ts');
if (isMain) {
  const env = parseEnv();
  const deps = createDeps(env, { logger: createLogger({ ...env, LOG_LEVEL: 'warn' }), applicationName: 'sluice-seed', http: false });
  try {
    const r = await seedDemo(deps);
    console.log(`${r.created ? 'seeded' : 'already seeded'}: tenant "Demo" (${r.tenantId})`);
    console.log(`demo login: ${r.email} / ${env.SEED_DEMO_PASSWORD}${r.created ? '' : ' (unless you changed it)'}`);
  } catch (e) {
    console.error(`seed failed: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    await deps.close();
  }
}
