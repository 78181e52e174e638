/**
 * CDC preflight: every setting CDC depends on, each with the SQL (or config)
 * that fixes it. `ok: false` with severity 'error' blocks the job; warnings do not.
 * One function per engine, called by that engine's streaming capability
 * (`Source.streaming.preflight`); the engine reaches them through the registry
 * (preflight-for-job.ts), never by name.
 */
import pg from 'pg';
import mysql from 'mysql2/promise';
import { mysqlConfig, pgConfig, type MysqlConnection, type PgConnection } from './connections';
import type { TableKey } from './types';
import type { PreflightCheck } from '../connectors/spi';

export type { PreflightCheck };

export interface PreflightOptions {
  /** Captured tables (`schema.table`); default: all tables of the configured schema/database. */
  tables?: TableKey[];
  /** Expected snapshot duration; default: estimated from table sizes at 50 MB/s. */
  estimatedSnapshotSeconds?: number;
}

const SNAPSHOT_BYTES_PER_SEC = 50 * 1024 * 1024;

function check(name: string, ok: boolean, message: string, fixSql?: string, severity: 'error' | 'warning' = 'error'): PreflightCheck {
  return ok ? { name, ok, message, severity } : { name, ok, message, severity, ...(fixSql ? { fixSql } : {}) };
}

function human(seconds: number): string {
  if (seconds >= 86_400) return `${(seconds / 86_400).toFixed(1)} days`;
  if (seconds >= 3_600) return `${(seconds / 3_600).toFixed(1)} hours`;
  return `${Math.round(seconds)} s`;
}

