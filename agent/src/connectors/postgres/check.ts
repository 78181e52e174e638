import type { CheckResult } from '../spi';
import { classifyPgError } from '../errors';
import { connectPg, errCtx, type PgConn } from './client';
import { describeTls, tlsSettings } from '../../tls/client-tls';

type Check = CheckResult['checks'][number];
type Client = Awaited<ReturnType<typeof connectPg>>;
const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
const WRITE_PRIVILEGES = ['INSERT', 'UPDATE', 'DELETE'] as const;

/** Reachability, credentials, database, privileges and version, each with a fix. */
export async function checkPg(conn: PgConn, role: 'source' | 'target'): Promise<CheckResult> {
  const checks: CheckResult['checks'] = [];
  let client;
  try {
    client = await connectPg(conn, 'connect');
  } catch (e) {
    const ce = classifyPgError(e, errCtx(conn));
    // Any transient failure (refused, dropped before the login finished, a server starting up or shutting down)
    // means not reachable right now: the caller waits and retries. Only a definite answer (a refused login, a
    // missing database, a TLS mismatch) is a credentials/config failure, which fails a job for good.
    const reach = ce.class !== 'transient';
    checks.push({
      name: 'reachable',
      ok: reach,
      message: reach ? `reached ${conn.config.host}:${conn.config.port}` : ce.message,
      ...(reach ? {} : { fix: ce.fix ?? '' }),
    });
    if (reach)
      checks.push({
        name: ce.code === 'TLS_FAILED' ? 'tls' : ce.code === 'DATABASE_MISSING' ? 'database' : 'credentials',
        ok: false,
        message: ce.message,
        fix: ce.fix ?? '',
      });
    return { ok: false, checks };
  }
  try {
    checks.push({ name: 'reachable', ok: true, message: `reached ${conn.config.host}:${conn.config.port}` });
    const tls = describeTls(tlsSettings(conn.config), (client as unknown as { connection?: { stream?: unknown } }).connection?.stream);
    checks.push({ name: 'tls', ok: true, message: tls.message });
    checks.push({ name: 'credentials', ok: true, message: `logged in as ${conn.config.user}` });
    const v = (await client.query<{ v: string; n: string }>(`SELECT version() AS v, current_setting('server_version_num') AS n`)).rows[0]!;
    const num = Number(v.n);
    checks.push({ name: 'version', ok: num >= 110000, message: v.v.split(',')[0]!, ...(num >= 110000 ? {} : { fix: 'PostgreSQL 11 or newer is required' }) });
    const schema = conn.config.schema;
    const s = (
      await client.query<{ exists: string; usage: string | null; create: string | null }>(
        `SELECT (n.oid IS NOT NULL)::text AS exists, has_schema_privilege(n.oid, 'USAGE')::text AS usage, has_schema_privilege(n.oid, 'CREATE')::text AS create
         FROM (SELECT 1) x LEFT JOIN pg_namespace n ON n.nspname = $1`,
        [schema],
      )
    ).rows[0]!;
    if (s.exists !== 'true') {
      checks.push({
        name: 'schema',
        ok: false,
        message: `schema "${schema}" does not exist`,
        fix: role === 'target' ? `CREATE SCHEMA "${schema}"` : 'fix the schema name',
      });
    } else if (role === 'source') {
      checks.push({
        name: 'schema',
        ok: s.usage === 'true',
        message: s.usage === 'true' ? `USAGE on schema "${schema}"` : `no USAGE on schema "${schema}"`,
        ...(s.usage === 'true' ? {} : { fix: `GRANT USAGE ON SCHEMA "${schema}" TO "${conn.config.user}"` }),
      });
      const denied = (
        await client.query<{ t: string }>(
          `SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r','p') AND NOT has_table_privilege(c.oid, 'SELECT') ORDER BY 1 LIMIT 20`,
          [schema],
        )
      ).rows.map((r) => r.t);
      checks.push({
        name: 'select privilege',
        ok: denied.length === 0,
        message: denied.length ? `no SELECT on: ${denied.join(', ')}` : 'SELECT on every table',
        ...(denied.length ? { fix: `GRANT SELECT ON ALL TABLES IN SCHEMA "${schema}" TO "${conn.config.user}"` } : {}),
      });
      const wal = (await client.query<{ w: string }>(`SELECT current_setting('wal_level') AS w`)).rows[0]!.w;
      checks.push({
        name: 'wal_level (CDC only)',
        ok: true,
        message: wal === 'logical' ? 'wal_level=logical: CDC possible' : `wal_level=${wal}: full load only; CDC needs wal_level=logical`,
      });
    } else {
      checks.push(...(await targetChecks(client, schema, conn.config.user, s.usage === 'true' && s.create === 'true')));
    }
    return { ok: checks.every((c) => c.ok), checks, version: v.v.split(',')[0]!, tls };
  } catch (e) {
    const ce = classifyPgError(e, errCtx(conn, 'check'));
    if (ce.class === 'transient') {
      // The connection dropped during the checks (a restart): not reachable right now, not a privilege problem.
      const r = checks.find((c) => c.name === 'reachable');
      if (r) Object.assign(r, { ok: false, message: ce.message, fix: ce.fix ?? 'check that the server is running' });
      return { ok: false, checks };
    }
    checks.push({ name: 'catalogue', ok: false, message: ce.message, fix: ce.fix ?? 'check the privileges of the user' });
    return { ok: false, checks };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * What a target needs: USAGE and CREATE on the schema (the engine creates tables, indexes and its checkpoint table),
 * INSERT, UPDATE and DELETE on the tables already there (truncate/upsert modes, CDC apply), and a server that accepts
 * writes at all: a scratch table is created, written, updated and deleted from inside a transaction that is rolled back.
 */
async function targetChecks(client: Client, schema: string, user: string, mayCreate: boolean): Promise<Check[]> {
  const out: Check[] = [];
  out.push({
    name: 'create privilege',
    ok: mayCreate,
    message: mayCreate ? `USAGE and CREATE on schema "${schema}"` : `no CREATE (or USAGE) on schema "${schema}": the target cannot create tables`,
    ...(mayCreate ? {} : { fix: `GRANT USAGE, CREATE ON SCHEMA ${q(schema)} TO ${q(user)};` }),
  });
  const denied = // ::text: this client returns values unparsed (a boolean would arrive as the truthy string 'f').
    (
      await client.query<{ t: string; ins: string; upd: string; del: string }>(
        `SELECT c.relname AS t, has_table_privilege(c.oid, 'INSERT')::text AS ins, has_table_privilege(c.oid, 'UPDATE')::text AS upd, has_table_privilege(c.oid, 'DELETE')::text AS del
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r','p')
          AND NOT (has_table_privilege(c.oid, 'INSERT') AND has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE'))
        ORDER BY 1 LIMIT 50`,
        [schema],
      )
    ).rows;
  const missing = WRITE_PRIVILEGES.filter((p) => denied.some((r) => r[p === 'INSERT' ? 'ins' : p === 'UPDATE' ? 'upd' : 'del'] !== 'true'));
  out.push({
    name: 'write privileges',
    ok: denied.length === 0,
    message:
      denied.length === 0
        ? `${WRITE_PRIVILEGES.join(', ')} on every existing table of "${schema}"`
        : `missing ${missing.join(', ')} on ${denied.length === 50 ? 'at least ' : ''}${denied.length} table(s) of "${schema}": ${denied
            .map((r) => r.t)
            .slice(0, 10)
            .join(', ')}${denied.length > 10 ? ', …' : ''}`,
    ...(denied.length === 0 ? {} : { fix: `GRANT ${missing.join(', ')} ON ALL TABLES IN SCHEMA ${q(schema)} TO ${q(user)};` }),
  });
  if (!mayCreate) return out;
  // A scratch table in a transaction that is rolled back: proves the server takes writes (not a read-only
  // replica or a read-only default transaction) and leaves nothing behind.
  const scratch = `${q(schema)}.${q(`_sluice_write_check_${process.pid}_${Date.now().toString(36)}`)}`;
  try {
    await client.query('BEGIN');
    await client.query(`CREATE TABLE ${scratch} (id int PRIMARY KEY, v text)`);
    await client.query(`INSERT INTO ${scratch} VALUES (1, 'a')`);
    await client.query(`UPDATE ${scratch} SET v = 'b' WHERE id = 1`);
    await client.query(`DELETE FROM ${scratch} WHERE id = 1`);
    out.push({ name: 'scratch write', ok: true, message: 'created, wrote, updated and deleted a scratch table (rolled back)' });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    out.push({
      name: 'scratch write',
      ok: false,
      message: `a scratch table could not be created and written (rolled back): ${msg}`,
      fix: /read-only/i.test(msg)
        ? 'point the target at the primary (this server is read-only), or: ALTER ROLE ' + q(user) + ' SET default_transaction_read_only = off;'
        : `GRANT USAGE, CREATE ON SCHEMA ${q(schema)} TO ${q(user)};`,
    });
  } finally {
    await client.query('ROLLBACK').catch(() => {});
  }
  return out;
}
