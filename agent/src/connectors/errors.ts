/** Classifies driver errors into ConnectorError (config | transient | system). */
import { ConnectorError } from './connector-error';
import { tlsFailure } from '../tls/client-tls';

interface Ctx {
  table?: string;
  column?: string;
  what?: string;
  host?: string;
  port?: number;
  user?: string;
  database?: string;
}

const NET = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
]);

/**
 * An error that reached the task boundary without a classifier: a mysql2 error (errno / ER_ code) or a pg error
 * (severity + SQLSTATE) goes through its driver's classifier, so a wrong password still fails at once with the fix
 * and a dropped connection is waited out. Anything else: undefined. Callers keep the original error for class
 * `system` (an unknown code is not proof that retrying is useless).
 */
const PG_LOST = /^(Connection terminated( unexpectedly| due to connection timeout)?|Client has encountered a connection error and is not queryable)$/;

export function classifyDriverError(e: unknown): ConnectorError | undefined {
  if (e instanceof ConnectorError) return e;
  if (!e || typeof e !== 'object') return undefined;
  const err = e as { code?: unknown; errno?: unknown; sqlState?: unknown; severity?: unknown };
  if (typeof err.errno === 'number' && (typeof err.sqlState === 'string' || (typeof err.code === 'string' && /^(ER_|PROTOCOL_)/.test(err.code))))
    return classifyMysqlError(e);
  if (typeof err.severity === 'string' && typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code)) return classifyPgError(e);
  // node-postgres's own connection-loss errors carry no code: a server restarting under a client that was not
  // wrapped by classifyPgError (seen in the long chaos profile: a resumed run's source session, 5 attempts in 15 s).
  if (e instanceof Error && PG_LOST.test(e.message))
    return new ConnectorError(`connection to PostgreSQL lost: ${e.message}`, { class: 'transient', code: 'CONNECTION_LOST', cause: e });
  if (isNetworkError(e))
    return new ConnectorError(`connection refused or lost: ${(e as Error).message ?? String(e)}`, {
      class: 'transient',
      code: 'UNREACHABLE',
      fix: 'check host, port, firewall and that the server is running',
      cause: e,
    });
  return undefined;
}

/**
 * A raw driver or socket error that no classifier saw, which still says the peer is unreachable or the connection
 * dropped (its `code`, or its cause's): transient. Used where an unclassified error reaches the task boundary.
 */
export function isNetworkError(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 4) return false;
  const err = e as { code?: unknown; errno?: unknown; cause?: unknown };
  if (typeof err.code === 'string' && NET.has(err.code)) return true;
  if (err.errno === 2013 || err.errno === 2006) return true;
  return isNetworkError(err.cause, depth + 1);
}

function tail(ctx: Ctx): Pick<ConstructorParameters<typeof ConnectorError>[1], 'table' | 'column'> {
  return { ...(ctx.table ? { table: ctx.table } : {}), ...(ctx.column ? { column: ctx.column } : {}) };
}

function where(ctx: Ctx): string {
  return ctx.host ? `${ctx.host}:${ctx.port ?? ''}` : 'the database';
}

/** A refused or failed TLS handshake, with the reason named (wrong name, unknown CA, expired...). */
function tlsError(e: unknown, engine: string, ctx: Ctx): ConnectorError | undefined {
  const f = tlsFailure(e);
  if (!f) return undefined;
  const prefix = ctx.what ? `${ctx.what}: ` : '';
  return new ConnectorError(`${prefix}${engine} at ${where(ctx)}: ${f.message}`, {
    class: 'config',
    code: 'TLS_FAILED',
    retryable: false,
    fix: f.fix,
    cause: e,
  });
}

