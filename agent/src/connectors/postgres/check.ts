import type { CheckResult } from '../spi';
import { classifyPgError } from '../errors';
import { connectPg, errCtx, type PgConn } from './client';

/** Reachability, credentials, database, privileges and version, each with a fix. */
export async function checkPg(conn: PgConn, role: 'source' | 'target'): Promise<CheckResult> {
  const checks: CheckResult['checks'] = [];
  let client;
  try {
    client = await connectPg(conn, 'connect');
  } catch (e) {
    const ce = classifyPgError(e, errCtx(conn));
    const reach = ce.code !== 'UNREACHABLE';
    checks.push({ name: 'reachable', ok: reach, message: reach ? `reached ${conn.config.host}:${conn.config.port}` : ce.message, ...(reach ? {} : { fix: ce.fix ?? '' }) });
    if (reach) checks.push({ name: ce.code === 'DATABASE_MISSING' ? 'database' : 'credentials', ok: false, message: ce.message, fix: ce.fix ?? '' });
    return { ok: false, checks };
  }
  try {
    checks.push({ name: 'reachable', ok: true, message: `reached ${conn.config.host}:${conn.config.port}` });
    checks.push({ name: 'credentials', ok: true, message: `logged in as ${conn.config.user}` });
    const v = (await client.query<{ v: string; n: string }>(`SELECT version() AS v, current_setting('server_version_num') AS n`)).rows[0]!;
    const num = Number(v.n);
    checks.push({ name: 'version', ok: num >= 110000, message: v.v.split(',')[0]!, ...(num >= 110000 ? {} : { fix: 'PostgreSQL 11 or newer is required' }) });
    const schema = conn.config.schema;
    const s = (await client.query<{ exists: string; usage: string | null; create: string | null }>(
      `SELECT (n.oid IS NOT NULL)::text AS exists, has_schema_privilege(n.oid, 'USAGE')::text AS usage, has_schema_privilege(n.oid, 'CREATE')::text AS create
         FROM (SELECT 1) x LEFT JOIN pg_namespace n ON n.nspname = $1`,
      [schema],
    )).rows[0]!;
    if (s.exists !== 'true') {
      checks.push({ name: 'schema', ok: false, message: `schema "${schema}" does not exist`, fix: role === 'target' ? `CREATE SCHEMA "${schema}"` : 'fix the schema name' });
    } else if (role === 'source') {
      checks.push({ name: 'schema', ok: s.usage === 'true', message: s.usage === 'true' ? `USAGE on schema "${schema}"` : `no USAGE on schema "${schema}"`, ...(s.usage === 'true' ? {} : { fix: `GRANT USAGE ON SCHEMA "${schema}" TO "${conn.config.user}"` }) });
      const denied = (await client.query<{ t: string }>(
        `SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r','p') AND NOT has_table_privilege(c.oid, 'SELECT') ORDER BY 1 LIMIT 20`,
        [schema],
      )).rows.map((r) => r.t);
      checks.push({ name: 'select privilege', ok: denied.length === 0, message: denied.length ? `no SELECT on: ${denied.join(', ')}` : 'SELECT on every table', ...(denied.length ? { fix: `GRANT SELECT ON ALL TABLES IN SCHEMA "${schema}" TO "${conn.config.user}"` } : {}) });
      const wal = (await client.query<{ w: string }>(`SELECT current_setting('wal_level') AS w`)).rows[0]!.w;
      checks.push({ name: 'wal_level (CDC only)', ok: true, message: wal === 'logical' ? 'wal_level=logical: CDC possible' : `wal_level=${wal}: full load only; CDC needs wal_level=logical` });
    } else {
      const ok = s.create === 'true';
      checks.push({ name: 'create privilege', ok, message: ok ? `CREATE on schema "${schema}"` : `no CREATE on schema "${schema}"`, ...(ok ? {} : { fix: `GRANT CREATE, USAGE ON SCHEMA "${schema}" TO "${conn.config.user}"` }) });
    }
    return { ok: checks.every((c) => c.ok), checks, version: v.v.split(',')[0]! };
  } catch (e) {
    const ce = classifyPgError(e, errCtx(conn, 'check'));
    checks.push({ name: 'catalogue', ok: false, message: ce.message, fix: ce.fix ?? 'check the privileges of the user' });
    return { ok: false, checks };
  } finally {
    await client.end().catch(() => {});
  }
}
