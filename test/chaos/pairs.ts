/**
 * One replication pair of the chaos suite: a source database on the run's
 * private source servers and a target database on its private target servers
 * (instances.ts), the workload on the source, data sources that reach both
 * through fault proxies, and a full_cdc job.
 */
import type { Db, Exec, Kind } from '../support/cdc-support';
import type { FaultProxy } from '../support/fault-proxy';
import { execOn, privateDb } from '../support/private-sources';
import type { ChaosCluster } from './cluster';
import { compareAll, totals, type TableDiff } from './compare';
import { CHAOS_TABLES, ChaosWorkload, chaosDdl } from './workload';

export interface ChaosPair {
  label: string;
  src: Db;
  tgt: Db;
  sx: Exec;
  wl: ChaosWorkload;
  srcLink: FaultProxy;
  tgtLink: FaultProxy;
  sourceId: string;
  targetId: string;
  jobId: string;
}

const short = (k: Kind) => (k === 'postgres' ? 'PG' : 'MySQL');

/**
 * The workload's session on the source. After any failed statement the session is dropped (its transaction, if
 * any, rolls back) and the next statement opens a new one: a restarted source is written to again once it is up.
 */
function reconnecting(db: Db): Exec {
  let cur: Promise<Exec> | null = null;
  const drop = () => {
    const old = cur;
    cur = null;
    void old?.then((x) => x.close()).catch(() => undefined);
  };
  return {
    kind: db.kind,
    query: async (sql, params) => {
      cur ??= execOn(db);
      try {
        return await (await cur).query(sql, params);
      } catch (e) {
        drop();
        throw e;
      }
    },
    close: async () => drop(),
  };
}

async function dataSource(c: ChaosCluster, kind: Kind, db: Db, link: FaultProxy): Promise<string> {
  const config =
    kind === 'postgres'
      ? { host: '127.0.0.1', port: link.port, user: 'postgres', database: db.name, schema: 'public' }
      : { host: '127.0.0.1', port: link.port, user: 'root', database: db.name };
  const d = await c.harness.gqlOk<{ createDataSource: { id: string } }>(
    `mutation C($input: CreateDataSourceInput!) { createDataSource(input: $input) { id } }`,
    { input: { name: `chaos-${db.name}`, kind: kind === 'postgres' ? 'POSTGRES' : 'MYSQL', config } },
    c.owner.token,
  );
  return d.createDataSource.id;
}

export async function createJob(c: ChaosCluster, sourceId: string, targetId: string, spec: Record<string, unknown>, name: string): Promise<string> {
  const job = await c.harness.gqlOk<{ createJob: { id: string } }>(
    `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
    { input: { name, sourceId, targetId, spec } },
    c.owner.token,
  );
  await c.harness.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: job.createJob.id }, c.owner.token);
  return job.createJob.id;
}

export async function setupPair(c: ChaosCluster, srcKind: Kind, tgtKind: Kind, seed: number, rows: { items: number; docs: number }): Promise<ChaosPair> {
  const src = await privateDb(srcKind, 'chaos_src', c.instances.src);
  const tgt = await privateDb(tgtKind, 'chaos_dst', c.instances.tgt);
  const sx = reconnecting(src);
  for (const s of chaosDdl(srcKind)) await sx.query(s);
  const wl = new ChaosWorkload(sx, seed);
  await wl.seed(rows.items, rows.docs);
  const srcLink = await c.proxy('127.0.0.1', c.instances.port('src', srcKind));
  const tgtLink = await c.proxy('127.0.0.1', c.instances.port('tgt', tgtKind));
  const sourceId = await dataSource(c, srcKind, src, srcLink);
  const targetId = await dataSource(c, tgtKind, tgt, tgtLink);
  return { label: `${short(srcKind)}->${short(tgtKind)}`, src, tgt, sx, wl, srcLink, tgtLink, sourceId, targetId, jobId: '' };
}

export async function startPairJob(c: ChaosCluster, p: ChaosPair): Promise<void> {
  p.jobId = await createJob(
    c,
    p.sourceId,
    p.targetId,
    {
      mode: 'full_cdc',
      tables: { include: CHAOS_TABLES.map((t) => t.name) },
      options: { chunkSize: 1000, parallelism: 2, verifyAfterLoad: false, createForeignKeys: false },
    },
    `chaos ${p.label}`,
  );
}

export async function diffPair(p: ChaosPair): Promise<TableDiff[]> {
  return compareAll(p.src, p.tgt, CHAOS_TABLES);
}

/** Waits (writes paused) until the target holds exactly the source's rows; returns seconds waited and the last diff. */
export async function converge(
  p: ChaosPair,
  since: number,
  timeoutMs: number,
): Promise<{ recoveredS: number | null; diff: ReturnType<typeof totals>; samples: string[] }> {
  const deadline = Date.now() + timeoutMs;
  let last: TableDiff[] = [];
  for (;;) {
    last = await diffPair(p).catch(() => last);
    const t = totals(last);
    if (last.length && t.lost + t.extra + t.different === 0) return { recoveredS: (Date.now() - since) / 1000, diff: t, samples: [] };
    if (Date.now() > deadline) return { recoveredS: null, diff: t, samples: last.flatMap((d) => d.samples) };
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function dropPair(p: ChaosPair): Promise<void> {
  await p.sx.close().catch(() => undefined);
  await p.src.drop().catch(() => undefined);
  await p.tgt.drop().catch(() => undefined);
}
