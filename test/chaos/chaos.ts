/**
 * The fault-injection suite (`npm run chaos`, issue 19 item 5). Full + CDC jobs
 * for MySQL->PG and PG->MySQL run on two agents under a live random write load;
 * faults are injected at random moments: kill -9 of an agent (during the full
 * load and during CDC), kill -9 of the api process holding the agents, a cut of
 * one agent's link to the api (longer than the lease: its tasks move and the
 * stale agent is fenced at the target), and a cut of the agents' links to the
 * databases. After each fault heals, writes pause and the independent comparer
 * (compare.ts) measures how long until the target is exact again; at the end
 * Sluice's own verification runs and must agree.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rng } from '../support/cdc-support';
import { ChaosCluster, ROOT, type ChaosAgent } from './cluster';
import { totals } from './compare';
import { converge, createJob, diffPair, dropPair, setupPair, startPairJob, type ChaosPair } from './pairs';
import { CHAOS_TABLES } from './workload';

export type Profile = 'quick' | 'long';
export type FaultKind = 'agent-kill-full' | 'agent-kill-cdc' | 'api-kill' | 'cut-agent-api' | 'cut-agent-db';

export interface ResultRow {
  fault: FaultKind;
  pair: string;
  heldS: number;
  recoveredS: number | null;
  lost: number;
  extra: number;
  different: number;
}

export interface ChaosReport {
  profile: Profile;
  seed: number;
  startedAt: string;
  durationS: number;
  rows: ResultRow[];
  final: {
    pair: string;
    rows: number;
    lost: number;
    extra: number;
    different: number;
    verify: { tables: number; missing: number; extra: number; different: number; mismatchedChunks: number };
  }[];
  workload: { pair: string; ops: number; errors: number }[];
  file: string;
}

const PROFILES = {
  quick: {
    items: 4_000,
    docs: 200,
    faults: ['agent-kill-full', 'agent-kill-cdc', 'api-kill', 'cut-agent-api', 'cut-agent-db'] as FaultKind[],
    cutS: [6, 8],
    recoverMs: 90_000,
  },
  long: {
    items: 20_000,
    docs: 2_000,
    faults: [
      'agent-kill-full',
      'agent-kill-full',
      'agent-kill-cdc',
      'cut-agent-api',
      'agent-kill-cdc',
      'api-kill',
      'cut-agent-db',
      'agent-kill-cdc',
      'cut-agent-api',
      'cut-agent-db',
    ] as FaultKind[],
    cutS: [30, 120],
    recoverMs: 600_000,
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function streams(c: ChaosCluster, jobId: string): Promise<string[]> {
  return (await c.harness.sql<{ stream: string }>('select stream from checkpoints where job_id = $1', [jobId])).rows.map((r) => r.stream);
}

async function holders(c: ChaosCluster, pairs: ChaosPair[]): Promise<ChaosAgent[]> {
  const ids = (
    await c.harness.sql<{ agent_id: string | null }>('select agent_id from tasks where job_id = any($1) and agent_id is not null', [pairs.map((p) => p.jobId)])
  ).rows.map((r) => r.agent_id);
  return c.agents.filter((a) => ids.includes(a.agentId));
}

async function verifyPair(c: ChaosCluster, p: ChaosPair): Promise<ChaosReport['final'][number]['verify']> {
  const jobId = await createJob(c, p.sourceId, p.targetId, { mode: 'verify', tables: { include: CHAOS_TABLES.map((t) => t.name) } }, `verify ${p.label}`);
  const q = `query($id: ID!) { job(id: $id) { state lastError verification { tableName rowsMissing rowsExtra rowsDifferent chunksMismatched } } }`;
  type V = { tableName: string; rowsMissing: number; rowsExtra: number; rowsDifferent: number; chunksMismatched: number };
  const deadline = Date.now() + 180_000;
  for (;;) {
    const d = await c.harness.gqlOk<{ job: { state: string; lastError: string | null; verification: V[] } }>(q, { id: jobId }, c.owner.token);
    if (d.job.state === 'FAILED') throw new Error(`verification of ${p.label} failed: ${d.job.lastError}`);
    if (d.job.state === 'COMPLETED') {
      const v = d.job.verification;
      const sum = (f: (x: V) => number) => v.reduce((n, x) => n + f(x), 0);
      return {
        tables: v.length,
        missing: sum((x) => x.rowsMissing),
        extra: sum((x) => x.rowsExtra),
        different: sum((x) => x.rowsDifferent),
        mismatchedChunks: sum((x) => x.chunksMismatched),
      };
    }
    if (Date.now() > deadline) throw new Error(`verification of ${p.label} did not finish (state ${d.job.state})`);
    await sleep(1000);
  }
}

/** Injects one fault; resolves when it is healed, with how long it was held (s). */
async function inject(c: ChaosCluster, pairs: ChaosPair[], kind: FaultKind, r: () => number, cutS: number[]): Promise<number> {
  const t0 = Date.now();
  const hold = (cutS[0]! + r() * (cutS[1]! - cutS[0]!)) * 1000;
  if (kind === 'agent-kill-full' || kind === 'agent-kill-cdc') {
    const hs = await holders(c, pairs);
    const victim = hs.length ? hs[Math.floor(r() * hs.length)]! : c.agents[0]!;
    await victim.kill9();
    await sleep(500 + r() * 1000);
    victim.start();
  } else if (kind === 'api-kill') {
    await c.killApi9();
    await sleep(500 + r() * 1000);
    await c.startApiProcess();
  } else if (kind === 'cut-agent-api') {
    const hs = await holders(c, pairs);
    const victim = hs.length ? hs[Math.floor(r() * hs.length)]! : c.agents[0]!;
    victim.apiLink.cut('drop');
    await sleep(hold);
    victim.apiLink.restore();
  } else {
    for (const p of pairs) p.srcLink.cut('drop');
    for (const p of pairs) p.tgtLink.cut('drop');
    await sleep(hold);
    for (const p of pairs) p.srcLink.restore();
    for (const p of pairs) p.tgtLink.restore();
  }
  return (Date.now() - t0) / 1000;
}

