/**
 * A real api (or BullMQ worker) PROCESS against a harness's control database and Redis prefix,
 * for the scale-out and chaos tests: `api/src/main.ts` or `api/src/worker-main.ts` under
 * `node --import tsx`, output kept, killable with SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiHarness } from './api-harness';
import { waitFor } from './wait';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export class ApiProcess {
  output = '';
  private constructor(
    readonly proc: ChildProcess,
    readonly port: number | null,
  ) {
    const keep = (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000));
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
  }

  /** `kind` api: serves HTTP and the agents' sockets on `port` (RUN_WORKER=false); worker: the BullMQ jobs only. */
  static async start(h: ApiHarness, kind: 'api' | 'worker', port: number | null, env: Record<string, string> = {}): Promise<ApiProcess> {
    const entry = kind === 'api' ? 'api/src/main.ts' : 'api/src/worker-main.ts';
    const proc = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: h.databaseUrl,
        DATABASE_POOL_MAX: '5',
        REDIS_URL: h.env.REDIS_URL,
        REDIS_PREFIX: h.redisPrefix,
        RUN_WORKER: kind === 'worker' ? 'true' : 'false',
        ...(port ? { PORT: String(port), HOST: '127.0.0.1' } : {}),
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const p = new ApiProcess(proc, port);
    if (port) {
      await waitFor(
        `the api process on port ${port}`,
        async () => {
          if (proc.exitCode !== null) throw new Error(`the api process exited ${proc.exitCode}: ${p.output.slice(-2000)}`);
          const r = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
          return r?.ok ? true : null;
        },
        60_000,
        200,
      );
    }
    return p;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.alive) return;
    const gone = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill(signal);
    await gone;
  }
}
