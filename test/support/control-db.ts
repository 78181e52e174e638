/**
 * Control-plane databases for tests, copied from a template that is migrated
 * once per migrations set (not once per test file):
 * - `ensureTemplate()` (global-setup.ts calls it once per run) makes sure a database
 *   `sluice_tpl_<hash of migrations/>` exists: it migrates a scratch database and renames
 *   it into place, so a half-migrated template is never visible and concurrent runs agree.
 * - `createControlDatabase(url)` is `CREATE DATABASE … TEMPLATE sluice_tpl_<hash>`; when the copy
 *   is not possible (the template is being dropped or in use), it creates and migrates instead.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { MIGRATIONS_DIR, ensureDatabase, runMigrations } from '@sluice/db/migrate';
import { controlDbUrl, uniqueName } from './services';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The template's name: one per set of migration files (contents included). */
export function templateName(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const f of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, f.name);
      if (f.isDirectory()) walk(p);
      else h.update(path.relative(MIGRATIONS_DIR, p)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  walk(MIGRATIONS_DIR);
  return `sluice_tpl_${h.digest('hex').slice(0, 16)}`;
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: controlDbUrl('postgres') });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

let ready: Promise<string> | null = null;

/** Creates the migrated template if it is missing; returns its name. Idempotent, safe across concurrent runs. */
export function ensureTemplate(): Promise<string> {
  ready ??= (async () => {
    const name = templateName();
    const exists = async (c: pg.Client) => ((await c.query('select 1 from pg_database where datname = $1', [name])).rowCount ?? 0) > 0;
    if (await withAdmin(exists)) return name;
    const scratch = uniqueName('sluice_tplbuild');
    await ensureDatabase(controlDbUrl(scratch));
    await runMigrations(controlDbUrl(scratch));
    await withAdmin(async (c) => {
      try {
        await c.query(`alter database ${quote(scratch)} rename to ${quote(name)}`);
      } catch (e) {
        // Another run published the same template first (42P04 duplicate database): keep theirs.
        if ((e as { code?: string }).code !== '42P04') throw e;
        await c.query(`drop database if exists ${quote(scratch)} with (force)`);
      }
    });
    return name;
  })().catch((e: unknown) => {
    ready = null;
    throw e;
  });
  return ready;
}

/** Creates the control database named in `databaseUrl`, migrated (a copy of the template). */
export async function createControlDatabase(databaseUrl: string): Promise<void> {
  const db = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  try {
    const tpl = await ensureTemplate();
    await withAdmin((c) => c.query(`create database ${quote(db)} template ${quote(tpl)}`));
  } catch {
    // The template is missing, in use or being replaced: fall back to migrating this database itself.
    await ensureDatabase(databaseUrl);
    await runMigrations(databaseUrl);
  }
}