export function classifyPgError(e: unknown, ctx: Ctx = {}): ConnectorError {
  if (e instanceof ConnectorError) return e;
  const tlsErr = tlsError(e, 'PostgreSQL', ctx);
  if (tlsErr) return tlsErr;
  const err = e as { code?: string; message?: string; column?: string; table?: string; where?: string };
  const code = err.code ?? '';
  const msg = err.message ?? String(e);
  const prefix = ctx.what ? `${ctx.what}: ` : '';
  const t = { ...tail(ctx), ...(err.table ? { table: err.table } : {}), ...(err.column ? { column: err.column } : {}) };
  const at = err.where ? ` (${err.where.split('\n')[0]})` : '';
  if (NET.has(code))
    return new ConnectorError(`${prefix}cannot reach PostgreSQL at ${where(ctx)}: ${msg}`, {
      class: 'transient',
      code: 'UNREACHABLE',
      fix: 'check host, port, firewall and that the server is running',
      cause: e,
      ...t,
    });
  if (code === '28P01' || code === '28000')
    return new ConnectorError(`${prefix}PostgreSQL refused the login for user "${ctx.user ?? '?'}": ${msg}`, {
      class: 'config',
      code: 'AUTH_FAILED',
      retryable: false,
      fix: 'check the user name and password, and pg_hba.conf',
      cause: e,
      ...t,
    });
  if (code === '3D000')
    return new ConnectorError(`${prefix}database "${ctx.database ?? '?'}" does not exist: ${msg}`, {
      class: 'config',
      code: 'DATABASE_MISSING',
      retryable: false,
      fix: 'create the database or fix its name',
      cause: e,
      ...t,
    });
  if (code === '42501')
    return new ConnectorError(`${prefix}permission denied: ${msg}`, {
      class: 'config',
      code: 'PERMISSION_DENIED',
      retryable: false,
      fix: 'grant the missing privilege to the user (see the message)',
      cause: e,
      ...t,
    });
  if (code === '42P01')
    return new ConnectorError(`${prefix}table does not exist: ${msg}`, {
      class: 'config',
      code: 'TABLE_MISSING',
      retryable: false,
      fix: 'check the table name and schema',
      cause: e,
      ...t,
    });
  if (code === '42703')
    return new ConnectorError(`${prefix}column does not exist: ${msg}`, {
      class: 'config',
      code: 'COLUMN_MISSING',
      retryable: false,
      fix: 'check the mapping and the target table',
      cause: e,
      ...t,
    });
  if (code.startsWith('22') || code.startsWith('23'))
    return new ConnectorError(`${prefix}data rejected by PostgreSQL: ${msg}${at}`, {
      class: 'config',
      code: 'DATA_REJECTED',
      retryable: false,
      fix: 'check the type mapping for this column, or filter the row with a mapping "where"',
      cause: e,
      ...t,
    });
  if (
    code === '40001' ||
    code === '40P01' ||
    code === '55P03' ||
    code.startsWith('08') ||
    code.startsWith('53') ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03'
  )
    return new ConnectorError(`${prefix}transient PostgreSQL error: ${msg}`, { class: 'transient', code: 'TRANSIENT', cause: e, ...t });
  if (code === '42601' || code === '42883' || code === '42804')
    return new ConnectorError(`${prefix}SQL rejected: ${msg}`, {
      class: 'config',
      code: 'BAD_SQL',
      retryable: false,
      fix: 'check mapping "where" expressions and column names',
      cause: e,
      ...t,
    });
  if (/Connection terminated|not queryable|timeout|ECONNRESET|socket hang up|terminating connection/i.test(msg))
    return new ConnectorError(`${prefix}connection to PostgreSQL lost: ${msg}`, { class: 'transient', code: 'CONNECTION_LOST', cause: e, ...t });
  return new ConnectorError(`${prefix}${msg}`, { class: 'system', code: code || 'PG_ERROR', retryable: false, cause: e, ...t });
}

/** mysql2's error for a command on a connection the server already closed (e.g. during a restart). */
const CLOSED_MYSQL = /can't add new command when connection is in closed state|connection is in closed state/i;

