/**
 * The faults the chaos suite injects (chaos.ts picks the moment): kill -9 of
 * an agent or of the api process, network cuts through the fault proxies, and
 * clean restarts of the run's private source servers, target servers and
 * control-plane Redis (instances.ts).
 */
import type { ChaosAgent, ChaosCluster } from './cluster';
import type { ChaosPair } from './pairs';

export const FAULT_KINDS = [
  'agent-kill-full',
  'agent-kill-cdc',
  'api-kill',
  'cut-agent-api',
  'cut-agent-db',
  'restart-source',
  'restart-target',
  'restart-redis',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** How long a fault is held, by family: [min, max] seconds. */
export interface Holds {
  cutS: [number, number];
  restartS: [number, number];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The streams (checkpoint rows) a job has written so far: `chunk:*` during the full load, `cdc` once CDC runs. */
export async function streams(c: ChaosCluster, jobId: string): Promise<string[]> {
  return (await c.harness.sql<{ stream: string }>('select stream from checkpoints where job_id = $1', [jobId])).rows.map((r) => r.stream);
}

/** Waits until some pair's job is in the phase the fault aims at. */
export async function waitForPhase(c: ChaosCluster, pairs: ChaosPair[], kind: FaultKind, timeoutMs = 120_000): Promise<void> {
  const phase = kind === 'agent-kill-full' ? 'chunk:' : 'cdc';
  const deadline = Date.now() + timeoutMs;
  while (!(await Promise.all(pairs.map((p) => streams(c, p.jobId)))).some((s) => s.some((x) => (phase === 'cdc' ? x === 'cdc' : x.startsWith(phase))))) {
    if (Date.now() > deadline) throw new Error(`phase ${phase} never began`);
    await sleep(200);
  }
}

async function holders(c: ChaosCluster, pairs: ChaosPair[]): Promise<ChaosAgent[]> {
  const ids = (
    await c.harness.sql<{ agent_id: string | null }>('select agent_id from tasks where job_id = any($1) and agent_id is not null', [pairs.map((p) => p.jobId)])
  ).rows.map((r) => r.agent_id);
  return c.agents.filter((a) => ids.includes(a.agentId));
}

const within = ([lo, hi]: [number, number], r: () => number) => (lo + r() * (hi - lo)) * 1000;

/** Injects one fault; resolves when it is healed, with how long it was held (s). */
export async function inject(c: ChaosCluster, pairs: ChaosPair[], kind: FaultKind, r: () => number, holds: Holds): Promise<number> {
  const t0 = Date.now();
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
    await sleep(within(holds.cutS, r));
    victim.apiLink.restore();
  } else if (kind === 'cut-agent-db') {
    for (const p of pairs) p.srcLink.cut('drop');
    for (const p of pairs) p.tgtLink.cut('drop');
    await sleep(within(holds.cutS, r));
    for (const p of pairs) p.srcLink.restore();
    for (const p of pairs) p.tgtLink.restore();
  } else if (kind === 'restart-source') {
    // The workload keeps writing: its statements fail while the source is down (counted apart) and resume after.
    for (const p of pairs) p.wl.sourceDown = true;
    await c.instances.restart('src', within(holds.restartS, r));
    for (const p of pairs) p.wl.sourceDown = false;
  } else if (kind === 'restart-target') {
    await c.instances.restart('tgt', within(holds.restartS, r));
  } else {
    await c.instances.restartRedis(within(holds.restartS, r));
  }
  return (Date.now() - t0) / 1000;
}
