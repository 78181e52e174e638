/**
 * Installs sluice-agent the way a user on a bare host does: the api's one-liner
 * (`curl -fsSL API/downloads/install-agent.sh | sh -s -- --token ... --name ...`) into an
 * empty temp directory outside the repository, with a clean environment (no NODE_PATH, no
 * NODE_OPTIONS, HOME inside the temp dir), then starts the installed agent from there.
 *
 *   const agent = await installAgentFromApi({ apiUrl: api.baseUrl, token, name: 'db-host-1' });
 *   await agent.waitReady();
 *   ...
 *   agent.kill();            // SIGKILL (e.g. to see the portal's agent-offline warning)
 *   await agent.remove();    // kills it and deletes the install dir
 *
 * Nothing here resolves from the checkout: the installed agent is the self-contained bundle
 * served at /downloads/sluice-agent.tgz (agent/scripts/bundle.mjs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface InstallAgentOptions {
  /** The api's base URL (e.g. ApiHarness.baseUrl); the installer downloads the agent from it. */
  apiUrl: string;
  /** A fresh srt_ registration token. */
  token: string;
  /** The name the user typed (omit to let the token's name or the host name apply). */
  name?: string;
  /** Start the agent after installing (default true). */
  start?: boolean;
  capacity?: number;
  /** Extra environment for the installed agent (e.g. SLUICE_AGENT_LOG_LEVEL). */
  env?: Record<string, string>;
  /**
   * Record every module the started agent resolves (ESM through a module.register resolve hook,
   * CommonJS through Module._resolveFilename, in the main thread and the worker threads) so a test
   * can assert with resolvedOutside() that nothing came from outside the install dir.
   */
  traceModules?: boolean;
  /** Extra installer arguments (e.g. ['--systemd', '--systemd-dir', dir]). */
  installerArgs?: string[];
  timeoutMs?: number;
}

/** A clean environment: what a bare host has (PATH, HOME), nothing of this checkout's Node setup. */
export function bareHostEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', ...extra };
}

export class InstalledAgent {
  stdout = '';
  stderr = '';
  proc: ChildProcess | null = null;
  exitCode: number | null = null;
  exited: Promise<number | null> = Promise.resolve(null);

  constructor(
    /** The temp root: HOME and cwd of everything run here. */
    readonly root: string,
    /** Where the installer unpacked the agent (root/agent). */
    readonly dir: string,
    readonly credentials: string,
    readonly agentId: string,
    readonly agentName: string,
    /** The installer's output. */
    readonly installLog: string,
    private readonly env: Record<string, string>,
    /** The trace preload (--import) when traceModules is on. */
    private readonly tracePreload: string | null = null,
  ) {}

  /** The trace log: one `esm URL` or `cjs PATH` line per resolution. */
  get traceLog(): string {
    return path.join(this.root, 'module-trace.log');
  }

  /** Every module the agent resolved that is neither a Node builtin nor a file of the install dir (traceModules). */
  resolvedOutside(): string[] {
    if (!this.tracePreload) throw new Error('installAgentFromApi({ traceModules: true }) records resolutions');
    const lines = readFileSync(this.traceLog, 'utf8').split('\n').filter(Boolean);
    if (lines.length === 0) throw new Error('the module trace is empty: the preload did not run');
    const inside = (p: string) => p.startsWith(`file://${this.dir}/`) || p.startsWith(`${this.dir}/`);
    return [...new Set(lines.map((l) => l.slice(4)).filter((p) => !p.startsWith('node:') && !BUILTINS.has(p.split('/')[0]!) && !inside(p)))];
  }

  get bin(): string {
    return path.join(this.dir, 'bin/sluice-agent.mjs');
  }

  /** Runs the installed CLI to completion (cwd and HOME in the temp root, clean env). */
  run(args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return runProcess(process.execPath, [this.bin, ...args], { cwd: this.root, env: this.env }, timeoutMs);
  }

  /** Runs the install one-liner again in the same place (an upgrade: the credential is kept), with extra installer arguments. */
  runInstaller(apiUrl: string, extraArgs: string[] = [], timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return runInstallOneLiner(apiUrl, ['--api', apiUrl, '--dir', this.dir, ...extraArgs], this.root, this.env, timeoutMs);
  }

