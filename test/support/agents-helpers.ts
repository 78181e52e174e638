/**
 * Helpers for the agents integration tests: real sluice-agent processes
 * (spawned through the CLI), raw protocol sockets for the attacks, and small
 * waits. No mocks: the api runs against real Postgres and Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach } from 'vitest';
import WebSocket from 'ws';
import { PROTOCOL_VERSIONS, frame, parseFrame, signingInput, type Envelope } from '@sluice/agent/protocol';
import { startApi, type ApiHarness, type SignedUp } from './api-harness';
import type { LoadFixture } from './agents-load-fixture';
import { waitFor } from './wait';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const AGENT_BIN = path.join(ROOT, 'agent/bin/sluice-agent.mjs');

/** Short timings so failover happens within seconds. */
export const FAST_AGENT_ENV = {
  AGENT_HEARTBEAT_MS: '1000',
  AGENT_LEASE_TTL_MS: '3000',
  AGENT_MAX_CLOCK_SKEW_MS: '30000',
};

export function startAgentsApi(env: Record<string, string> = {}): Promise<ApiHarness> {
  return startApi({ dbPrefix: 'sluice_h4', redisPrefix: 'h4', env: { ...FAST_AGENT_ENV, LOG_LEVEL: 'info', ...env } });
}

/** The one polling helper (test/support/wait.ts), re-exported for this suite's files. */
export { waitFor };

