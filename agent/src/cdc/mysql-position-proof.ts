/**
 * MySQL/MariaDB: the source's identity (MySQL: server_uuid; MariaDB: server_id
 * and gtid_domain_id) and the proof, before any read, that a stored position
 * can still be served: the same server, the GTIDs after it are not purged, and
 * the binlog history is the one the position was read from (RESET MASTER
 * restarts GTID counters and file names; once the new history passes the old
 * counter, a GTID alone would resume silently in the wrong history).
 */
import mysql from 'mysql2/promise';
import type { MysqlPosition } from '../connectors/position';
import { positionLost } from './position-lost';

export interface MysqlIdentity {
  maria: boolean;
  serverId: number;
  serverUuid?: string;
  domainId?: number;
}

/** Any mysql2 promise connection (the CDC's own or the connector's). */
type Queryable = Pick<mysql.Connection, 'query'>;

export async function mysqlIdentity(c: Queryable): Promise<MysqlIdentity> {
  const [v] = await c.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v, @@GLOBAL.server_id AS id');
  const maria = /mariadb/i.test(String(v[0]?.v ?? ''));
  const serverId = Number(v[0]?.id ?? 0);
  if (maria) {
    const [d] = await c.query<mysql.RowDataPacket[]>('SELECT @@GLOBAL.gtid_domain_id AS d');
    return { maria, serverId, domainId: Number(d[0]?.d ?? 0) };
  }
  const [u] = await c.query<mysql.RowDataPacket[]>('SELECT @@GLOBAL.server_uuid AS u');
  return { maria, serverId, serverUuid: String(u[0]?.u ?? '') };
}

/** The position with the source's identity recorded (fields already set are kept). */
export function withMysqlIdentity(p: MysqlPosition, id: MysqlIdentity): MysqlPosition {
  const out: MysqlPosition = { ...p, serverId: p.serverId ?? id.serverId };
  if (id.serverUuid && !p.serverUuid) out.serverUuid = id.serverUuid;
  if (id.domainId !== undefined && p.domainId === undefined) out.domainId = id.domainId;
  return out;
}

/** MariaDB GTID positions ('0-1-42,1-2-7'): domain -> sequence number. */
export function mariaDomains(gtid: string): Map<number, bigint> | null {
  const out = new Map<number, bigint>();
  for (const part of gtid
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(\d+)-(\d+)-(\d+)$/.exec(part);
    if (!m) return null;
    out.set(Number(m[1]), BigInt(m[3]!));
  }
  return out;
}

/** `bin.000012` -> 12, for ordering files of one server. */
function fileIndex(name: string): number {
  const m = /\.(\d+)$/.exec(name);
  return m ? Number(m[1]) : NaN;
}

async function rows(c: mysql.Connection, sql: string, params: unknown[] = []): Promise<mysql.RowDataPacket[]> {
  return (await c.query<mysql.RowDataPacket[]>(sql, params))[0];
}

