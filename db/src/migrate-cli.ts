import { ensureDatabase, runMigrations } from './migrate';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/sluice';
try {
  const created = await ensureDatabase(url);
  if (created) console.log('created database');
  await runMigrations(url);
  console.log('migrations applied');
} catch (e) {
  console.error(`migration failed: ${(e as Error).message}`);
  process.exit(1);
}
