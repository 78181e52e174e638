/**
 * The connector acceptance suite (like Conduit's AcceptanceTest): a connector
 * declares its capabilities, and `runAcceptance` registers every case that
 * applies to them. MySQL and PostgreSQL run it in connectors.test.ts; the
 * Kafka source and target run it the same way, with a fixture whose stream is a
 * topic and whose record id is the record key.
 *
 * The fixture's stream `items` holds records whose FIRST column is the record
 * id (decimal text); seed(n) writes ids 1..n, `change` writes more (the source
 * side of CDC cases). Real systems only: fixtures never mock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectors,
  type Batch,
  type ChangeEvent,
  type Connection,
  type Row,
  type SchemaChange,
  type Source,
  type SourceCapabilities,
  type SourcePosition,
  type StreamRef,
  type TableInfo,
  type TargetCapabilities,
} from '../../agent/src/connectors';
import { mapTable } from '../../agent/src/engine/type-mapping';

export interface AcceptanceFixture {
  conn: Connection;
  /** Create the stream `items` with records 1..n. */
  seed(n: number): Promise<void>;
  /** Source writes after the seed, each id its own transaction, in this order: inserts of new ids, updates, deletes. */
  change(ops: { insert?: number[]; update?: number[]; remove?: number[] }): Promise<void>;
  /** The streaming reference of `items`. */
  stream: StreamRef;
  /** Open connections/sessions this connector holds on the system (for the close case). */
  countSessions(): Promise<number>;
  /** A summary of the target's `items` that two equal contents share (count, sums, hashes). */
  fingerprint(): Promise<unknown>;
  /** Number of records in the target's `items`. */
  count(): Promise<number>;
  /** Releases streaming state (slots) the cases created, and the database. */
  drop(): Promise<void>;
}

/** What the connector declares; a case runs only when its capabilities are declared. */
export interface DeclaredCapabilities {
  source?: Partial<SourceCapabilities>;
  target?: Partial<TargetCapabilities>;
}

export interface ConnectorUnderTest {
  name: string;
  /** A fresh fixture (its own database / topic set) per call. */
  make(): Promise<AcceptanceFixture>;
  capabilities: DeclaredCapabilities;
}

const N = 2500;
const ids = (rows: Row[]) => rows.map((r) => Number(r[0]));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function itemsTable(src: Source): Promise<TableInfo> {
  const cat = await src.discover((_s, t) => t === 'items');
  const t = cat.tables[0];
  if (!t) throw new Error('the fixture has no stream named items');
  return t;
}

async function readAll(src: Source, table: TableInfo, chunkSize: number) {
  const plan = await src.plan([table], { snapshot: true, cdc: false, chunkSize });
  await src.openSnapshot(2);
  const batches: { task: string; batch: Batch }[] = [];
  for (const task of plan.tasks) {
    for await (const b of src.readTask(task, undefined, { worker: task.index % 2, batchRows: 100, batchBytes: 1 << 20 }))
      batches.push({ task: task.id, batch: b });
  }
  return { plan, batches };
}

async function readTxs(stream: AsyncIterable<ChangeEvent[]>, n: number, timeoutMs = 30_000): Promise<ChangeEvent[][]> {
  const out: ChangeEvent[][] = [];
  const until = Date.now() + timeoutMs;
  for await (const tx of stream) {
    out.push(tx);
    if (out.length >= n || Date.now() > until) break;
  }
  return out;
}

const idOf = (e: ChangeEvent) => Number(e.after?.id ?? e.before?.id);

