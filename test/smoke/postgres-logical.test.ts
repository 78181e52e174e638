/**
 * Smoke test: the private PostgreSQL (test/services/postgres.sh) does logical decoding.
 * - a test_decoding slot read back with pg_logical_slot_get_changes;
 * - a pgoutput slot streamed over the replication protocol (the agent's own CopyBoth stream),
 *   acknowledged by hand only, then resumed: only the changes after the acknowledged LSN come back.
 */
import pg from 'pg';
import { PgReplicationStream } from '../../agent/src/cdc/pg-replication-stream';
import { PgoutputDecoder, type PgMessage } from '../../agent/src/cdc/pgoutput-decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgUrl, services, uniqueName } from '../support/services';

const db = uniqueName('h2_smoke');
const slots: string[] = [];
let root: pg.Client;
let client: pg.Client;

beforeAll(async () => {
  root = new pg.Client({ connectionString: pgUrl('postgres') });
  await root.connect();
  await root.query(`CREATE DATABASE "${db}"`);
  client = new pg.Client({ connectionString: pgUrl(db) });
  await client.connect();
  await client.query('CREATE TABLE items (id INT PRIMARY KEY, name TEXT NOT NULL, qty INT NOT NULL)');
});

afterAll(async () => {
  await client?.end();
  if (!root) return;
  for (const s of slots) {
    await root.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [s]).catch(() => {});
  }
  await root.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  await root.end();
});

async function createSlot(plugin: 'test_decoding' | 'pgoutput'): Promise<string> {
  const slot = uniqueName('h2_slot');
  slots.push(slot);
  await client.query('SELECT pg_create_logical_replication_slot($1, $2)', [slot, plugin]);
  return slot;
}

