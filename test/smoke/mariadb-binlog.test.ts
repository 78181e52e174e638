/**
 * Smoke test: the private MariaDB (test/services/mariadb.sh) writes a real ROW binlog with full row
 * images and native GTIDs, readable with @vlasky/zongji, and LOAD DATA LOCAL INFILE works.
 */
import ZongJi, { MariadbGtidPosition, type AnyBinlogEvent } from '@vlasky/zongji';
import mysql from 'mysql2/promise';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services, uniqueName } from '../support/services';

const conn = { host: services.mariadb.host, port: services.mariadb.port, user: services.mariadb.user };
const db = uniqueName('h2_smoke');

type Row = Record<string, unknown>;
interface Captured {
  name: string;
  gtid: string | undefined;
  schema?: string;
  table?: string;
  rows?: unknown[];
}

let admin: mysql.Connection;

async function scalar(sql: string): Promise<string> {
  const [rows] = await admin.query<mysql.RowDataPacket[]>(sql);
  return String(Object.values(rows[0] ?? {})[0] ?? '');
}

beforeAll(async () => {
  admin = await mysql.createConnection({ ...conn, multipleStatements: false });
  await admin.query(`CREATE DATABASE \`${db}\``);
  await admin.query(`CREATE TABLE \`${db}\`.accounts (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL, balance DECIMAL(12,2) NOT NULL, note TEXT NULL)`);
});

afterAll(async () => {
  await admin?.query(`DROP DATABASE IF EXISTS \`${db}\``);
  await admin?.end();
});

describe('private MariaDB binlog', () => {
  it('is configured for CDC', async () => {
    const [rows] = await admin.query<mysql.RowDataPacket[]>(
      'SELECT @@log_bin AS log_bin, @@binlog_format AS fmt, @@binlog_row_image AS image, @@local_infile AS local_infile, @@server_id AS sid, @@version AS version',
    );
    expect(rows[0]).toMatchObject({ log_bin: 1, fmt: 'ROW', image: 'FULL', local_infile: 1 });
    expect(Number(rows[0]?.sid)).toBeGreaterThan(0);
    expect(String(rows[0]?.version)).toMatch(/MariaDB/);
  });

  it('streams row events with GTIDs, and @@gtid_binlog_pos advances', async () => {
    const before = await scalar('SELECT @@gtid_binlog_pos');
    const events: Captured[] = [];
    const zongji = new ZongJi(conn);
    const stopped = new Promise<void>((resolve) => zongji.once('stopped', () => resolve()));
    let failure: Error | undefined;
    zongji.on('error', (e: Error) => {
      failure = e;
    });
    zongji.on('binlog', (e: AnyBinlogEvent) => {
      const c: Captured = { name: e.getEventName(), gtid: e.gtid };
      if (e.getEventName() === 'writerows' || e.getEventName() === 'updaterows' || e.getEventName() === 'deleterows') {
        const re = e as Extract<AnyBinlogEvent, { rows: unknown[] }>;
        const t = re.tableMap[re.tableId];
        c.schema = t?.parentSchema;
        c.table = t?.tableName;
        c.rows = re.rows;
      }
      events.push(c);
    });
    const ready = new Promise<void>((resolve, reject) => {
      zongji.once('ready', () => resolve());
      zongji.once('error', reject);
    });
    zongji.start({
      serverId: 10_000 + Math.floor(Math.random() * 50_000),
      startAtEnd: true,
      includeEvents: ['tablemap', 'writerows', 'updaterows', 'deleterows', 'mariadbgtid'],
      includeSchema: { [db]: true },
    });
    try {
      await ready;

      await admin.query(`INSERT INTO \`${db}\`.accounts VALUES (1, 'ada', 10.50, NULL), (2, 'grace', 20.00, 'x')`);
      await admin.query(`UPDATE \`${db}\`.accounts SET balance = balance + 1 WHERE id = 2`);
      await admin.query(`DELETE FROM \`${db}\`.accounts WHERE id = 1`);

      const deadline = Date.now() + 20_000;
      while (!events.some((e) => e.name === 'deleterows') && !failure && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(failure).toBeUndefined();
    } finally {
      zongji.stop();
      await Promise.race([stopped, new Promise((r) => setTimeout(r, 5000))]);
    }

    const writes = events.filter((e) => e.name === 'writerows');
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ schema: db, table: 'accounts' });
    const inserted = (writes[0]?.rows ?? []) as Row[];
    expect(inserted.map((r) => ({ id: r.id, name: r.name, balance: String(r.balance), note: r.note }))).toEqual([
      { id: 1, name: 'ada', balance: '10.50', note: null },
      { id: 2, name: 'grace', balance: '20.00', note: 'x' },
    ]);

    // binlog_row_image=FULL: the update carries every column before and after.
    const updates = events.filter((e) => e.name === 'updaterows');
    expect(updates).toHaveLength(1);
    const upd = (updates[0]?.rows ?? []) as { before: Row; after: Row }[];
    expect(upd).toHaveLength(1);
    expect(upd[0]?.before).toMatchObject({ id: 2, name: 'grace', note: 'x' });
    expect(String(upd[0]?.before.balance)).toBe('20.00');
    expect(String(upd[0]?.after.balance)).toBe('21.00');
    expect(upd[0]?.after).toMatchObject({ id: 2, name: 'grace', note: 'x' });

    const deletes = events.filter((e) => e.name === 'deleterows');
    expect(((deletes[0]?.rows ?? []) as Row[])[0]).toMatchObject({ id: 1, name: 'ada' });

    // Each row event belongs to a MariaDB GTID (domain-server-seq), one transaction per statement.
    const rowGtids = [...writes, ...updates, ...deletes].map((e) => e.gtid);
    for (const g of rowGtids) expect(g).toMatch(/^\d+-\d+-\d+$/);
    expect(new Set(rowGtids).size).toBe(3);

    const after = await scalar('SELECT @@gtid_binlog_pos');
    expect(after).not.toBe(before);
    const afterPos = MariadbGtidPosition.parse(after);
    const beforePos = MariadbGtidPosition.parse(before);
    for (const g of rowGtids) {
      expect(afterPos.covers(g)).toBe(true);
      expect(beforePos.covers(g)).toBe(false);
    }
    // Our three transactions are in commit order in their domain (other tests may write in between).
    const seqs = rowGtids.map((g) => Number(g?.split('-')[2]));
    expect(seqs[1]).toBeGreaterThan(seqs[0] ?? Infinity);
    expect(seqs[2]).toBeGreaterThan(seqs[1] ?? Infinity);
  });

  it('accepts LOAD DATA LOCAL INFILE', async () => {
    const loader = await mysql.createConnection({
      ...conn,
      database: db,
      infileStreamFactory: () => Readable.from([Buffer.from('10\tlinus\t1.00\n11\tbarbara\t2.50\n')]),
    });
    try {
      const [res] = await loader.query<mysql.ResultSetHeader>({
        sql: `LOAD DATA LOCAL INFILE 'rows.tsv' INTO TABLE accounts (id, name, balance)`,
      });
      expect(res.affectedRows).toBe(2);
    } finally {
      await loader.end();
    }
    const [rows] = await admin.query<mysql.RowDataPacket[]>(`SELECT id, name FROM \`${db}\`.accounts WHERE id >= 10 ORDER BY id`);
    expect(rows.map((r) => [r.id, r.name])).toEqual([
      [10, 'linus'],
      [11, 'barbara'],
    ]);
  });
});
