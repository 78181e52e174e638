/**
 * The fault-injection suite (`npm run chaos`, issue 19 item 5). Full + CDC jobs
 * for every database pair (MySQL->PG, PG->MySQL, PG->PG, MySQL->MySQL) run on
 * two agents under a live random write load, against the run's own private
 * servers (instances.ts); faults (faults.ts) are injected at random moments:
 * kill -9 of an agent (during the full load and during CDC), kill -9 of the
 * api process holding the agents, a cut of one agent's link to the api (longer
 * than the lease: its tasks move and the stale agent is fenced at the target),
 * a cut of the agents' links to the databases, and clean restarts of the source
 * servers, the target servers and the control plane's Redis. After each fault
 * heals, writes pause and the independent comparer (compare.ts) measures how
 * long until the target is exact again; at the end Sluice's own verification
 * runs and must agree.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rng, type Kind } from '../support/cdc-support';
import { ChaosCluster, ROOT, type LeaseTiming } from './cluster';
import { totals } from './compare';
import { inject, waitForPhase, type FaultKind, type Holds } from './faults';
import { ChaosInstances } from './instances';
import { diagnose } from './diagnose';
import { converge, createJob, diffPair, dropPair, setupPair, startPairJob, type ChaosPair } from './pairs';
import { CHAOS_TABLES } from './workload';

export type Profile = 'quick' | 'long';
export type { FaultKind } from './faults';

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
  workload: { pair: string; ops: number; errors: number; errorsWhileSourceDown: number }[];
  file: string;
}

const PAIRS: [Kind, Kind][] = [
  ['mysql', 'postgres'],
  ['postgres', 'mysql'],
  ['postgres', 'postgres'],
  ['mysql', 'mysql'],
];

const label = (k: Kind) => (k === 'postgres' ? 'PG' : 'MySQL');
const pairLabel = ([a, b]: [Kind, Kind]) => `${label(a)}->${label(b)}`;

interface ProfileSpec {
  /** Pair labels (default: all four). */
  pairs?: string[];
  items: number;
  docs: number;
  faults: FaultKind[];
  holds: Holds;
  recoverMs: number;
  /** Shorter than every cut of an agent's api link (so its tasks move). */
  lease: LeaseTiming;
}

const PROFILES: Record<Profile, ProfileSpec> = {
  // The same-engine pairs double the run's load on two cores: quick keeps the two cross-engine pairs.
  quick: {
    pairs: ['MySQL->PG', 'PG->MySQL'],
    items: 4_000,
    docs: 200,
    faults: ['agent-kill-full', 'agent-kill-cdc', 'api-kill', 'cut-agent-api', 'cut-agent-db', 'restart-source', 'restart-target', 'restart-redis'],
    holds: { cutS: [6, 8], restartS: [2, 4] },
    recoverMs: 90_000,
    lease: { heartbeatMs: 1_000, ttlMs: 3_000 },
  },
  long: {
    items: 20_000,
    docs: 2_000,
    faults: [
      'agent-kill-full',
      'agent-kill-full',
      'agent-kill-cdc',
      'cut-agent-api',
      'restart-source',
      'agent-kill-cdc',
      'api-kill',
      'restart-target',
      'cut-agent-db',
      'restart-redis',
      'agent-kill-cdc',
      'cut-agent-api',
      'cut-agent-db',
    ],
    holds: { cutS: [30, 120], restartS: [30, 60] },
    recoverMs: 600_000,
    // Four pairs of 20,000 rows load two cores to 40: a 3 s lease then expires under a live agent again and
    // again (tasks bounced between the agents for minutes without progress); 10 s is still under every cut.
    lease: { heartbeatMs: 2_000, ttlMs: 10_000 },
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

export interface ChaosOptions {
  /** Pair labels to run, e.g. ['MySQL->PG', 'PG->PG'] (default: the profile's; ['all']: all four). */
  pairs?: string[];
  /** The faults to inject, in order (default: the profile's). */
  faults?: FaultKind[];
}

export async function runChaos(
  profile: Profile,
  seed = Date.now() % 100_000,
  log: (s: string) => void = console.log,
  opts: ChaosOptions = {},
): Promise<ChaosReport> {
  const prof = PROFILES[profile];
  const started = Date.now();
  const r = rng(seed);
  const want = opts.pairs ?? prof.pairs;
  const kinds = PAIRS.filter((k) => !want || want.includes('all') || want.includes(pairLabel(k)));
  if (!kinds.length) throw new Error(`no pair matches ${want?.join(', ')}; known: ${PAIRS.map(pairLabel).join(', ')}`);
  log(`chaos ${profile}: seed ${seed}, pairs ${kinds.map(pairLabel).join(', ')}`);
  const inst = await ChaosInstances.start();
  const c = await ChaosCluster.start(inst, prof.lease).catch(async (e: unknown) => {
    await inst.stop();
    throw e;
  });
  const pairs: ChaosPair[] = [];
  const rows: ResultRow[] = [];
  const cleanup = async () => {
    for (const p of pairs) await p.wl.pause().catch(() => undefined);
    await c.stop().catch(() => undefined);
    for (const p of pairs) await dropPair(p);
    await inst.stop();
  };
  // Ctrl-C or a timeout: stop what this run started and drop its databases before exiting.
  const interrupted = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await Promise.all([c.addAgent('chaos-a'), c.addAgent('chaos-b')]);
    for (const [i, [a, b]] of kinds.entries()) pairs.push(await setupPair(c, a, b, seed + 7 * i, prof));
    for (const p of pairs) p.wl.start();
    for (const p of pairs) await startPairJob(c, p);
    for (const kind of opts.faults ?? prof.faults) {
      // A random moment within the phase: first wait for it to begin.
      await waitForPhase(c, pairs, kind);
      for (const p of pairs) p.wl.start();
      await sleep(kind === 'agent-kill-full' ? r() * 500 : 300 + r() * (profile === 'quick' ? 1200 : 5000));
      log(`  fault ${kind} ...`);
      const heldS = await inject(c, pairs, kind, r, prof.holds);
      const healed = Date.now();
      await sleep(300 + r() * 700);
      for (const p of pairs) await p.wl.pause();
      const cvs = await Promise.all(pairs.map((p) => converge(p, healed, prof.recoverMs)));
      for (const [i, p] of pairs.entries()) {
        const cv = cvs[i]!;
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
        // Say why: the job, its tasks and leases, checkpoints, events, and the processes' output.
        if (cv.recoveredS === null) log(await diagnose(c, p).catch((e: unknown) => `diagnosis of ${p.label} failed: ${(e as Error).message}`));
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
      workload: pairs.map((p) => ({ pair: p.label, ops: p.wl.ops, errors: p.wl.errors, errorsWhileSourceDown: p.wl.errorsWhileDown })),
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
    await cleanup();
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
  lines.push('', '| pair | workload ops | errors | errors while the source was down |', '|---|---|---|---|');
  for (const w of r.workload) lines.push(`| ${w.pair} | ${w.ops} | ${w.errors} | ${w.errorsWhileSourceDown} |`);
  lines.push('', `written to ${path.relative(ROOT, r.file)}`);
  return lines.join('\n');
}
