import type { CheckResult } from '../spi';
import { classifyMysqlError } from '../errors';
import { connectMysql, endMysql, errCtx, type MyConn } from './client';
import { describeTls, tlsSettings } from '../../tls/client-tls';

/** Reachability, credentials, database, privileges, version and LOAD DATA LOCAL; each failure has a fix. */
export async function checkMysql(conn: MyConn, role: 'source' | 'target'): Promise<CheckResult> {
  const checks: CheckResult['checks'] = [];
  let c;
  try {
    c = await connectMysql(conn, 'connect');
  } catch (e) {
    const ce = classifyMysqlError(e, errCtx(conn));
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
        name: ce.code === 'TLS_FAILED' ? 'tls' : ce.code === 'DATABASE_MISSING' || ce.code === 'PERMISSION_DENIED' ? 'database' : 'credentials',
        ok: false,
        message: ce.message,
        fix: ce.fix ?? '',
      });
    return { ok: false, checks };
  }
  try {
    checks.push({ name: 'reachable', ok: true, message: `reached ${conn.config.host}:${conn.config.port}` });
    const tls = describeTls(tlsSettings(conn.config), (c.core as unknown as { stream?: unknown }).stream);
    checks.push({ name: 'tls', ok: true, message: tls.message });
    checks.push({ name: 'credentials', ok: true, message: `logged in as ${conn.config.user}` });
    const [[v]] = (await c.p.query('SELECT VERSION() AS v, @@local_infile AS li, @@log_bin AS lb, @@binlog_format AS bf')) as unknown as [
      Record<string, unknown>[],
    ];
    const version = String(v?.v ?? '');
    const mariadb = /mariadb/i.test(version);
    const major = Number(/^(\d+)\.(\d+)/.exec(version)?.[1] ?? 0);
    const minor = Number(/^(\d+)\.(\d+)/.exec(version)?.[2] ?? 0);
    const okVer = mariadb ? major > 10 || (major === 10 && minor >= 3) : major >= 8;
    checks.push({
      name: 'version',
      ok: okVer,
      message: version,
      ...(okVer ? {} : { fix: 'MySQL 8.0+ or MariaDB 10.3+ is required (window functions, consistent snapshots)' }),
    });
    const [grants] = (await c.p.query('SHOW GRANTS')) as unknown as [Record<string, string>[]];
    const text = grants
      .map((g) => Object.values(g)[0] ?? '')
      .join('\n')
      .toUpperCase();
    const onDb = (priv: string) => grantsCover(text, conn.config.database, priv);
    const [[who]] = (await c.p.query('SELECT CURRENT_USER() AS u')) as unknown as [Record<string, unknown>[]];
    const account = String(who?.u ?? `${conn.config.user}@%`).replace(/^(.*)@([^@]*)$/, "'$1'@'$2'");
    if (role === 'source') {
      const sel = onDb('SELECT');
      checks.push({
        name: 'select privilege',
        ok: sel,
        message: sel ? `SELECT on ${conn.config.database}` : `no SELECT on ${conn.config.database}.*`,
        ...(sel ? {} : { fix: `GRANT SELECT ON \`${conn.config.database}\`.* TO '${conn.config.user}'@'%'` }),
      });
      const reload = /\bRELOAD\b|ALL PRIVILEGES ON \*\.\*/.test(text);
      checks.push({
        name: 'consistent snapshot across readers',
        ok: true,
        message: reload
          ? 'RELOAD granted: all readers share one snapshot'
          : 'no RELOAD privilege: each reader takes its own snapshot (fine for a quiet source)',
      });
      checks.push({
        name: 'binlog (CDC only)',
        ok: true,
        message: Number(v?.lb) === 1 ? `log_bin on, binlog_format=${String(v?.bf)}` : 'log_bin off: full load only',
      });
    } else {
      // CREATE/ALTER/INDEX/DROP: the engine creates tables, adds indexes and keys after the load and drops on restart;
      // INSERT/UPDATE/DELETE: loads, upserts and CDC apply.
      const need = ['CREATE', 'INSERT', 'UPDATE', 'DELETE', 'ALTER', 'INDEX', 'DROP'];
      const missing = need.filter((p) => !onDb(p));
      checks.push({
        name: 'write privileges',
        ok: missing.length === 0,
        message: missing.length ? `missing on ${conn.config.database}: ${missing.join(', ')}` : `${need.join(', ')} on ${conn.config.database}`,
        ...(missing.length ? { fix: `GRANT ${missing.join(', ')} ON \`${conn.config.database}\`.* TO ${account};` } : {}),
      });
      const [[ro]] = (await c.p.query('SELECT @@read_only AS ro')) as unknown as [Record<string, unknown>[]];
      const readOnly = Number(ro?.ro) === 1 && !/\bSUPER\b|ALL PRIVILEGES ON \*\.\*|READ_ONLY ADMIN/.test(text);
      checks.push({
        name: 'writable',
        ok: !readOnly,
        message: readOnly ? 'the server is read_only (a replica?): writes are refused' : 'the server accepts writes',
        ...(readOnly ? { fix: 'point the target at the primary, or: SET GLOBAL read_only = OFF;' } : {}),
      });
      const li = Number(v?.li) === 1;
      checks.push({
        name: 'local_infile',
        ok: true,
        message: li
          ? 'LOAD DATA LOCAL enabled (fast path)'
          : 'local_infile=OFF: writes fall back to multi-row INSERT (slower); SET GLOBAL local_infile=1 to enable the fast path',
      });
    }
    return { ok: checks.every((x) => x.ok), checks, version, tls };
  } catch (e) {
    const ce = classifyMysqlError(e, errCtx(conn, 'check'));
    if (ce.class === 'transient') {
      // The connection dropped during the checks (a restart): not reachable right now, not a privilege problem.
      const r = checks.find((c) => c.name === 'reachable');
      if (r) Object.assign(r, { ok: false, message: ce.message, fix: ce.fix ?? 'check that the server is running' });
      return { ok: false, checks };
    }
    checks.push({ name: 'catalogue', ok: false, message: ce.message, fix: ce.fix ?? 'check the privileges of the user' });
    return { ok: false, checks };
  } finally {
    await endMysql(c);
  }
}

/**
 * Whether SHOW GRANTS text (upper-cased) gives `priv` on every table of `database`: a grant ON *.* or ON `db`.*,
 * where db may be a LIKE pattern (`app\_%`.*), with the privilege named or ALL PRIVILEGES.
 */
export function grantsCover(text: string, database: string, priv: string): boolean {
  return text.split('\n').some((line) => {
    const m = /^GRANT (.+?) ON (\*\.\*|`((?:[^`]|``)+)`\.\*) TO /.exec(line.trim());
    if (!m) return false;
    const privs = m[1]!.split(',').map((p) => p.trim());
    if (!privs.some((p) => p === 'ALL PRIVILEGES' || p === 'ALL' || p === priv)) return false;
    if (m[2] === '*.*') return true;
    const pattern = m[3]!.replace(/``/g, '`');
    let re = '';
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i]!;
      if (ch === '\\' && i + 1 < pattern.length) re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      else if (ch === '%') re += '.*';
      else if (ch === '_') re += '.';
      else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`, 'i').test(database);
  });
}
