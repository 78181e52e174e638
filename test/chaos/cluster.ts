/**
 * What the chaos suite runs and breaks: a control plane made of an in-process
 * api (GraphQL, the BullMQ worker: lease expiry, sweeps) and a separate api
 * PROCESS (`api/src/main.ts`, RUN_WORKER=false) that holds the agents'
 * sockets and can be killed with SIGKILL and restarted; real `sluice-agent`
 * processes that reach that api each through its own FaultProxy; and per database a
 * FaultProxy the agents' data sources point at (the comparer and the workload
 * connect directly, so only the agent's links are cut).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { ApiProcess } from '../support/api-process';
import { FaultProxy } from '../support/fault-proxy';
import { freePort } from '../support/free-port';
import { waitFor } from '../support/wait';
import type { ChaosInstances } from './instances';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const AGENT_BIN = path.join(ROOT, 'agent/bin/sluice-agent.mjs');
/** The lease timing of a run: ten times shorter than the defaults (10 s heartbeat, 30 s lease) in the quick profile. */
export interface LeaseTiming {
  heartbeatMs: number;
  ttlMs: number;
}
const leaseEnv = (l: LeaseTiming) => ({ AGENT_HEARTBEAT_MS: String(l.heartbeatMs), AGENT_LEASE_TTL_MS: String(l.ttlMs), AGENT_MAX_CLOCK_SKEW_MS: '30000' });

export class ChaosAgent {
  proc: ChildProcess | null = null;
  output = '';
  kills = 0;
  constructor(
    readonly name: string,
    readonly agentId: string,
    private readonly credentials: string,
    /** This agent's own link to the api process: cutting it cuts this agent only. */
    readonly apiLink: FaultProxy,
  ) {}

  start(): void {
    const p = spawn(process.execPath, [AGENT_BIN, 'start', '--credentials', this.credentials, '--capacity', '3', '--api', `http://${this.apiLink.address}`], {
      env: { ...process.env, SLUICE_AGENT_RECONNECT_BASE_MS: '100', SLUICE_AGENT_RECONNECT_CAP_MS: '2000', SLUICE_AGENT_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000));
    p.stdout!.on('data', keep);
    p.stderr!.on('data', keep);
    this.proc = p;
  }

  get running(): boolean {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async kill9(): Promise<void> {
    const p = this.proc;
    if (!p || !this.running) return;
    this.kills++;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
  }

  state(): string | undefined {
    try {
      return (JSON.parse(readFileSync(this.credentials.replace(/\.json$/, '.status.json'), 'utf8')) as { state?: string }).state;
    } catch {
      return undefined;
    }
  }
}

export class ChaosCluster {
  api: ApiProcess | null = null;
  readonly agents: ChaosAgent[] = [];
  readonly proxies: FaultProxy[] = [];
  apiKills = 0;

  private constructor(
    readonly harness: ApiHarness,
    readonly owner: SignedUp,
    readonly apiPort: number,
    readonly instances: ChaosInstances,
    private readonly env: Record<string, string>,
  ) {}

  /** The control plane on the run's private Redis (`instances`); its Postgres is the machine's. */
  static async start(instances: ChaosInstances, lease: LeaseTiming): Promise<ChaosCluster> {
    const env = leaseEnv(lease);
    const harness = await startApi({
      dbPrefix: 'sluice_fencing_chaos',
      redisPrefix: 'fencing_chaos',
      env: { ...env, LOG_LEVEL: 'warn', REDIS_URL: instances.redis.url },
      // CHAOS_KEEP_CONTROL_DB=1 keeps the control database (tasks, job logs, audit) for a post-mortem.
      keepDatabase: process.env.CHAOS_KEEP_CONTROL_DB === '1',
    });
    const owner = await harness.signUp();
    // The api process's port is the run's too (CHAOS_PORT_BASE + 5): two runs side by side never share an api.
    const apiPort = await freePort(instances.portBase + 5, instances.portBase + 6);
    const c = new ChaosCluster(harness, owner, apiPort, instances, env);
    await c.startApiProcess();
    return c;
  }

  async startApiProcess(): Promise<void> {
    this.api = await ApiProcess.start(this.harness, 'api', this.apiPort, this.env);
  }

  get apiOutput(): string {
    return this.api?.output ?? '';
  }

  async killApi9(): Promise<void> {
    if (!this.api?.alive) return;
    this.apiKills++;
    await this.api.kill('SIGKILL');
  }

  async addAgent(name: string): Promise<ChaosAgent> {
    const dir = mkdtempSync(path.join(tmpdir(), 'sluice-fencing-chaos-'));
    const credentials = path.join(dir, 'agent.json');
    const tok = await this.harness.gqlOk<{ createAgentRegistrationToken: { token: string } }>(
      `mutation T($name: String) { createAgentRegistrationToken(name: $name, ttlMinutes: 10) { token } }`,
      { name },
      this.owner.token,
    );
    const reg = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn(
        process.execPath,
        [AGENT_BIN, 'register', '--api', this.harness.baseUrl, '--token', tok.createAgentRegistrationToken.token, '--credentials', credentials, '--name', name],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      p.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      p.on('exit', (code) => resolve({ code, out }));
    });
    if (reg.code !== 0) throw new Error(`agent register failed: ${reg.out}`);
    const { agentId } = JSON.parse(readFileSync(credentials, 'utf8')) as { agentId: string };
    const a = new ChaosAgent(name, agentId, credentials, await this.proxy('127.0.0.1', this.apiPort));
    this.agents.push(a);
    a.start();
    await waitFor(`agent ${name} ready\n${a.output}`, () => (a.state() === 'ready' ? true : null), 60_000, 200);
    return a;
  }

  async proxy(host: string, port: number): Promise<FaultProxy> {
    const p = await FaultProxy.start(host, port);
    this.proxies.push(p);
    return p;
  }

  async stop(): Promise<void> {
    for (const a of this.agents) await a.kill9();
    await this.killApi9();
    for (const p of this.proxies) await p.stop().catch(() => undefined);
    await this.harness.stop();
  }
}