describe('private PostgreSQL logical decoding', () => {
  it('runs with wal_level=logical and replication slots', async () => {
    const { rows } = await client.query<{ wal_level: string; slots: string; senders: string }>(
      `SELECT current_setting('wal_level') AS wal_level, current_setting('max_replication_slots') AS slots,
              current_setting('max_wal_senders') AS senders`,
    );
    expect(rows[0]).toEqual({ wal_level: 'logical', slots: '20', senders: '20' });
    expect(services.pg.port).not.toBe(5432);
  });

  it('reads changes from a test_decoding slot', async () => {
    const slot = await createSlot('test_decoding');
    await client.query(`INSERT INTO items VALUES (1, 'bolt', 5), (2, 'nut', 7)`);
    await client.query(`UPDATE items SET qty = 6 WHERE id = 1`);
    await client.query(`DELETE FROM items WHERE id = 2`);

    const { rows } = await client.query<{ data: string }>('SELECT data FROM pg_logical_slot_get_changes($1, NULL, NULL)', [slot]);
    const changes = rows.map((r) => r.data).filter((d) => d.startsWith('table '));
    expect(changes).toEqual([
      `table public.items: INSERT: id[integer]:1 name[text]:'bolt' qty[integer]:5`,
      `table public.items: INSERT: id[integer]:2 name[text]:'nut' qty[integer]:7`,
      `table public.items: UPDATE: id[integer]:1 name[text]:'bolt' qty[integer]:6`,
      `table public.items: DELETE: id[integer]:2`,
    ]);
    expect(rows.filter((r) => r.data.startsWith('COMMIT'))).toHaveLength(3);

    // get_changes consumed them: a second read is empty.
    const again = await client.query('SELECT data FROM pg_logical_slot_get_changes($1, NULL, NULL)', [slot]);
    expect(again.rowCount).toBe(0);
    await client.query('DELETE FROM items');
    await client.query('SELECT pg_logical_slot_get_changes($1, NULL, NULL)', [slot]);
  });

  it('streams pgoutput over CopyBoth with manual acknowledgement only, and resumes after the ack', async () => {
    const pub = uniqueName('h2_pub');
    await client.query(`CREATE PUBLICATION "${pub}" FOR TABLE items`);
    const slot = await createSlot('pgoutput');
    const config = { host: services.pg.host, port: services.pg.port, user: services.pg.user, database: db };
    const confirmedAtLeast = async (lsn: string) =>
      (await client.query<{ ok: boolean }>('SELECT confirmed_flush_lsn >= $2::pg_lsn AS ok FROM pg_replication_slots WHERE slot_name = $1', [slot, lsn]))
        .rows[0]?.ok === true;

    /** Streams until a commit arrives after `changes` row messages; acknowledges that commit by hand. */
    async function readBatch(run: () => Promise<void>, changes: number, from: string) {
      const stream = new PgReplicationStream(config);
      const decoder = new PgoutputDecoder();
      const got: PgMessage[] = [];
      let failure: unknown;
      let keepalives = 0;
      let resolveCommit: (lsn: string) => void = () => {};
      const done = new Promise<string>((resolve) => (resolveCommit = resolve));
      await stream.start(
        slot,
        from,
        { proto_version: '1', publication_names: pub },
        {
          error: (e) => {
            failure = e;
          },
          message: (m) => {
            if (m.type === 'keepalive') {
              keepalives++;
              return;
            }
            const msg = decoder.decode(m.data);
            got.push(msg);
            const rowMsgs = got.filter((x) => x.tag === 'insert' || x.tag === 'update' || x.tag === 'delete').length;
            if (msg.tag === 'commit' && rowMsgs >= changes) resolveCommit(msg.endLsn);
          },
        },
      );
      try {
        await run();
        const commitLsn = await Promise.race([
          done,
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`stream gave ${got.length} messages in 20 s (${String(failure)})`)), 20_000)),
        ]);
        expect(failure).toBeUndefined();
        // Received is not durable: nothing confirms the commit before we ack it (keepalives included).
        await new Promise((res) => setTimeout(res, 300));
        expect(await confirmedAtLeast(commitLsn)).toBe(false);
        stream.sendStatus(commitLsn);
        // The walsender records the acknowledgement as the slot's confirmed_flush_lsn.
        const deadline = Date.now() + 10_000;
        let confirmed = false;
        while (!confirmed && Date.now() < deadline) {
          confirmed = await confirmedAtLeast(commitLsn);
          if (!confirmed) await new Promise((res) => setTimeout(res, 100));
        }
        expect(confirmed).toBe(true);
        return { got, commitLsn, keepalives };
      } finally {
        await stream.close();
      }
    }

    const first = await readBatch(
      async () => {
        await client.query(`INSERT INTO items VALUES (10, 'washer', 1), (11, 'gear', 2)`);
        await client.query(`UPDATE items SET qty = 3 WHERE id = 10`);
      },
      3,
      '0/0',
    );
    const rel = first.got.find((m) => m.tag === 'relation');
    expect(rel?.tag === 'relation' && rel.relation).toMatchObject({ schema: 'public', name: 'items' });
    expect(rel?.tag === 'relation' && rel.relation.columns.map((c) => c.name)).toEqual(['id', 'name', 'qty']);
    const rows1 = first.got.flatMap((m) => (m.tag === 'insert' || m.tag === 'update' ? [[m.tag, m.after.row]] : []));
    expect(rows1).toEqual([
      ['insert', { id: '10', name: 'washer', qty: '1' }],
      ['insert', { id: '11', name: 'gear', qty: '2' }],
      ['update', { id: '10', name: 'washer', qty: '3' }],
    ]);

    // Resume from the slot: nothing before the acknowledged commit is delivered again.
    const second = await readBatch(
      async () => {
        await client.query(`DELETE FROM items WHERE id = 11`);
      },
      1,
      first.commitLsn,
    );
    const rows2 = second.got.filter((m) => m.tag === 'insert' || m.tag === 'update' || m.tag === 'delete');
    expect(rows2).toHaveLength(1);
    expect(rows2[0]?.tag === 'delete' && rows2[0].before.row).toMatchObject({ id: '11' });

    await client.query(`DROP PUBLICATION "${pub}"`);
  });

  it('reports a server error in the middle of the stream (a missing publication) and closes cleanly', async () => {
    const slot = await createSlot('pgoutput');
    const stream = new PgReplicationStream({ host: services.pg.host, port: services.pg.port, user: services.pg.user, database: db });
    const errors: Error[] = [];
    await stream.start(slot, '0/0', { proto_version: '1', publication_names: 'no_such_publication' }, { message: () => {}, error: (e) => void errors.push(e) });
    await client.query(`INSERT INTO items VALUES (20, 'spring', 1)`);
    const deadline = Date.now() + 15_000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    expect(errors[0]?.message).toMatch(/publication "no_such_publication" does not exist/);
    // after the ERROR the walsender ends the connection: close() neither hangs nor throws
    await stream.close();
    await client.query('DELETE FROM items WHERE id = 20');
  });
});
