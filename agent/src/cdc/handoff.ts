/**
 * T0: the CDC start, captured BEFORE the first snapshot read.
 *
 * PG: `CREATE_REPLICATION_SLOT <slot> LOGICAL pgoutput EXPORT_SNAPSHOT` on a
 *   replication connection. The slot's consistent point is T0; the exported
 *   snapshot is exactly the database state at T0. Snapshot workers join it with
 *   `BEGIN ISOLATION LEVEL REPEATABLE READ; SET TRANSACTION SNAPSHOT '<name>'`
 *   while the replication connection stays open (release() afterwards).
 *   CDC then streams from T0: every transaction committed after the snapshot,
 *   none before. No gap, no overlap.
 * MySQL/MariaDB: `FLUSH TABLES WITH READ LOCK` (only when several workers must
 *   share the snapshot), `START TRANSACTION WITH CONSISTENT SNAPSHOT` on every
 *   worker connection, then the binlog position of that snapshot (MariaDB:
 *   `binlog_snapshot_file/position` + `BINLOG_GTID_POS()`, exact without a lock;
 *   MySQL: `@@gtid_executed` + `SHOW MASTER STATUS` under the lock), then UNLOCK.
 *   CDC then streams from T0. Rows a snapshot worker reads were committed at or
 *   before T0, so again no gap; any overlap converges through idempotent upserts.
 */
import pg from 'pg';
import mysql from 'mysql2/promise';
import { mysqlConfig, pgConfig, type MysqlConnection, type PgConnection } from './connections';
import { mysqlIdentity, withMysqlIdentity } from './mysql-position-proof';
import { ensurePublication } from './pg-logical';
import type { MysqlPosition, PgPosition, TableKey } from './types';

export interface PgStart {
  position: PgPosition;
  /** Snapshot name for `SET TRANSACTION SNAPSHOT`. */
  snapshotName: string;
  /** Close the replication connection once every snapshot worker has imported the snapshot. */
  release(): Promise<void>;
}

export async function capturePgStart(
  conn: PgConnection,
  opts: { slot: string; publication: string; tables: TableKey[]; replaceExisting?: boolean },
): Promise<PgStart> {
  const admin = new pg.Client(pgConfig(conn));
  admin.on('error', () => undefined); // a server-side end (a restart) while idle surfaces on the next query, not as an uncaught error
  await admin.connect();
  try {
    await ensurePublication(admin, opts.publication, opts.tables);
    const exists = await admin.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [opts.slot]);
    if (exists.rowCount && opts.replaceExisting) {
      // No attempt recorded a start on this slot (the caller checked): nothing depends on it.
      await admin.query('SELECT pg_drop_replication_slot($1)', [opts.slot]);
    } else if (exists.rowCount) {
      throw new Error(`replication slot '${opts.slot}' already exists; a new snapshot needs a new slot (drop it with cleanup, or use another job id)`);
    }
  } finally {
    await admin.end();
  }
  const repl = new pg.Client({ ...pgConfig(conn), replication: 'database' } as pg.ClientConfig);
  repl.on('error', () => undefined);
  await repl.connect();
  const ident = (await repl.query('IDENTIFY_SYSTEM')).rows[0] as { systemid: string; timeline: string | number };
  const r = await repl.query(`CREATE_REPLICATION_SLOT "${opts.slot}" LOGICAL pgoutput EXPORT_SNAPSHOT`);
  const row = r.rows[0] as { consistent_point: string; snapshot_name: string };
  return {
    position: {
      v: 1,
      kind: 'pg',
      lsn: row.consistent_point,
      slot: opts.slot,
      publication: opts.publication,
      systemId: String(ident.systemid),
      timeline: Number(ident.timeline),
    },
    snapshotName: row.snapshot_name,
    release: async () => {
      await repl.end().catch(() => undefined);
    },
  };
}

/** A snapshot reader session on PG joined to the exported snapshot. */
export async function openPgSnapshotReader(conn: PgConnection, snapshotName: string): Promise<pg.Client> {
  const c = new pg.Client(pgConfig(conn));
  c.on('error', () => undefined);
  await c.connect();
  await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  await c.query(`SET TRANSACTION SNAPSHOT '${snapshotName.replace(/'/g, "''")}'`);
  return c;
}

export interface MysqlStart {
  position: MysqlPosition;
  /** Worker connections, each inside the shared consistent snapshot. Caller ends them. */
  readers: mysql.Connection[];
}