export async function preflightPg(conn: PgConnection, opts: PreflightOptions): Promise<PreflightCheck[]> {
  const c = new pg.Client(pgConfig(conn));
  c.on('error', () => undefined); // a server-side end (a restart) while idle surfaces on the next query, not as an uncaught error
  await c.connect();
  const out: PreflightCheck[] = [];
  try {
    const settings = await c.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('wal_level','max_replication_slots','max_wal_senders','max_slot_wal_keep_size','server_version_num')",
    );
    const s = Object.fromEntries(settings.rows.map((r) => [r.name, r.setting]));
    const wal = s.wal_level ?? 'unknown';
    out.push(
      check(
        'wal_level',
        wal === 'logical',
        wal === 'logical' ? 'wal_level is logical' : `wal_level is '${wal}'; logical decoding needs 'logical'`,
        "ALTER SYSTEM SET wal_level = 'logical';  -- then restart PostgreSQL",
      ),
    );
    const used = await c.query<{ n: string }>('SELECT count(*)::text AS n FROM pg_replication_slots');
    const maxSlots = Number(s.max_replication_slots ?? 0);
    const free = maxSlots - Number(used.rows[0]?.n ?? 0);
    out.push(
      check(
        'replication_slots',
        free > 0,
        `${free} of ${maxSlots} replication slots free`,
        `ALTER SYSTEM SET max_replication_slots = ${Math.max(10, maxSlots + 4)};  -- then restart PostgreSQL (or drop unused slots: SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active)`,
      ),
    );
    const senders = await c.query<{ n: string }>('SELECT count(*)::text AS n FROM pg_stat_replication');
    const maxSenders = Number(s.max_wal_senders ?? 0);
    const freeSenders = maxSenders - Number(senders.rows[0]?.n ?? 0);
    out.push(
      check(
        'wal_senders',
        freeSenders > 0,
        `${freeSenders} of ${maxSenders} WAL senders free`,
        `ALTER SYSTEM SET max_wal_senders = ${Math.max(10, maxSenders + 4)};  -- then restart PostgreSQL`,
      ),
    );
    const role = await c.query<{ u: string; repl: boolean; sup: boolean; cr: boolean }>(
      `SELECT current_user AS u, rolreplication AS repl, rolsuper AS sup,
              has_database_privilege(current_user, current_database(), 'CREATE') AS cr
         FROM pg_roles WHERE rolname = current_user`,
    );
    const r = role.rows[0];
    out.push(
      check(
        'replication_privilege',
        !!r && (r.repl || r.sup),
        r && (r.repl || r.sup) ? `role ${r.u} may use replication` : `role ${r?.u} lacks the REPLICATION attribute`,
        `ALTER ROLE "${r?.u ?? conn.config.user}" WITH REPLICATION;`,
      ),
    );
    out.push(
      check(
        'publication_privilege',
        !!r && (r.cr || r.sup),
        r && (r.cr || r.sup) ? 'may create publications' : `role ${r?.u} cannot create a publication in this database`,
        `GRANT CREATE ON DATABASE "${conn.config.database}" TO "${r?.u ?? conn.config.user}";  -- and make it owner of the captured tables, or create the publication as their owner`,
      ),
    );
    // pgoutput carries no DDL: schema changes are seen through Sluice's event trigger (cdc/pg-ddl-capture.ts).
    const trig = await c.query("SELECT 1 FROM pg_event_trigger WHERE evtname = 'sluice_ddl_end' AND evtenabled <> 'D'");
    const ddlOk = !!trig.rowCount || !!r?.sup;
    out.push(
      check(
        'ddl_capture',
        ddlOk,
        trig.rowCount
          ? 'DDL capture (event trigger sluice_ddl_end) is installed'
          : ddlOk
            ? 'DDL capture will be installed at start (event trigger; schemaChanges.captureDdl)'
            : `role ${r?.u} is not a superuser, so the DDL capture trigger cannot be installed: CDC will see only ADD COLUMN (nullable, without its default); RENAME/DROP COLUMN and type changes quarantine the table, and DROP/RENAME TABLE, indexes and new tables go unseen`,
        'run the job once with a superuser (it installs the event triggers sluice_ddl_end / sluice_ddl_drop), or have a superuser install them',
        'warning',
      ),
    );
    // Tables without a primary key: PG refuses UPDATE/DELETE on them once published unless REPLICA IDENTITY is set.
    const tables = await c.query<{ t: string; ident: string; pk: boolean; bytes: string }>(
      `SELECT n.nspname || '.' || c.relname AS t, c.relreplident AS ident,
              EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS pk,
              pg_total_relation_size(c.oid)::text AS bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r','p') AND n.nspname = $1`,
      [conn.config.schema],
    );
    const wanted = opts.tables ? new Set(opts.tables) : null;
    const captured = tables.rows.filter((t) => !t.t.endsWith('._sluice_checkpoints') && (!wanted || wanted.has(t.t)));
    const noIdentity = captured.filter((t) => !t.pk && t.ident !== 'f' && t.ident !== 'i');
    out.push(
      check(
        'replica_identity',
        noIdentity.length === 0,
        noIdentity.length === 0
          ? 'every captured table has a primary key or a replica identity'
          : `${noIdentity.length} table(s) without a primary key or replica identity: ${noIdentity.map((t) => t.t).join(', ')} (PostgreSQL rejects their UPDATE/DELETE once published)`,
        noIdentity
          .map(
            (t) =>
              `ALTER TABLE ${t.t
                .split('.')
                .map((x) => `"${x}"`)
                .join('.')} REPLICA IDENTITY FULL;  -- better: add a primary key`,
          )
          .join('\n'),
      ),
    );
    out.push(primaryKeysCheck(captured.filter((t) => !t.pk).map((t) => String(t.t))));
    // WAL retention during the snapshot.
    const est = snapshotSeconds(captured, opts.estimatedSnapshotSeconds);
    const keepMb = Number(s.max_slot_wal_keep_size ?? -1);
    if (keepMb < 0) {
      out.push(
        check('wal_retention', true, `max_slot_wal_keep_size is unlimited: WAL is kept for the slot (estimated snapshot ${human(est)}); watch disk space`),
      );
    } else {
      let rate = 0;
      try {
        const w = await c.query<{ b: string; secs: string }>(
          'SELECT wal_bytes::text AS b, GREATEST(1, EXTRACT(EPOCH FROM now() - stats_reset))::text AS secs FROM pg_stat_wal',
        );
        rate = Number(w.rows[0]?.b ?? 0) / Number(w.rows[0]?.secs ?? 1);
      } catch {
        rate = 0;
      }
      const need = rate * est;
      const keep = keepMb * 1024 * 1024;
      out.push(
        check(
          'wal_retention',
          need < keep,
          `max_slot_wal_keep_size ${keepMb} MB; about ${Math.round(need / 1048576)} MB of WAL expected during the estimated ${human(est)} snapshot (at ${Math.round(rate / 1024)} KB/s)`,
          `ALTER SYSTEM SET max_slot_wal_keep_size = '${Math.ceil((need * 3) / 1048576) + 1024}MB'; SELECT pg_reload_conf();`,
        ),
      );
    }
  } finally {
    await c.end();
  }
  return out;
}

