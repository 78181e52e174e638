/**
 * `npm run secrets:rotate` (in api/): re-encrypts every stored secret under the
 * current SLUICE_SECRET_KEY, reading older ones with SLUICE_OLD_SECRET_KEYS.
 * Exit 0 when everything is under the current key, 1 otherwise.
 */
import { createDb } from '@sluice/db/client';
import { SecretBox } from './crypto/secret-box';
import { rotateSecrets } from './crypto/rotate-secrets';
import { parseEnv } from './env';
import { secretRotationRepo } from './repositories/secret-rotation';

const env = parseEnv();
const db = createDb(env.DATABASE_URL, { max: 2, applicationName: 'sluice-rotate-secrets' });
try {
  const box = new SecretBox(env.SLUICE_SECRET_KEY, env.SLUICE_OLD_SECRET_KEYS);
  const r = await rotateSecrets(secretRotationRepo(db.db), box);
  console.log(`key ${r.keyId}: ${r.rotated} re-encrypted, ${r.alreadyCurrent} already under it, ${r.raced} changed meanwhile, ${r.failed.length} failed`);
  for (const f of r.failed) console.error(`  ${f.column} ${f.id}: ${f.error}`);
  if (r.raced) console.error('some rows changed while rotating: run the command again');
  process.exitCode = r.failed.length || r.raced ? 1 : 0;
} finally {
  await db.close();
}
