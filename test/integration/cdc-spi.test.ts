/**
 * CDC through the connector SPI (`Source.plan({cdc}) -> cdcStart`, `source.streaming.startCdc(from)`,
 * `ack`): read everything, remember the position after half of it, resume there
 * and get exactly the rest, for PostgreSQL and MariaDB sources.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createSource } from '../../agent/src/connectors';
import type { ChangeEvent, SourcePosition } from '../../agent/src/connectors/spi';
import { cleanupPgCdc } from '../../agent/src/cdc/pg-logical';
import type { PgConnection } from '../../agent/src/cdc/connections';
import { createDb, exec, type Db, type Kind } from '../support/cdc-support';

const dbs: Db[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
});

async function readTxs(stream: AsyncIterable<ChangeEvent[]>, n: number, timeoutMs = 30_000): Promise<ChangeEvent[][]> {
  const out: ChangeEvent[][] = [];
  const until = Date.now() + timeoutMs;
  for await (const tx of stream) {
    out.push(tx);
    if (out.length >= n || Date.now() > until) break;
  }
  return out;
}

describe.each(['postgres', 'mysql'] as Kind[])('SPI startCdc on %s', (kind) => {
  it('resumes at a CDC position and delivers exactly the rest', async () => {
    const db = await createDb(kind, 'spi');
    dbs.push(db);
    const x = await exec(db);
    await x.query(kind === 'postgres' ? 'CREATE TABLE t (id int PRIMARY KEY, v text)' : 'CREATE TABLE t (id int PRIMARY KEY, v longtext)');
    const src = createSource(db.conn);
    const catalog = await src.discover();
    const slot = `h6_spi_${Date.now().toString(36)}`;
    const plan = await src.plan(catalog.tables, { snapshot: true, cdc: true, chunkSize: 1000, cdcSlot: slot });
    await src.close();
    expect(plan.cdcStart).toBeDefined();
    const streams = [{ schema: kind === 'postgres' ? 'public' : db.name, table: 't' }];
    for (let i = 1; i <= 10; i++) await x.query(`INSERT INTO t VALUES (${i}, 'v${i}')`);
    await x.query("UPDATE t SET v = 'changed' WHERE id = 3");
    await x.query('DELETE FROM t WHERE id = 4');

    const s1 = await createSource(db.conn).streaming!.startCdc(plan.cdcStart!, streams);
    const all = await readTxs(s1, 12);
    expect(all.map((tx) => tx.map((e) => `${e.op}:${e.after?.id ?? e.before?.id}`).join())).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `insert:${i + 1}`),
      'update:3',
      'delete:4',
    ]);
    expect(all[10]![0]!.after).toMatchObject({ id: '3', v: 'changed' });
    const half: SourcePosition = all[5]![0]!.position;
    await s1.ack(half);
    await s1.close();

    const s2 = await createSource(db.conn).streaming!.startCdc(half, streams);
    const rest = await readTxs(s2, 6);
    await s2.close();
    expect(rest.map((tx) => tx.map((e) => `${e.op}:${e.after?.id ?? e.before?.id}`).join())).toEqual([
      'insert:7',
      'insert:8',
      'insert:9',
      'insert:10',
      'update:3',
      'delete:4',
    ]);
    await x.close();
    if (kind === 'postgres') await cleanupPgCdc(db.conn as PgConnection, { slot, publication: slot });
  });
});
