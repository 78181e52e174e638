/**
 * MySQL/MariaDB's streaming capability (the SPI's `source.streaming`): the
 * ROW binlog read through MysqlCdcSource, positions of kind 'mysql' (GTID set
 * plus file/pos). The binlog needs no server-side state of ours.
 */
import mysql from 'mysql2/promise';
import type { PreflightCheck, SourcePosition, StreamingCapability, StreamNames, StreamOptions, StreamRef, StreamStart } from '../connectors/spi';
import { ConnectorError } from '../connectors/connector-error';
import { classifyMysqlError, classifyStreamError } from '../connectors/errors';
import { positionOfKind, type MysqlPosition } from '../connectors/position';
import { toChangeStream } from './change-stream';
import { mysqlConfig, type MysqlConnection } from './connections';
import { MysqlCdcSource } from './mysql-binlog';
import { mysqlIdentity, proveMysqlPosition, withMysqlIdentity } from './mysql-position-proof';
import { preflightMysql } from './preflight';
import type { TableKey } from './types';

/** The current end of the MySQL/MariaDB binlog, as a CDC position. */
export async function mysqlCurrentPosition(conn: mysql.Connection): Promise<MysqlPosition> {
  const [v] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
  const maria = /mariadb/i.test(String(v[0]?.v ?? ''));
  const [st] = await conn
    .query<mysql.RowDataPacket[]>(maria ? 'SHOW MASTER STATUS' : 'SHOW BINARY LOG STATUS')
    .catch(() => conn.query<mysql.RowDataPacket[]>('SHOW MASTER STATUS'));
  const pos: MysqlPosition = { v: 1, kind: 'mysql' };
  if (st[0]) {
    pos.file = String(st[0].File);
    pos.pos = Number(st[0].Position);
  }
  if (maria && pos.file) {
    // The GTID state at exactly that file/pos (reading gtid_binlog_pos separately races with writes).
    const [g] = await conn.query<mysql.RowDataPacket[]>('SELECT BINLOG_GTID_POS(?, ?) AS g', [pos.file, pos.pos]);
    pos.gtidSet = String(g[0]?.g ?? '');
  } else if (maria) {
    const [g] = await conn.query<mysql.RowDataPacket[]>('SELECT @@GLOBAL.gtid_binlog_pos AS g');
    pos.gtidSet = String(g[0]?.g ?? '');
  } else {
    const [g] = await conn.query<mysql.RowDataPacket[]>('SELECT @@GLOBAL.gtid_mode AS m, @@GLOBAL.gtid_executed AS g');
    if (String(g[0]?.m).toUpperCase() === 'ON') pos.gtidSet = String(g[0]?.g ?? '').replace(/\s+/g, '');
  }
  return withMysqlIdentity(pos, await mysqlIdentity(conn));
}

function badStart(message: string, fix: string): ConnectorError {
  return new ConnectorError(message, { class: 'config', code: 'BAD_CDC_START', fix });
}

export class MysqlStreaming implements StreamingCapability {
  readonly positionKind = 'mysql' as const;

  constructor(private readonly conn: MysqlConnection) {}

  preflight(opts: { tables?: TableKey[]; estimatedSnapshotSeconds?: number }): Promise<PreflightCheck[]> {
    return preflightMysql(this.conn, opts);
  }

  private async withConnection<T>(fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
    const c = await mysql.createConnection(mysqlConfig(this.conn));
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }

  listStreams(): Promise<TableKey[]> {
    return this.withConnection(async (c) => {
      const [rows] = await c.query<mysql.RowDataPacket[]>(
        "SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1",
        [this.conn.config.database],
      );
      return rows.map((x) => String(x.t));
    });
  }

  barrier(): Promise<MysqlPosition> {
    return this.withConnection(mysqlCurrentPosition);
  }

  async prepare(): Promise<void> {
    // The binlog carries every table; nothing to set up.
  }

  async initialPosition(_names: StreamNames, _tables: TableKey[], start: StreamStart): Promise<MysqlPosition> {
    if (start.from === 'lsn')
      throw badStart('an LSN start applies to PostgreSQL sources; use a GTID set for MySQL/MariaDB', 'start from now, or from a GTID set');
    if (start.from === 'gtid') {
      const gtidSet = start.gtidSet;
      return this.withConnection(async (c) => {
        const p = withMysqlIdentity({ v: 1, kind: 'mysql', gtidSet }, await mysqlIdentity(c));
        await proveMysqlPosition(c, p);
        return p;
      });
    }
    return this.withConnection(mysqlCurrentPosition);
  }

  async provePosition(position: SourcePosition): Promise<void> {
    const p = positionOfKind(position, 'mysql');
    if (!p) throw badStart(`a MySQL/MariaDB source cannot stream from a ${position.kind} position`, 'start from a position this source returned');
    await this.withConnection((c) => proveMysqlPosition(c, p));
  }

  open(from: SourcePosition, opts: StreamOptions): MysqlCdcSource {
    if (!positionOfKind(from, 'mysql'))
      throw badStart(`a MySQL/MariaDB source cannot stream from a ${from.kind} position`, 'start from a position this source returned');
    return new MysqlCdcSource(this.conn, { tables: opts.tables, ...(opts.maxTxChanges !== undefined ? { maxTxChanges: opts.maxTxChanges } : {}) });
  }

  async startCdc(from: SourcePosition, streams: StreamRef[]) {
    const start = positionOfKind(from, 'mysql');
    if (!start) throw badStart(`a MySQL/MariaDB source cannot stream from a ${from.kind} position`, 'start from a position this source returned');
    const source = this.open(start, { names: { jobId: '', slot: '', publication: '' }, tables: streams.map((s) => `${s.schema}.${s.table}`) });
    await source.start(start);
    return toChangeStream(source);
  }

  async cleanup(): Promise<void> {
    // Nothing is held on the source.
  }

  classifyError(e: unknown, what: string): ConnectorError {
    return classifyStreamError(e, what, (x) => classifyMysqlError(x, { what }));
  }
}