/** Throws CDC_POSITION_LOST when the source cannot serve `pos` without a gap. */
export async function proveMysqlPosition(c: mysql.Connection, pos: MysqlPosition): Promise<void> {
  const id = await mysqlIdentity(c);
  const at = pos.gtidSet ? `GTID ${pos.gtidSet}` : `${pos.file ?? '?'}:${pos.pos ?? '?'}`;
  if (pos.serverUuid && id.serverUuid && pos.serverUuid !== id.serverUuid) {
    throw positionLost(
      `the source is another server (server_uuid ${id.serverUuid}; the checkpoint at ${at} was read from ${pos.serverUuid}), e.g. a restored or replaced server`,
    );
  }
  if (id.maria && pos.serverId !== undefined && pos.serverId !== id.serverId) {
    throw positionLost(
      `the source is another server (server_id ${id.serverId}; the checkpoint at ${at} was read from server_id ${pos.serverId}), e.g. a restored or replaced server`,
    );
  }
  const logs = await rows(c, 'SHOW BINARY LOGS').catch(() => [] as mysql.RowDataPacket[]);
  const names = logs.map((l) => String(l.Log_name));
  if (names.length === 0) return; // binlog off: the preflight says so
  const oldest = names[0]!;
  if (pos.gtidSet && id.maria) await proveMariaGtids(c, pos.gtidSet, oldest);
  if (pos.gtidSet && !id.maria) {
    const [r] = await rows(c, 'SELECT GTID_SUBSET(@@GLOBAL.gtid_purged, ?) AS kept, GTID_SUBSET(?, @@GLOBAL.gtid_executed) AS known', [
      pos.gtidSet,
      pos.gtidSet,
    ]);
    if (Number(r?.kept) !== 1) throw positionLost(`transactions after ${at} were purged from the binlogs (gtid_purged is not within the checkpoint's set)`);
    if (Number(r?.known) !== 1) throw positionLost(`the checkpoint ${at} holds transactions this server never executed (another server, or RESET MASTER)`);
  }
  // The file the position points into must still be there, and (MariaDB) hold the same GTID state at that offset.
  if (!pos.file || !pos.pos || pos.txGtid) return;
  if (!names.includes(pos.file)) {
    if (fileIndex(pos.file) < fileIndex(oldest)) {
      throw positionLost(`the binlog ${pos.file} the checkpoint (${at}) points into was purged; the oldest binlog on the source is ${oldest}`);
    }
    throw positionLost(
      `the binlog ${pos.file} the checkpoint (${at}) points into is not on the source, which now has ${oldest} .. ${names[names.length - 1]}: ` +
        'the binlog history was reset (RESET MASTER) or the server was replaced',
    );
  }
  if (!id.maria || !pos.gtidSet) return;
  const [g] = await rows(c, 'SELECT BINLOG_GTID_POS(?, ?) AS g', [pos.file, pos.pos]);
  const there = g?.g === null || g?.g === undefined ? null : mariaDomains(String(g.g));
  const ours = mariaDomains(pos.gtidSet);
  if (!ours) return;
  const differs = !there || [...ours].some(([d, seq]) => (there.get(d) ?? 0n) !== seq);
  if (differs) {
    throw positionLost(
      `at ${pos.file}:${pos.pos} the source's binlog holds ${there ? `GTID ${[...there].map(([d, s]) => `${d}-*-${s}`).join(',') || '(none)'}` : 'no event boundary'}, ` +
        `not the checkpoint's ${pos.gtidSet}: the binlog history was reset (RESET MASTER) or the server was replaced`,
    );
  }
}

async function proveMariaGtids(c: mysql.Connection, gtidSet: string, oldest: string): Promise<void> {
  const ours = mariaDomains(gtidSet);
  if (!ours) return;
  const [cur] = await rows(c, 'SELECT @@GLOBAL.gtid_binlog_pos AS g');
  const now = mariaDomains(String(cur?.g ?? '')) ?? new Map<number, bigint>();
  for (const [d, seq] of ours) {
    const n = now.get(d);
    if (n === undefined || n < seq) {
      throw positionLost(
        `the source's binlog is behind the checkpoint in GTID domain ${d} (the source is at ${n === undefined ? 'nothing' : `sequence ${n}`}, the checkpoint at ${seq}): ` +
          'the binlog history was reset (RESET MASTER) or the source was restored from an older backup',
      );
    }
  }
  // The oldest binlog's Gtid_list: the GTID state before its first event. A domain past our sequence there was purged.
  const head = await rows(c, `SHOW BINLOG EVENTS IN '${oldest.replace(/'/g, "''")}' LIMIT 4`);
  const list = head.find((e) => String(e.Event_type) === 'Gtid_list');
  const inner = /^\[(.*)\]$/.exec(String(list?.Info ?? '').trim())?.[1];
  const purgedTo = inner !== undefined ? mariaDomains(inner) : null;
  for (const [d, seq] of ours) {
    const p = purgedTo?.get(d);
    if (p !== undefined && p > seq) {
      throw positionLost(`the binlogs holding GTID domain ${d} after sequence ${seq} were purged (the oldest binlog ${oldest} starts after ${d}-*-${p})`);
    }
  }
}
