/**
 * PostgreSQL logical replication state on the source: the publication and the
 * slot a job streams from (created, re-pointed, dropped), and table descriptions.
 */
import pg from 'pg';
import { pgConfig, type PgConnection } from './connections';
import { removePgDdlCaptureIfUnused } from './pg-ddl-capture';
import type { SourceTable, TableKey } from './types';

export function splitTableKey(key: TableKey): { schema: string; name: string } {
  const i = key.indexOf('.');
  if (i < 0) return { schema: 'public', name: key };
  return { schema: key.slice(0, i), name: key.slice(i + 1) };
}

function qualified(key: TableKey): string {
  const { schema, name } = splitTableKey(key);
  return `"${schema.replace(/"/g, '""')}"."${name.replace(/"/g, '""')}"`;
}

/** Creates the publication (or sets its tables) and the slot if missing. Returns the slot's confirmed LSN. */
export async function setupPgCdc(
  conn: PgConnection,
  opts: { slot: string; publication: string; tables: TableKey[] },
): Promise<{ lsn: string; createdSlot: boolean }> {
  const client = new pg.Client(pgConfig(conn));
  client.on('error', () => undefined); // a server-side end (a restart) while idle surfaces on the next query, not as an uncaught error
  await client.connect();
  try {
    await ensurePublication(client, opts.publication, opts.tables);
    const existing = await client.query<{ lsn: string | null }>('SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1', [
      opts.slot,
    ]);
    const row = existing.rows[0];
    if (row) return { lsn: row.lsn ?? '0/0', createdSlot: false };
    const created = await client.query<{ lsn: string }>("SELECT lsn::text AS lsn FROM pg_create_logical_replication_slot($1, 'pgoutput')", [opts.slot]);
    return { lsn: created.rows[0]!.lsn, createdSlot: true };
  } finally {
    await client.end();
  }
}

export async function ensurePublication(client: pg.Client, publication: string, tables: TableKey[]): Promise<void> {
  if (tables.length === 0) throw new Error('CDC needs at least one captured table');
  const list = tables.map(qualified).join(', ');
  const exists = await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [publication]);
  const pubIdent = `"${publication.replace(/"/g, '""')}"`;
  if (exists.rowCount) await client.query(`ALTER PUBLICATION ${pubIdent} SET TABLE ${list}`);
  else await client.query(`CREATE PUBLICATION ${pubIdent} FOR TABLE ${list}`);
}

/**
 * A running job's live table changes: ADD the wanted tables that exist and are not published yet, DROP the
 * `drop` ones that are. Never SET TABLE: the CDC loop lags the source, so its list can still hold a table
 * dropped since (SET fails) or a table's old name after a rename (SET would take the renamed table out of
 * the publication, and its changes would silently stop).
 */
export async function alterPublication(client: pg.Client, publication: string, tables: TableKey[], drop: TableKey[]): Promise<void> {
  const exists = await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [publication]);
  if (!exists.rowCount) return ensurePublication(client, publication, tables);
  const pubIdent = `"${publication.replace(/"/g, '""')}"`;
  const published = new Set(
    (await client.query<{ t: string }>("SELECT schemaname || '.' || tablename AS t FROM pg_publication_tables WHERE pubname = $1", [publication])).rows.map(
      (r) => r.t,
    ),
  );
  const existing = new Set(
    (
      await client.query<{ t: string }>(
        `SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p') AND n.nspname || '.' || c.relname = ANY($1::text[])`,
        [tables],
      )
    ).rows.map((r) => r.t),
  );
  const add = tables.filter((t) => existing.has(t) && !published.has(t));
  const del = drop.filter((t) => published.has(t) && !tables.includes(t));
  if (add.length) await client.query(`ALTER PUBLICATION ${pubIdent} ADD TABLE ${add.map(qualified).join(', ')}`);
  if (del.length) await client.query(`ALTER PUBLICATION ${pubIdent} DROP TABLE ${del.map(qualified).join(', ')}`);
}

/**
 * Drops the slot and the publication (job deleted / finished), then the DDL capture when no other
 * Sluice slot streams from this database. Idempotent. Returns what it did with the DDL capture.
 */
export async function cleanupPgCdc(conn: PgConnection, opts: { slot: string; publication: string }): Promise<string> {
  const client = new pg.Client(pgConfig(conn));
  client.on('error', () => undefined); // a server-side end (a restart) while idle surfaces on the next query, not as an uncaught error
  await client.connect();
  try {
    const active = await client.query<{ pid: number | null }>('SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1', [opts.slot]);
    const pid = active.rows[0]?.pid;
    if (pid) await client.query('SELECT pg_terminate_backend($1)', [pid]);
    for (let i = 0; i < 50; i++) {
      const r = await client.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active', [opts.slot]);
      if (!r.rowCount) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    await client.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [opts.slot]);
    await client.query(`DROP PUBLICATION IF EXISTS "${opts.publication.replace(/"/g, '""')}"`);
    return await removePgDdlCaptureIfUnused(client, opts.slot);
  } finally {
    await client.end();
  }
}

export async function describePgTable(client: pg.Client, table: TableKey): Promise<SourceTable> {
  const { schema, name } = splitTableKey(table);
  const cols = await client.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [schema, name],
  );
  if (!cols.rowCount) throw new Error(`source table ${schema}.${name} does not exist`);
  const pk = await client.query<{ name: string }>(
    `SELECT a.attname AS name
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE n.nspname = $1 AND c.relname = $2 AND i.indisprimary
      ORDER BY k.ord`,
    [schema, name],
  );
  return { key: table, schema, name, columns: cols.rows, keyColumns: pk.rows.map((r) => r.name) };
}