export async function captureMysqlStart(conn: MysqlConnection, workers = 1): Promise<MysqlStart> {
  const readers: mysql.Connection[] = [];
  for (let i = 0; i < workers; i++) {
    const c = await mysql.createConnection(mysqlConfig(conn));
    await c.query("SET time_zone = '+00:00'");
    await c.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    readers.push(c);
  }
  const first = readers[0]!;
  const [v] = await first.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
  const maria = /mariadb/i.test(String(v[0]?.v ?? ''));
  const needLock = !maria || workers > 1;
  let lock: mysql.Connection | null = null;
  try {
    if (needLock) {
      lock = await mysql.createConnection(mysqlConfig(conn));
      await lock.query('FLUSH TABLES WITH READ LOCK');
    }
    for (const r of readers) await r.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    const position: MysqlPosition = { v: 1, kind: 'mysql' };
    if (maria) {
      const [st] = await first.query<mysql.RowDataPacket[]>("SHOW STATUS LIKE 'binlog_snapshot_%'");
      const get = (n: string) => st.find((x) => String(x.Variable_name).toLowerCase() === n)?.Value;
      position.file = String(get('binlog_snapshot_file'));
      position.pos = Number(get('binlog_snapshot_position'));
      const [g] = await first.query<mysql.RowDataPacket[]>('SELECT BINLOG_GTID_POS(?, ?) AS g', [position.file, position.pos]);
      const gtid = g[0]?.g;
      if (gtid !== null && gtid !== undefined) position.gtidSet = String(gtid);
    } else {
      const [g] = await lock!.query<mysql.RowDataPacket[]>('SELECT @@GLOBAL.gtid_mode AS m, @@GLOBAL.gtid_executed AS g');
      if (String(g[0]?.m).toUpperCase() === 'ON') position.gtidSet = String(g[0]?.g ?? '').replace(/\s+/g, '');
      const [st] = await lock!.query<mysql.RowDataPacket[]>('SHOW BINARY LOG STATUS').catch(() => lock!.query<mysql.RowDataPacket[]>('SHOW MASTER STATUS'));
      if (st[0]) {
        position.file = String(st[0].File);
        position.pos = Number(st[0].Position);
      }
    }
    return { position: withMysqlIdentity(position, await mysqlIdentity(first)), readers };
  } catch (e) {
    for (const r of readers) await r.end().catch(() => undefined);
    throw e;
  } finally {
    if (lock) {
      await lock.query('UNLOCK TABLES').catch(() => undefined);
      await lock.end().catch(() => undefined);
    }
  }
}

type SnapshotRow = Record<string, string | Buffer | null>;

/** Reads a whole table inside the T0 snapshot, values as exact text (binary columns as bytes). */
export type SnapshotRowReader = (schema: string, table: string, binaryColumns: string[]) => Promise<SnapshotRow[]>;

/** Rows of a PG table on a client that imported the T0 snapshot (bytea decoded from its hex text). */
export function pgSnapshotRows(client: pg.Client): SnapshotRowReader {
  return async (schema, name) => {
    const { decodeByteaText } = await import('./pgoutput-decode');
    const r = await client.query({
      text: `SELECT * FROM "${schema}"."${name}"`,
      types: { getTypeParser: () => (v: string) => v },
    } as pg.QueryConfig);
    const bytea = new Set(r.fields.filter((f) => f.dataTypeID === 17).map((f) => f.name));
    return r.rows.map((row: Record<string, string | null>) => {
      const out: SnapshotRow = {};
      for (const [k, v] of Object.entries(row)) out[k] = v !== null && bytea.has(k) ? decodeByteaText(v) : v;
      return out;
    });
  };
}

/** Rows of a MySQL/MariaDB table on a connection inside the T0 consistent snapshot. */
export function mysqlSnapshotRows(conn: mysql.Connection): SnapshotRowReader {
  return async (schema, name, binaryColumns) => {
    const [r] = await conn.query<mysql.RowDataPacket[]>({
      sql: `SELECT * FROM \`${schema}\`.\`${name}\``,
      typeCast: (field: { type: string; string(): string | null; buffer(): Buffer | null; charset?: number }, _next: () => unknown) =>
        binaryColumns.includes((field as unknown as { name: string }).name) ? field.buffer() : field.string(),
    } as never);
    return r as unknown as SnapshotRow[];
  };
}

/**
 * A minimal single-worker snapshot copy through the CDC applier (upserts by
 * key), reading inside the T0 snapshot (`read`: pgSnapshotRows or mysqlSnapshotRows).
 * The full-load engine is the real snapshot path; this exists for CDC-only
 * deployments that want a simple "copy then stream" and for the handoff tests.
 */
export async function copySnapshot(
  read: SnapshotRowReader,
  tables: { source: TableKey; target: string; keyColumns: string[]; binaryColumns?: string[] }[],
  applier: import('./applier').Applier,
  batchRows = 5_000,
): Promise<number> {
  let total = 0;
  for (const t of tables) {
    const [schema, name] = [t.source.slice(0, t.source.indexOf('.')), t.source.slice(t.source.indexOf('.') + 1)];
    const rows = await read(schema, name, t.binaryColumns ?? []);
    for (let i = 0; i < rows.length; i += batchRows) {
      const chunk = rows.slice(i, i + batchRows);
      await applier.apply([{ table: t.target, keyColumns: t.keyColumns, truncate: false, deletes: [], upserts: chunk.map((row) => ({ row })) }], null);
    }
    total += rows.length;
  }
  return total;
}