export async function createToken(api: ApiHarness, owner: SignedUp, opts: { ttlMinutes?: number; name?: string } = {}): Promise<string> {
  const d = await api.gqlOk<{ createAgentRegistrationToken: { token: string } }>(
    `mutation T($name: String, $ttl: Int) { createAgentRegistrationToken(name: $name, ttlMinutes: $ttl) { token registerCommand registrationToken { id status } } }`,
    { name: opts.name ?? null, ttl: opts.ttlMinutes ?? 10 },
    owner.token,
  );
  return d.createAgentRegistrationToken.token;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion. */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [AGENT_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`sluice-agent ${args[0]} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    p.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

export class AgentProcess {
  stdout = '';
  stderr = '';
  exitCode: number | null = null;
  exited: Promise<number | null>;
  constructor(
    readonly proc: ChildProcess,
    readonly credentials: string,
    readonly agentId: string,
  ) {
    proc.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((r) => proc.on('exit', (code) => r((this.exitCode = code))));
  }
  get pid(): number {
    return this.proc.pid!;
  }
  status(): { state?: string; inFlight?: { taskId: string }[] } {
    try {
      return JSON.parse(readFileSync(this.credentials.replace(/\.json$/, '.status.json'), 'utf8')) as { state?: string };
    } catch {
      return {};
    }
  }
  /** Log lines (pino JSON) the agent wrote. */
  logs(): Record<string, unknown>[] {
    return this.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return {};
        }
      });
  }
  async waitReady(timeoutMs = 30_000): Promise<void> {
    await waitFor(
      `agent ${this.agentId} ready\n${this.stdout.slice(-2000)}\n${this.stderr.slice(-2000)}`,
      () => this.exitCode === null && this.status().state === 'ready',
      timeoutMs,
    );
  }
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.exitCode === null) this.proc.kill(signal);
  }
}

/** Registers a new agent with the CLI and returns its credential path and id. */
export async function registerAgent(api: ApiHarness, owner: SignedUp, name = 'agent'): Promise<{ credentials: string; agentId: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sluice-h4-agent-'));
  const credentials = path.join(dir, 'agent.json');
  const token = await createToken(api, owner, { name });
  const r = await runCli(['register', '--api', api.baseUrl, '--token', token, '--credentials', credentials, '--name', name]);
  if (r.code !== 0) throw new Error(`register failed (${r.code}): ${r.stderr}`);
  const creds = JSON.parse(readFileSync(credentials, 'utf8')) as { agentId: string };
  return { credentials, agentId: creds.agentId };
}

export function startAgent(credentials: string, agentId: string, opts: { capacity?: number; env?: Record<string, string>; api?: string } = {}): AgentProcess {
  const args = ['start', '--credentials', credentials, '--capacity', String(opts.capacity ?? 2), ...(opts.api ? ['--api', opts.api] : [])];
  const proc = spawn(process.execPath, [AGENT_BIN, ...args], {
    env: { ...process.env, SLUICE_AGENT_RECONNECT_BASE_MS: '100', SLUICE_AGENT_RECONNECT_CAP_MS: '1000', SLUICE_AGENT_LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new AgentProcess(proc, credentials, agentId);
}

/** Starts an agent, adds it to `procs` (which the suite kills at the end) and waits until it is ready. */
export async function startReadyAgent(
  procs: AgentProcess[],
  credentials: string,
  agentId: string,
  opts: Parameters<typeof startAgent>[2] = {},
): Promise<AgentProcess> {
  const agent = startAgent(credentials, agentId, opts);
  procs.push(agent);
  await agent.waitReady();
  return agent;
}

/** A raw protocol socket, for speaking the handshake by hand (and getting it wrong on purpose). */
export class RawAgentSocket {
  readonly frames: Envelope[] = [];
  closeCode: number | null = null;
  closeReason = '';
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<void>;

  constructor(url: string) {
    this.ws = new WebSocket(url.replace(/^http/, 'ws') + '/agent', { maxPayload: 64 << 20 });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.ws.on('error', () => {});
    this.ws.on('message', (d) => {
      const p = parseFrame(d.toString());
      if (!p.ok) return;
      this.frames.push(p.env);
      const h = !p.env.replyTo ? this.handlers[p.env.type] : undefined;
      if (h) {
        const reply = h(p.env.payload);
        this.ws.send(JSON.stringify({ v: 1, id: `r${++this.seq}`, replyTo: p.env.id, type: reply.type ?? 'ok', ts: Date.now(), payload: reply.payload }));
      }
    });
    this.closed = new Promise((r) =>
      this.ws.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        r();
      }),
    );
  }

  private seq = 0;
  /** Answers server requests (e.g. task.assign) like an agent would. */
  handlers: Record<string, (payload: unknown) => { type?: string; payload: unknown }> = {};

  /** Sends a request and resolves with the reply frame (ok, error or the typed reply). */
  async call(type: string, payload: unknown, timeoutMs = 10_000): Promise<Envelope> {
    const id = `q${++this.seq}`;
    this.ws.send(JSON.stringify({ v: 1, id, type, ts: Date.now(), payload }));
    return waitFor(`the reply to ${type}`, () => this.frames.find((f) => f.replyTo === id), timeoutMs, 10);
  }

  async next(type: string, timeoutMs = 10_000): Promise<Envelope> {
    return waitFor(`a ${type} frame`, () => this.frames.find((f) => f.type === type), timeoutMs, 20);
  }

  send(raw: string | Buffer): void {
    this.ws.send(raw);
  }

  close(): void {
    this.ws.close();
  }
}

export function newKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyB64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') };
}

export function connectFrame(
  agentId: string,
  nonce: string,
  key: ReturnType<typeof newKeyPair>['privateKey'],
  o: { ts?: number; signNonce?: string; inFlight?: { taskId: string; leaseId: string }[]; capacity?: number; versions?: number[] } = {},
): string {
  const ts = o.ts ?? Date.now();
  const signed = o.signNonce ?? nonce;
  return frame(
    'connect',
    {
      agentId,
      protocolVersions: o.versions ?? [...PROTOCOL_VERSIONS],
      agentVersion: 'test',
      capacity: o.capacity ?? 1,
      inFlight: o.inFlight ?? [],
      ts,
      nonce: signed,
      signature: sign(null, signingInput(signed, agentId, ts), key).toString('base64'),
    },
    { id: 'conn1' },
  );
}

/** Registers an agent through GraphQL with a key we hold (for raw-socket tests). */
export async function registerRawAgent(api: ApiHarness, owner: SignedUp, name = 'raw') {
  const kp = newKeyPair();
  const token = await createToken(api, owner, { name });
  const d = await api.gqlOk<{ registerAgent: { agentId: string; tenantId: string } }>(
    `mutation R($input: RegisterAgentInput!) { registerAgent(input: $input) { agentId tenantId name } }`,
    { input: { token, publicKey: kp.publicKeyB64, name } },
  );
  return { ...kp, agentId: d.registerAgent.agentId, tenantId: d.registerAgent.tenantId, token };
}

/** Connects a raw socket through the whole handshake. */
export async function rawConnect(
  api: ApiHarness,
  agent: { agentId: string; privateKey: ReturnType<typeof newKeyPair>['privateKey'] },
  o: Parameters<typeof connectFrame>[3] = {},
) {
  const s = new RawAgentSocket(api.baseUrl);
  await s.opened;
  const hello = await s.next('hello');
  s.send(connectFrame(agent.agentId, (hello.payload as { nonce: string }).nonce, agent.privateKey, o));
  const ready = await s.next('ready');
  return { s, ready };
}

export async function auditActions(
  api: ApiHarness,
  action: string,
): Promise<{ outcome: string; detail: Record<string, unknown>; tenant_id: string | null; actor_id: string | null; target_id: string | null }[]> {
  const r = await api.sql<{ outcome: string; detail: Record<string, unknown>; tenant_id: string | null; actor_id: string | null; target_id: string | null }>(
    'select outcome, detail, tenant_id, actor_id, target_id from audit_log where action = $1 order by id',
    [action],
  );
  return r.rows;
}
// ---------------------------------------------------------------- a real full load to run on agents

export * from './agents-load-fixture';

/** What the shared agents-suite hooks read (a getter, since the suites assign these in beforeAll and tests). */
export interface AgentsSuiteState {
  api: ApiHarness;
  procs: AgentProcess[];
  fixture: LoadFixture | null | undefined;
  currentJob: string | undefined;
}

/**
 * Registers the usual afterEach/afterAll of an agents suite: dump diagnostics
 * when a test fails; at the end kill the agents, drop the fixture, stop the api.
 */
export function agentsSuiteHooks(state: () => AgentsSuiteState): void {
  afterEach(async (ctx) => {
    const s = state();
    if (ctx.task.result?.state === 'fail') await dumpDiagnostics(s.api, s.procs, s.currentJob);
  });

  afterAll(async () => {
    const s = state();
    for (const p of s.procs) p.kill();
    await s.fixture?.drop().catch(() => {});
    await s.api?.stop();
  });
}

/** Prints what helps when an agents test fails: the api's warnings/errors and the agents' output. */
export async function dumpDiagnostics(api: ApiHarness, procs: AgentProcess[], jobId?: string): Promise<void> {
  const lines = api.logs.filter((l) => /"level":"(warn|error|fatal)"/.test(l)).slice(-30);
  console.log('--- api warnings/errors\n' + lines.join('\n').slice(-8000));
  for (const p of procs) console.log(`--- agent ${p.agentId} (exit ${p.exitCode})\n${p.stdout.slice(-3000)}\n${p.stderr.slice(-3000)}`);
  if (jobId) {
    const t = await api.sql('select state, agent_id, lease_id, attempts, command, error from tasks where job_id = $1', [jobId]);
    console.log('--- tasks', JSON.stringify(t.rows));
    const j = await api.sql('select state, last_error from jobs where id = $1', [jobId]);
    console.log('--- job', JSON.stringify(j.rows));
  }
}