export async function runChaos(profile: Profile, seed = Date.now() % 100_000, log: (s: string) => void = console.log): Promise<ChaosReport> {
  const prof = PROFILES[profile];
  const started = Date.now();
  const r = rng(seed);
  log(`chaos ${profile}: seed ${seed}`);
  const c = await ChaosCluster.start();
  const pairs: ChaosPair[] = [];
  const rows: ResultRow[] = [];
  // Ctrl-C or a timeout: stop what this run started and drop its databases before exiting.
  const interrupted = () => {
    void (async () => {
      for (const p of pairs) await p.wl.pause().catch(() => undefined);
      await c.stop().catch(() => undefined);
      for (const p of pairs) await dropPair(p);
      process.exit(130);
    })();
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await Promise.all([c.addAgent('chaos-a'), c.addAgent('chaos-b')]);
    pairs.push(await setupPair(c, 'mysql', 'postgres', seed, prof), await setupPair(c, 'postgres', 'mysql', seed + 7, prof));
    for (const p of pairs) p.wl.start();
    for (const p of pairs) await startPairJob(c, p);
    for (const kind of prof.faults) {
      const phase = kind === 'agent-kill-full' ? 'chunk:' : 'cdc';
      // A random moment within the phase: first wait for it to begin.
      const deadline = Date.now() + 120_000;
      while (!(await Promise.all(pairs.map((p) => streams(c, p.jobId)))).some((s) => s.some((x) => (phase === 'cdc' ? x === 'cdc' : x.startsWith(phase))))) {
        if (Date.now() > deadline) throw new Error(`phase ${phase} never began`);
        await sleep(200);
      }
      for (const p of pairs) p.wl.start();
      await sleep(kind === 'agent-kill-full' ? r() * 500 : 300 + r() * (profile === 'quick' ? 1200 : 5000));
      log(`  fault ${kind} ...`);
      const heldS = await inject(c, pairs, kind, r, prof.cutS);
      const healed = Date.now();
      await sleep(300 + r() * 700);
      for (const p of pairs) await p.wl.pause();
      for (const p of pairs) {
        const cv = await converge(p, healed, prof.recoverMs);
        rows.push({
          fault: kind,
          pair: p.label,
          heldS: Math.round(heldS * 10) / 10,
          recoveredS: cv.recoveredS === null ? null : Math.round(cv.recoveredS * 10) / 10,
          ...pick(cv.diff),
        });
        log(
          `    ${p.label}: ${cv.recoveredS === null ? `NOT recovered (${JSON.stringify(cv.diff)} ${cv.samples.join(', ')})` : `recovered in ${cv.recoveredS.toFixed(1)} s`}`,
        );
      }
    }
    for (const p of pairs) await p.wl.pause();
    const final: ChaosReport['final'] = await Promise.all(
      pairs.map(async (p) => {
        const t = totals(await diffPair(p));
        return { pair: p.label, rows: t.rows, lost: t.lost, extra: t.extra, different: t.different, verify: await verifyPair(c, p) };
      }),
    );
    const report: ChaosReport = {
      profile,
      seed,
      startedAt: new Date(started).toISOString(),
      durationS: Math.round((Date.now() - started) / 100) / 10,
      rows,
      final,
      workload: pairs.map((p) => ({ pair: p.label, ops: p.wl.ops, errors: p.wl.errors })),
      file: '',
    };
    const dir = path.join(ROOT, 'test/chaos/results');
    mkdirSync(dir, { recursive: true });
    report.file = path.join(dir, `chaos-${profile}-${report.startedAt.replace(/[:.]/g, '-')}.json`);
    writeFileSync(report.file, JSON.stringify(report, null, 2) + '\n');
    log(formatReport(report));
    return report;
  } catch (e) {
    log(
      `chaos failed: ${(e as Error).message}\n--- api process\n${c.apiOutput.slice(-3000)}\n${c.agents.map((a) => `--- agent ${a.name}\n${a.output.slice(-3000)}`).join('\n')}`,
    );
    throw e;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    for (const p of pairs) await p.wl.pause();
    await c.stop().catch(() => undefined);
    for (const p of pairs) await dropPair(p);
  }
}

const pick = (t: { lost: number; extra: number; different: number }) => ({ lost: t.lost, extra: t.extra, different: t.different });

export function formatReport(r: ChaosReport): string {
  const lines = [
    `resilience report (${r.profile}, seed ${r.seed}, ${r.durationS} s)`,
    '| fault | pair | held s | recovered in s | lost | extra | different |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const x of r.rows) lines.push(`| ${x.fault} | ${x.pair} | ${x.heldS} | ${x.recoveredS ?? 'NOT RECOVERED'} | ${x.lost} | ${x.extra} | ${x.different} |`);
  lines.push('', '| pair | rows | lost | extra | different | Sluice verify: tables, missing, extra, different |', '|---|---|---|---|---|---|');
  for (const f of r.final)
    lines.push(
      `| ${f.pair} | ${f.rows} | ${f.lost} | ${f.extra} | ${f.different} | ${f.verify.tables}, ${f.verify.missing}, ${f.verify.extra}, ${f.verify.different} |`,
    );
  lines.push('', `written to ${path.relative(ROOT, r.file)}`);
  return lines.join('\n');
}
