/**
 * Fencing at the target (issue 19 item 0), on the real PG and MariaDB test
 * services: every write transaction under a lease checks and advances the
 * lease epoch in `_sluice_checkpoints`; a write under an older epoch fails
 * with ConnectorError code FENCED and changes nothing; writers of the same
 * epoch do not block each other; the CDC applier's batches are fenced the same way.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTarget } from '../../agent/src/connectors';
import type { Fence, Row, Target, WriteTarget } from '../../agent/src/connectors/spi';
import { createDb, exec, type Db, type Kind } from '../support/cdc-support';

const dbs: Db[] = [];
const targets: Target[] = [];
afterAll(async () => {
  for (const t of targets) await t.close().catch(() => undefined);
  for (const d of dbs) await d.drop().catch(() => undefined);
});

const JOB = 'fence-job';
const KEY = 'lease:task-1';
const fence = (epoch: number): Fence => ({ jobId: JOB, stream: 'chunk:t#0', mayExist: true, lease: { key: KEY, epoch } });
const rows = (from: number, n: number, v: string): Row[] => Array.from({ length: n }, (_, i) => [String(from + i), v]);

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code ?? (e as Error).message;
  }
}

describe.each<Kind>(['postgres', 'mysql'])('fencing at a %s target', (kind) => {
  it('refuses a stale epoch, advances on a newer one, and lets one epoch write concurrently', { timeout: 60_000 }, async () => {
    const db = await createDb(kind, 'fence');
    dbs.push(db);
    const x = await exec(db);
    await x.query(kind === 'postgres' ? 'CREATE TABLE t (id bigint PRIMARY KEY, v text)' : 'CREATE TABLE t (id bigint PRIMARY KEY, v text) ENGINE=InnoDB');
    const target = createTarget(db.conn, { maxConnections: 4 });
    targets.push(target);
    const w: WriteTarget = {
      schema: target.namespace,
      table: 't',
      columns: ['id', 'v'],
      types: [{ kind: 'int', bits: 64 }, { kind: 'text' }],
      primaryKey: ['id'],
    };
    const count = async (v: string) => {
      const r = (await x.query(`SELECT count(*) AS n FROM t WHERE v = '${v}'`)) as { rows?: { n: string }[] } | { n: string }[];
      return Number((Array.isArray(r) ? r : r.rows!)[0]!.n);
    };
    const storedEpoch = async () => {
      const sql =
        kind === 'postgres'
          ? `SELECT (position->>'epoch')::int AS e FROM _sluice_checkpoints WHERE job_id = '${JOB}' AND stream = '${KEY}'`
          : `SELECT CAST(JSON_EXTRACT(position, '$.epoch') AS UNSIGNED) AS e FROM _sluice_checkpoints WHERE job_id = '${JOB}' AND stream = '${KEY}'`;
      const r = (await x.query(sql)) as { rows?: { e: number }[] } | { e: number }[];
      return Number((Array.isArray(r) ? r : r.rows!)[0]?.e);
    };

    // The first write under epoch 1 creates the fence row.
    await target.writeBatch(w, rows(1, 10, 'e1'), fence(1));
    expect(await storedEpoch()).toBe(1);
    // A newer lease advances it.
    await target.writeBatch(w, rows(11, 10, 'e2'), fence(2));
    expect(await storedEpoch()).toBe(2);
    // The stale lease's write fails and leaves nothing behind.
    expect(await codeOf(target.writeBatch(w, rows(100, 10, 'stale'), fence(1)))).toBe('FENCED');
    expect(await count('stale')).toBe(0);
    expect(await storedEpoch()).toBe(2);

    // Two writers of the same epoch: the second commits while the first's transaction is still open.
    const a = await target.openWriter!(w, fence(2));
    await a.write(rows(200, 5, 'a'));
    const b = await target.openWriter!(w, fence(2));
    await b.write(rows(300, 5, 'b'));
    await b.commit();
    await b.close();
    expect(await count('b')).toBe(5);

    // A newer epoch waits for the open transaction of the older one, then every older transaction fails.
    const newer = target.writeBatch(w, rows(400, 5, 'e3'), fence(3));
    let newerDone = false;
    void newer.then(() => (newerDone = true)).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    expect(newerDone).toBe(false);
    await a.commit();
    await a.close();
    await newer;
    expect(await count('a')).toBe(5);
    expect(await count('e3')).toBe(5);
    expect(await storedEpoch()).toBe(3);
    const late = await target.openWriter!(w, fence(2));
    expect(await codeOf(late.write(rows(500, 5, 'late')))).toBe('FENCED');
    await late.close();
    expect(await count('late')).toBe(0);

    // The CDC applier: a batch and its checkpoint under a stale epoch are refused together.
    const applier = target.openApplier!();
    await applier.init();
    try {
      const plan = { table: 't', keyColumns: ['id'], truncate: false, deletes: [], upserts: [{ row: { id: '600', v: 'cdc' } }] };
      const position = kind === 'postgres' ? { v: 1, kind: 'pg', lsn: '0/1' } : { v: 1, kind: 'mysql', gtidSet: '0-1-1' };
      const cp = (epoch: number) => ({ jobId: JOB, stream: 'cdc', position: position as never, lease: { key: KEY, epoch } });
      expect(await codeOf(applier.apply([plan], cp(2)))).toBe('FENCED');
      expect(await count('cdc')).toBe(0);
      expect(await applier.readCheckpoint(JOB, 'cdc')).toBeNull();
      await applier.apply([plan], cp(4));
      expect(await count('cdc')).toBe(1);
      expect(await storedEpoch()).toBe(4);
      expect(await codeOf(target.writeBatch(w, rows(700, 1, 'old'), fence(3)))).toBe('FENCED');
    } finally {
      await applier.close();
    }
    await x.close();
  });
});