  /** Starts `sluice-agent start --credentials ...` from the install dir. */
  start(opts: { capacity?: number } = {}): void {
    if (this.proc && this.exitCode === null) throw new Error('the installed agent is already running');
    this.stdout = '';
    this.stderr = '';
    this.exitCode = null;
    const preload = this.tracePreload ? ['--import', this.tracePreload] : [];
    const p = spawn(process.execPath, [...preload, this.bin, 'start', '--credentials', this.credentials, '--capacity', String(opts.capacity ?? 2)], {
      cwd: this.root,
      env: this.tracePreload ? { ...this.env, SLUICE_TRACE_LOG: this.traceLog } : this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    p.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    p.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.proc = p;
    this.exited = new Promise((r) => p.on('exit', (code) => r((this.exitCode = code))));
  }

  status(): { state?: string; inFlight?: { taskId: string }[] } {
    try {
      return JSON.parse(readFileSync(this.credentials.replace(/\.json$/, '.status.json'), 'utf8')) as { state?: string };
    } catch {
      return {};
    }
  }

  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.exitCode === null && this.proc && this.status().state === 'ready')) {
      if (this.proc && this.exitCode !== null)
        throw new Error(`the installed agent exited with ${this.exitCode}\n${this.stdout.slice(-2000)}\n${this.stderr.slice(-2000)}`);
      if (Date.now() > deadline)
        throw new Error(`the installed agent was not ready within ${timeoutMs} ms\n${this.stdout.slice(-2000)}\n${this.stderr.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.proc && this.exitCode === null) this.proc.kill(signal);
  }

  /** Kills the agent (if running) and deletes the temp root. */
  async remove(): Promise<void> {
    if (this.proc && this.exitCode === null) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
    rmSync(this.root, { recursive: true, force: true });
  }

  /**
   * Every module specifier the bundle's code imports or requires that is neither a Node builtin nor
   * one of its own files (esbuild writes code strings double-quoted; single-quoted ones are prose in
   * error messages). Only the drivers' optional add-ons may appear: see OPTIONAL_ADDONS.
   */
  foreignImports(): string[] {
    const dist = path.join(this.dir, 'dist');
    const found = new Set<string>();
    for (const f of readdirSync(dist)) {
      const src = readFileSync(path.join(dist, f), 'utf8');
      for (const m of src.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|require\s*\(\s*)"([^"\n]+)"/g)) {
        const spec = m[1]!;
        if (spec.startsWith('./') || spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0]!)) continue;
        found.add(spec);
      }
    }
    return [...found].sort();
  }
}

/** Optional native add-ons and plugins the drivers load in a try/catch and work without (external in agent/scripts/bundle.mjs). */
export const OPTIONAL_ADDONS = new Set(['pg-native', 'bufferutil', 'utf-8-validate', 'protobufjs', 'cardinal', 'supports-color']);

const BUILTINS = new Set(
  'assert async_hooks buffer child_process cluster console constants crypto dgram diagnostics_channel dns events fs http http2 https inspector module net os path perf_hooks process punycode querystring readline repl stream string_decoder sys timers tls trace_events tty url util v8 vm wasi worker_threads zlib'.split(
    ' ',
  ),
);

function runProcess(
  cmd: string,
  args: string[],
  o: { cwd: string; env: Record<string, string> },
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    p.on('error', reject);
    p.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Writes the module-trace preload into the temp root (outside the install dir, outside the repo). */
function writeTracePreload(root: string): string {
  const hooks = path.join(root, 'trace-hooks.mjs');
  const preload = path.join(root, 'trace-preload.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.SLUICE_TRACE_LOG, 'esm ' + r.url + '\\n');
  return r;
}
`,
  );
  writeFileSync(
    preload,
    `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register('./trace-hooks.mjs', import.meta.url);
const Module = createRequire(import.meta.url)('node:module');
const orig = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const r = orig.apply(this, args);
  appendFileSync(process.env.SLUICE_TRACE_LOG, 'cjs ' + r + '\\n');
  return r;
};
`,
  );
  return preload;
}

function runInstallOneLiner(apiUrl: string, args: string[], cwd: string, env: Record<string, string>, timeoutMs: number) {
  const oneLiner = `curl -fsSL ${q(`${apiUrl}/downloads/install-agent.sh`)} | sh -s -- ${args.map(q).join(' ')}`;
  return runProcess('sh', ['-c', oneLiner], { cwd, env }, timeoutMs);
}

/** Runs the api's install one-liner into a new empty temp dir and (by default) starts the installed agent. */
export async function installAgentFromApi(o: InstallAgentOptions): Promise<InstalledAgent> {
  const root = mkdtempSync(path.join(tmpdir(), 'sluice-agent-install-'));
  const home = path.join(root, 'home');
  mkdirSync(home);
  const dir = path.join(root, 'agent');
  const credentials = path.join(dir, 'agent.json');
  const env = bareHostEnv(home, { SLUICE_AGENT_RECONNECT_BASE_MS: '100', SLUICE_AGENT_RECONNECT_CAP_MS: '1000', ...o.env });
  const args = ['--api', o.apiUrl, '--token', o.token, ...(o.name ? ['--name', o.name] : []), '--dir', dir, '--no-start', ...(o.installerArgs ?? [])];
  const r = await runInstallOneLiner(o.apiUrl, args, root, env, o.timeoutMs ?? 120_000);
  if (r.code !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`the agent installer failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  const creds = JSON.parse(readFileSync(credentials, 'utf8')) as { agentId: string; name?: string };
  const agent = new InstalledAgent(
    root,
    dir,
    credentials,
    creds.agentId,
    creds.name ?? '',
    r.stdout + r.stderr,
    env,
    o.traceModules ? writeTracePreload(root) : null,
  );
  if (o.start !== false) agent.start({ capacity: o.capacity });
  return agent;
}