export function classifyMysqlError(e: unknown, ctx: Ctx = {}): ConnectorError {
  if (e instanceof ConnectorError) return e;
  const tlsErr = tlsError(e, 'MySQL', ctx);
  if (tlsErr) return tlsErr;
  const err = e as { code?: string; errno?: number; message?: string; sqlMessage?: string; fatal?: boolean };
  const code = err.code ?? '';
  const errno = err.errno ?? 0;
  const msg = err.sqlMessage ?? err.message ?? String(e);
  const prefix = ctx.what ? `${ctx.what}: ` : '';
  const col = /column '([^']+)'/i.exec(msg)?.[1];
  const t = { ...tail(ctx), ...(col && !ctx.column ? { column: col } : {}) };
  if (NET.has(code))
    return new ConnectorError(`${prefix}cannot reach MySQL at ${where(ctx)}: ${msg}`, {
      class: 'transient',
      code: 'UNREACHABLE',
      fix: 'check host, port, firewall and that the server is running',
      cause: e,
      ...t,
    });
  if (CLOSED_MYSQL.test(msg))
    return new ConnectorError(`${prefix}the connection to MySQL was lost: ${msg}`, { class: 'transient', code: 'CONNECTION_LOST', cause: e, ...t });
  if (errno === 1045 || code === 'ER_ACCESS_DENIED_ERROR')
    return new ConnectorError(`${prefix}MySQL refused the login for user "${ctx.user ?? '?'}": ${msg}`, {
      class: 'config',
      code: 'AUTH_FAILED',
      retryable: false,
      fix: 'check the user name and password and the host part of the account',
      cause: e,
      ...t,
    });
  if (errno === 1049)
    return new ConnectorError(`${prefix}database "${ctx.database ?? '?'}" does not exist: ${msg}`, {
      class: 'config',
      code: 'DATABASE_MISSING',
      retryable: false,
      fix: 'create the database or fix its name',
      cause: e,
      ...t,
    });
  if (errno === 1044 || errno === 1142 || errno === 1143 || errno === 1227 || errno === 1370)
    return new ConnectorError(`${prefix}permission denied: ${msg}`, {
      class: 'config',
      code: 'PERMISSION_DENIED',
      retryable: false,
      fix: 'grant the missing privilege to the user (see the message)',
      cause: e,
      ...t,
    });
  if (errno === 1146)
    return new ConnectorError(`${prefix}table does not exist: ${msg}`, {
      class: 'config',
      code: 'TABLE_MISSING',
      retryable: false,
      fix: 'check the table name and database',
      cause: e,
      ...t,
    });
  if (errno === 1054)
    return new ConnectorError(`${prefix}column does not exist: ${msg}`, {
      class: 'config',
      code: 'COLUMN_MISSING',
      retryable: false,
      fix: 'check the mapping and the target table',
      cause: e,
      ...t,
    });
  if (errno === 1148 || errno === 3948 || errno === 2068 || errno === 4166)
    return new ConnectorError(`${prefix}LOAD DATA LOCAL is disabled: ${msg}`, {
      class: 'config',
      code: 'LOCAL_INFILE_DISABLED',
      retryable: false,
      fix: 'SET GLOBAL local_infile=1 on the server (the writer falls back to multi-row INSERT)',
      cause: e,
      ...t,
    });
  if (errno === 1071 || errno === 1118 || errno === 1170 || errno === 1074)
    return new ConnectorError(`${prefix}MySQL cannot create this table: ${msg}`, {
      class: 'config',
      code: 'SCHEMA_REJECTED',
      retryable: false,
      fix: 'map the long columns to shorter types, exclude them, or create the target table yourself and use existingTable "upsert"',
      cause: e,
      ...t,
    });
  if (errno === 1213 || errno === 1205 || errno === 1040 || errno === 1053 || errno === 2013 || errno === 2006 || err.fatal)
    return new ConnectorError(`${prefix}transient MySQL error: ${msg}`, { class: 'transient', code: 'TRANSIENT', cause: e, ...t });
  if (errno === 1064 || errno === 1054 || errno === 1305)
    return new ConnectorError(`${prefix}SQL rejected: ${msg}`, {
      class: 'config',
      code: 'BAD_SQL',
      retryable: false,
      fix: 'check mapping "where" expressions and column names',
      cause: e,
      ...t,
    });
  if (
    (errno >= 1263 && errno <= 1266) ||
    errno === 1292 ||
    errno === 1366 ||
    errno === 1406 ||
    errno === 1264 ||
    errno === 1265 ||
    errno === 1048 ||
    errno === 1062 ||
    errno === 1364 ||
    errno === 3140 ||
    errno === 4025
  )
    return new ConnectorError(`${prefix}data rejected by MySQL: ${msg}`, {
      class: 'config',
      code: 'DATA_REJECTED',
      retryable: false,
      fix: 'check the type mapping for this column, or filter the row with a mapping "where"',
      cause: e,
      ...t,
    });
  return new ConnectorError(`${prefix}${msg}`, { class: 'system', code: code || 'MYSQL_ERROR', retryable: false, cause: e, ...t });
}

/**
 * A streaming reader's driver error: a change log the job still needs and the
 * source no longer has is a config error (`CDC_POSITION_PURGED`, the job needs a
 * new full load); anything else goes to the connector's own classifier.
 */
export function classifyStreamError(e: unknown, what: string, fallback: (e: unknown) => ConnectorError): ConnectorError {
  if (e instanceof ConnectorError) return e;
  const err = e as { errno?: number; message?: string };
  const msg = err.message ?? String(e);
  // A source session closed under the reader (a restart): whichever side's classifier is the fallback.
  if (CLOSED_MYSQL.test(msg))
    return new ConnectorError(`${what}: the connection to the source was lost: ${msg}`, { class: 'transient', code: 'CONNECTION_LOST', cause: e });
  if (err.errno === 1236 || /purged binary logs|could not find first log file/i.test(msg)) {
    return new ConnectorError(`${what}: the source no longer has the binlog this job needs (${msg})`, {
      class: 'config',
      code: 'CDC_POSITION_PURGED',
      fix: 'run the job again with a full load (mode full_cdc), and keep binlogs longer (binlog_expire_logs_seconds)',
    });
  }
  if (/requested WAL segment .* has already been removed|replication slot .* does not exist|can no longer get changes from replication slot/i.test(msg)) {
    return new ConnectorError(`${what}: the source no longer has the WAL this job needs (${msg})`, {
      class: 'config',
      code: 'CDC_POSITION_PURGED',
      fix: 'run the job again with a full load (mode full_cdc); raise max_slot_wal_keep_size if the slot was invalidated',
    });
  }
  return fallback(e);
}
