/**
 * PostgreSQL: the source's identity (IDENTIFY_SYSTEM on a replication
 * connection: system identifier and timeline), and the proof, before any read,
 * that a stored position can still be served: the same server, the slot still
 * exists, its WAL is not lost, and its confirmed_flush_lsn is at or before the
 * position (a slot that starts later was recreated or advanced: the changes in
 * between are gone).
 */
import pg from 'pg';
import type { PgPosition } from '../connectors/position';
import { pgConfig, type PgConnection } from './connections';
import { lsnCompare } from './lsn';
import { positionLost } from './position-lost';

export interface PgIdentity {
  systemId: string;
  timeline: number;
}

export async function pgIdentity(conn: PgConnection): Promise<PgIdentity> {
  const repl = new pg.Client({ ...pgConfig(conn), replication: 'database' } as pg.ClientConfig);
  repl.on('error', () => undefined);
  await repl.connect();
  try {
    const r = await repl.query('IDENTIFY_SYSTEM');
    const row = r.rows[0] as { systemid: string; timeline: string | number };
    return { systemId: String(row.systemid), timeline: Number(row.timeline) };
  } finally {
    await repl.end().catch(() => undefined);
  }
}

/** The position with the source's identity recorded (fields already set are kept). */
export function withPgIdentity(p: PgPosition, id: PgIdentity): PgPosition {
  return { ...p, systemId: p.systemId ?? id.systemId, timeline: p.timeline ?? id.timeline };
}

interface SlotRow {
  confirmed: string | null;
  walStatus: string | null;
  plugin: string | null;
  database: string | null;
}

/** Throws CDC_POSITION_LOST when the source cannot serve `pos` without a gap. */
export async function provePgPosition(conn: PgConnection, pos: PgPosition, defaultSlot: string): Promise<void> {
  const id = await pgIdentity(conn);
  if (pos.systemId && pos.systemId !== id.systemId) {
    throw positionLost(
      `the source is another PostgreSQL cluster (system identifier ${id.systemId}; the checkpoint at ${pos.lsn ?? '?'} was read from ${pos.systemId}), ` +
        'e.g. a restored or replaced server, whose WAL is not the one the checkpoint points into',
    );
  }
  const slot = pos.slot ?? defaultSlot;
  const c = new pg.Client(pgConfig(conn));
  c.on('error', () => undefined); // a server-side end (a restart) while idle surfaces on the next query, not as an uncaught error
  await c.connect();
  let row: SlotRow | undefined;
  try {
    const r = await c.query<SlotRow>(
      `SELECT confirmed_flush_lsn::text AS confirmed, wal_status AS "walStatus", plugin, database
         FROM pg_replication_slots WHERE slot_name = $1`,
      [slot],
    );
    row = r.rows[0];
  } finally {
    await c.end().catch(() => undefined);
  }
  const at = pos.lsn ?? '0/0';
  if (!row) {
    throw positionLost(
      `the replication slot '${slot}' the checkpoint (lsn ${at}) depends on no longer exists on the source ` +
        '(dropped by hand, lost in a failover, or cleaned up), and the WAL after the checkpoint went with it',
    );
  }
  if (row.walStatus === 'lost') {
    throw positionLost(`the WAL the replication slot '${slot}' needs after lsn ${at} was removed (wal_status 'lost': max_slot_wal_keep_size was exceeded)`);
  }
  if (row.database !== null && row.database !== conn.config.database) {
    throw positionLost(`the replication slot '${slot}' belongs to database '${row.database}', not '${conn.config.database}'`);
  }
  if (pos.lsn && row.confirmed && lsnCompare(row.confirmed, pos.lsn) > 0) {
    throw positionLost(
      `the replication slot '${slot}' starts at ${row.confirmed}, after the checkpoint ${pos.lsn}: the changes in between were released ` +
        'without being applied (the slot was dropped and recreated, or advanced by another reader)',
    );
  }
}