export async function preflightMysql(conn: MysqlConnection, opts: PreflightOptions): Promise<PreflightCheck[]> {
  const c = await mysql.createConnection(mysqlConfig(conn));
  const out: PreflightCheck[] = [];
  try {
    const [vars] = await c.query<mysql.RowDataPacket[]>(
      `SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin','binlog_format','binlog_row_image','server_id','gtid_mode',
        'enforce_gtid_consistency','binlog_expire_logs_seconds','expire_logs_days','binlog_row_metadata','version','gtid_strict_mode')`,
    );
    const v: Record<string, string> = Object.fromEntries(vars.map((r) => [String(r.Variable_name), String(r.Value)]));
    const maria = /mariadb/i.test(v.version ?? '');
    const logBin = (v.log_bin ?? 'OFF').toUpperCase();
    out.push(
      check(
        'binlog_enabled',
        logBin === 'ON' || logBin === '1',
        logBin === 'ON' || logBin === '1' ? 'the binary log is on' : 'the binary log is off; CDC reads the binlog',
        '# my.cnf, [mysqld] section, then restart:\nlog_bin = mysql-bin\nserver_id = 1\nbinlog_format = ROW\nbinlog_row_image = FULL',
      ),
    );
    const fmt = (v.binlog_format ?? '').toUpperCase();
    out.push(
      check(
        'binlog_format',
        fmt === 'ROW',
        fmt === 'ROW' ? 'binlog_format is ROW' : `binlog_format is ${fmt || 'unknown'}; CDC needs ROW (row images, not statements)`,
        "SET GLOBAL binlog_format = 'ROW';  -- and binlog_format = ROW in my.cnf; sessions already open keep their old format until they reconnect",
      ),
    );
    const img = (v.binlog_row_image ?? '').toUpperCase();
    out.push(
      check(
        'binlog_row_image',
        img === 'FULL',
        img === 'FULL' ? 'binlog_row_image is FULL' : `binlog_row_image is ${img || 'unknown'}; CDC needs FULL row images`,
        "SET GLOBAL binlog_row_image = 'FULL';  -- and binlog_row_image = FULL in my.cnf",
      ),
    );
    const sid = Number(v.server_id ?? 0);
    out.push(
      check(
        'server_id',
        sid > 0,
        sid > 0 ? `server_id is ${sid}` : 'server_id is 0; the binlog needs a server id',
        'SET GLOBAL server_id = 1;  -- and server_id in my.cnf',
      ),
    );
    if (maria) {
      out.push(check('gtid_mode', true, 'MariaDB always writes GTIDs (domain-server-sequence)'));
    } else {
      const gm = (v.gtid_mode ?? 'OFF').toUpperCase();
      out.push(
        check(
          'gtid_mode',
          gm === 'ON',
          gm === 'ON' ? 'gtid_mode is ON' : `gtid_mode is ${gm}; CDC falls back to file/position, which does not survive a failover`,
          'SET GLOBAL enforce_gtid_consistency = ON; SET GLOBAL gtid_mode = OFF_PERMISSIVE; SET GLOBAL gtid_mode = ON_PERMISSIVE; SET GLOBAL gtid_mode = ON;',
          'warning',
        ),
      );
    }
    const [grants] = await c.query<mysql.RowDataPacket[]>('SHOW GRANTS FOR CURRENT_USER()');
    const g = grants
      .map((r) => String(Object.values(r)[0]))
      .join('\n')
      .toUpperCase();
    const all = /GRANT ALL PRIVILEGES ON \*\.\*/.test(g);
    const slave = all || /REPLICATION (SLAVE|REPLICA)/.test(g);
    const client = all || /REPLICATION CLIENT|BINLOG MONITOR|SUPER/.test(g);
    const [u] = await c.query<mysql.RowDataPacket[]>('SELECT CURRENT_USER() AS u');
    const who = String(u[0]?.u ?? conn.config.user).replace(/^([^@]*)@(.*)$/, "'$1'@'$2'");
    out.push(
      check(
        'replication_privileges',
        slave && client,
        slave && client
          ? 'the user may read the binlog'
          : `the user lacks ${[!slave && 'REPLICATION SLAVE', !client && (maria ? 'BINLOG MONITOR' : 'REPLICATION CLIENT')].filter(Boolean).join(' and ')}`,
        maria ? `GRANT REPLICATION SLAVE, BINLOG MONITOR, SELECT ON *.* TO ${who};` : `GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO ${who};`,
      ),
    );
    // The layout of a row event must be the one the source had when it wrote it: FULL puts the column
    // names in every TABLE_MAP event (zongji reads them). Without it the names come from
    // INFORMATION_SCHEMA, already ahead of the binlog after an ALTER TABLE (values land in the wrong
    // columns). No schema history is kept, so FULL is required.
    const meta = (v.binlog_row_metadata ?? '').toUpperCase();
    out.push(
      check(
        'binlog_row_metadata',
        meta === 'FULL',
        meta === 'FULL'
          ? 'binlog_row_metadata is FULL: every row event names its columns'
          : meta
            ? `binlog_row_metadata is ${meta}; CDC needs FULL, so that a row written before an ALTER TABLE is read with the columns it had (INFORMATION_SCHEMA is already ahead of the binlog and would put values in the wrong columns)`
            : 'this server has no binlog_row_metadata (MySQL 8.0.1+ / MariaDB 10.5+); CDC needs binlog_row_metadata = FULL to read each row with the columns it was written with',
        meta
          ? "SET GLOBAL binlog_row_metadata = 'FULL';  -- and binlog_row_metadata = FULL in my.cnf ([mysqld]); row events written before it still lack column names, so start (or resync) the job after it"
          : 'upgrade to MySQL 8.0.1+ or MariaDB 10.5+ and set binlog_row_metadata = FULL',
      ),
    );
    // Captured tables: keys and size.
    const [tabs] = await c.query<mysql.RowDataPacket[]>(
      `SELECT CONCAT(t.TABLE_SCHEMA, '.', t.TABLE_NAME) AS t, COALESCE(t.DATA_LENGTH, 0) + COALESCE(t.INDEX_LENGTH, 0) AS bytes,
              EXISTS (SELECT 1 FROM information_schema.TABLE_CONSTRAINTS k WHERE k.TABLE_SCHEMA = t.TABLE_SCHEMA
                        AND k.TABLE_NAME = t.TABLE_NAME AND k.CONSTRAINT_TYPE = 'PRIMARY KEY') AS pk
         FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = ? AND t.TABLE_TYPE = 'BASE TABLE'`,
      [conn.config.database],
    );
    const wanted = opts.tables ? new Set(opts.tables) : null;
    const captured = tabs.filter((t) => !String(t.t).endsWith('._sluice_checkpoints') && (!wanted || wanted.has(String(t.t))));
    out.push(primaryKeysCheck(captured.filter((t) => !Number(t.pk)).map((t) => String(t.t))));
    const est = snapshotSeconds(captured, opts.estimatedSnapshotSeconds);
    let expire = Number(v.binlog_expire_logs_seconds ?? 0);
    if (!expire && Number(v.expire_logs_days ?? 0) > 0) expire = Number(v.expire_logs_days) * 86_400;
    const need = Math.ceil(est * 2 + 3_600);
    out.push(
      check(
        'binlog_retention',
        expire === 0 || expire >= need,
        expire === 0
          ? `binlogs are never purged automatically (estimated snapshot ${human(est)})`
          : `binlogs are kept ${human(expire)}; the estimated snapshot takes ${human(est)} and CDC needs the binlog from its start, so keep at least ${human(need)}`,
        `SET GLOBAL binlog_expire_logs_seconds = ${Math.max(need, 7 * 86_400)};`,
      ),
    );
  } finally {
    await c.end();
  }
  return out;
}

/** Tables without a key are quarantined by CDC (it applies by key): a warning naming them, with the fix. */
function primaryKeysCheck(noPk: string[]): PreflightCheck {
  return check(
    'primary_keys',
    noPk.length === 0,
    noPk.length === 0 ? 'every captured table has a primary key' : `CDC applies by key; these tables have none and will be quarantined: ${noPk.join(', ')}`,
    noPk.map((t) => `ALTER TABLE ${t} ADD PRIMARY KEY (...);`).join('\n'),
    'warning',
  );
}

/** The snapshot's estimated duration: the caller's estimate, or the captured tables' bytes at the planning rate. */
function snapshotSeconds(captured: readonly object[], estimated: number | undefined): number {
  const bytes = captured.reduce((a: number, t) => a + Number((t as { bytes?: unknown }).bytes ?? 0), 0);
  return estimated ?? Math.max(1, bytes / SNAPSHOT_BYTES_PER_SEC);
}