export function runAcceptance(connector: ConnectorUnderTest): void {
  const caps = connector.capabilities;
  const src = caps.source ?? {};
  const tgt = caps.target ?? {};
  describe(`connector acceptance: ${connector.name}`, () => {
    let f: AcceptanceFixture;
    let other: AcceptanceFixture;
    beforeAll(async () => {
      f = await connector.make();
      other = await connector.make();
      await f.seed(N);
    });
    afterAll(async () => {
      await f?.drop().catch(() => {});
      await other?.drop().catch(() => {});
    });

    it('declares the capabilities it implements', async () => {
      if (caps.source) {
        const s = connectors.createSource(f.conn);
        try {
          expect(s.capabilities()).toMatchObject(caps.source);
          expect(!!s.streaming).toBe(!!caps.source.streaming);
          // schema objects (issue 15 item 3): declared = implemented
          expect(!!(s as { discoverObjects?: unknown }).discoverObjects).toBe(!!s.capabilities().objects);
        } finally {
          await s.close();
        }
      }
      if (caps.target) {
        const t = connectors.createTarget(f.conn);
        try {
          expect(t.capabilities()).toMatchObject(caps.target);
          expect(!!t.openApplier).toBe(!!caps.target.changes);
          expect(!!(t as { applyObjects?: unknown }).applyObjects).toBe(!!t.capabilities().objects);
        } finally {
          await t.close();
        }
      }
    });

    it.runIf(src.snapshot)('reads everything exactly once across chunks', async () => {
      const s = connectors.createSource(f.conn);
      try {
        const { plan, batches } = await readAll(s, await itemsTable(s), 600);
        expect(plan.tasks.length).toBeGreaterThan(2);
        expect(batches.flatMap((b) => ids(b.batch.rows)).sort((a, b) => a - b)).toEqual(range(1, N));
        expect(typeof batches[0]!.batch.rows[0]![0]).toBe('string'); // exact text, never a JS number
      } finally {
        await s.close();
      }
    });

    it.runIf(src.snapshot)('acks half, resumes from the cursor and gets exactly the rest', async () => {
      const s = connectors.createSource(f.conn);
      try {
        const plan = await s.plan([await itemsTable(s)], { snapshot: true, cdc: false, chunkSize: 100_000 });
        expect(plan.tasks).toHaveLength(1);
        await s.openSnapshot(1);
        const task = plan.tasks[0]!;
        const first: number[] = [];
        let acked: Batch['cursor'] | undefined;
        for await (const b of s.readTask(task, undefined, { worker: 0, batchRows: 250, batchBytes: 1 << 20 })) {
          first.push(...ids(b.rows));
          if (first.length >= N / 2) {
            acked = b.cursor;
            break;
          }
        }
        expect(acked?.done).toBe(false);
        expect(acked?.rows).toBe(first.length);
        const rest: number[] = [];
        let last: Batch['cursor'] | undefined;
        // the cursor survives a JSON round trip (it is stored in checkpoints)
        for await (const b of s.readTask(task, JSON.parse(JSON.stringify(acked)), { worker: 0, batchRows: 250, batchBytes: 1 << 20 })) {
          rest.push(...ids(b.rows));
          last = b.cursor;
        }
        expect(last).toMatchObject({ done: true, rows: N });
        expect([...first, ...rest]).toEqual(range(1, N));
        const again: Batch[] = [];
        for await (const b of s.readTask(task, last, { worker: 0, batchRows: 250, batchBytes: 1 << 20 })) again.push(b);
        expect(again).toEqual([]);
      } finally {
        await s.close();
      }
    });

    /** Plans with CDC (captures T0 and creates the streaming state), runs `during`, then streams from T0 with another Source. */
    async function withCdcStart(
      tag: string,
      during: (s: Source, plan: Awaited<ReturnType<Source['plan']>>) => Promise<void>,
      stream: (reader: Source, start: SourcePosition) => Promise<void>,
    ) {
      const slot = `acc_${tag}_${connector.name.replace(/\W/g, '')}_${Date.now().toString(36)}`;
      const s = connectors.createSource(f.conn);
      const reader = connectors.createSource(f.conn);
      try {
        const plan = await s.plan([await itemsTable(s)], { snapshot: true, cdc: true, chunkSize: 1000, cdcSlot: slot });
        expect(plan.cdcStart).toBeDefined();
        await during(s, plan);
        await s.close(); // releases what held the snapshot (PG: the connection that exported it)
        await stream(reader, plan.cdcStart!);
      } finally {
        await s.close();
        await reader.streaming?.cleanup({ jobId: slot, slot, publication: slot }).catch(() => undefined);
        await reader.close();
      }
    }

    it.runIf(src.snapshot && src.streaming)('snapshot then CDC from the captured start: no gap, overlap converges', async () => {
      const snap = new Set<number>();
      const added = [N + 1, N + 2, N + 3];
      await withCdcStart(
        'o',
        async (s, plan) => {
          // written after T0: the snapshot may or may not see them, CDC must
          await f.change({ insert: added });
          await s.openSnapshot(1);
          for (const task of plan.tasks)
            for await (const b of s.readTask(task, undefined, { worker: 0, batchRows: 500, batchBytes: 1 << 20 })) for (const id of ids(b.rows)) snap.add(id);
        },
        async (reader, start) => {
          const stream = await reader.streaming!.startCdc(start, [f.stream]);
          const txs = await readTxs(stream, added.length);
          await stream.close();
          const cdc = txs.flat().map(idOf);
          expect(cdc).toEqual(added); // everything after T0, nothing from before it
        },
      );
      for (const id of range(1, N)) expect(snap.has(id)).toBe(true);
    });

    it.runIf(src.streaming)('resumes at a CDC position and delivers exactly the rest', async () => {
      const base = N + 100;
      await withCdcStart(
        'r',
        async () => {
          await f.change({ insert: range(base + 1, base + 6) });
          await f.change({ update: [base + 1] });
          await f.change({ remove: [base + 2] });
        },
        async (reader, start) => {
          const s1 = await reader.streaming!.startCdc(start, [f.stream]);
          const all = await readTxs(s1, 8);
          const label = (txs: ChangeEvent[][]) => txs.map((tx) => tx.map((e) => `${e.op}:${idOf(e) - base}`).join());
          expect(label(all)).toEqual(['insert:1', 'insert:2', 'insert:3', 'insert:4', 'insert:5', 'insert:6', 'update:1', 'delete:2']);
          const half: SourcePosition = all[3]![0]!.position;
          expect(half.v).toBe(1);
          await s1.ack(half);
          await s1.close();
          // the position survives a JSON round trip (it is stored in checkpoints)
          const s2 = await reader.streaming!.startCdc(JSON.parse(JSON.stringify(half)), [f.stream]);
          const rest = await readTxs(s2, 4);
          await s2.close();
          expect(label(rest)).toEqual(['insert:5', 'insert:6', 'update:1', 'delete:2']);
        },
      );
    });

    it.runIf(src.snapshot && tgt.schema)('applying the schema twice changes nothing, and the same batch written twice gives the same target', async () => {
      const s = connectors.createSource(f.conn);
      const t = connectors.createTarget(other.conn);
      try {
        const table = await itemsTable(s);
        const m = mapTable(table, s.engine, t.engine, t.namespace, undefined);
        const changes: SchemaChange[] = [
          { op: 'createTable', table: m.target, existing: 'upsert' },
          { op: 'createIndexes', table: m.target },
          { op: 'syncIdentity', table: m.target },
        ];
        expect(Object.values((await t.applySchema(changes)).tables)).toEqual(['created']);
        const before = await t.discover((_s, x) => x === 'items');
        expect(Object.values((await t.applySchema(changes)).tables)).toEqual(['exists']);
        expect((await t.discover((_s, x) => x === 'items')).tables).toEqual(before.tables);

        const { batches } = await readAll(s, table, 1000);
        const w = {
          schema: t.namespace,
          table: 'items',
          columns: m.columns.map((c) => c.target.name),
          types: m.columns.map((c) => c.target.type),
          primaryKey: m.target.primaryKey,
        };
        const conv = (rows: Row[]) => rows.map((r) => r.map((v, i) => (m.columns[i]!.convert ? m.columns[i]!.convert!(v) : v)));
        const half = batches.slice(0, Math.ceil(batches.length / 2));
        for (const b of half) await t.writeBatch(w, conv(b.batch.rows.map((r) => [...r])), { jobId: 'c', stream: b.task, mayExist: false });
        const once = await other.fingerprint();
        // the same batches again, first as if fresh (duplicate keys), then as a declared retry
        for (const b of half) await t.writeBatch(w, conv(b.batch.rows.map((r) => [...r])), { jobId: 'c', stream: b.task, mayExist: false });
        expect(await other.fingerprint()).toEqual(once);
        for (const b of half) await t.writeBatch(w, conv(b.batch.rows.map((r) => [...r])), { jobId: 'c', stream: b.task, mayExist: true });
        expect(await other.fingerprint()).toEqual(once);
        for (const b of batches) await t.writeBatch(w, conv(b.batch.rows.map((r) => [...r])), { jobId: 'c', stream: b.task, mayExist: true });
        expect(await other.count()).toBe(new Set(batches.flatMap((b) => ids(b.batch.rows))).size);
      } finally {
        await Promise.all([s.close(), t.close()]);
      }
    });

    it('leaves no handle open after close', async () => {
      const s = connectors.createSource(f.conn);
      const t = caps.target ? connectors.createTarget(f.conn) : null;
      if (src.snapshot) {
        const plan = await s.plan([await itemsTable(s)], { snapshot: true, cdc: false, chunkSize: 500 });
        await s.openSnapshot(3);
        // stop one read half-way: the connector must still release its session
        for await (const b of s.readTask(plan.tasks[0]!, undefined, { worker: 0, batchRows: 50, batchBytes: 1 << 20 })) {
          expect(b.rows.length).toBeGreaterThan(0);
          break;
        }
      }
      await t?.check();
      expect(await f.countSessions()).toBeGreaterThan(0);
      await Promise.all([s.close(), t?.close()]);
      let n = -1;
      for (let i = 0; i < 50 && n !== 0; i++) {
        n = await f.countSessions();
        if (n) await new Promise((r) => setTimeout(r, 100));
      }
      expect(n).toBe(0);
    });
  });
}
