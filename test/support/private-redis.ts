/**
 * A private redis-server for tests that restart or kill Redis (never the
 * shared 6379): its own port, its own directory holding the append-only file
 * and `redis.log`. With `appendonly` (the default, as a production Redis for
 * BullMQ runs) a clean restart keeps the queue; without it a restart empties it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { waitFor } from './wait';

async function ping(port: number): Promise<string | null> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  r.on('error', () => {}); // refused while the server is down
  try {
    await r.connect();
    if ((await r.ping()) !== 'PONG') return null;
    const dir = (await r.config('GET', 'dir')) as string[];
    return dir[1] ?? '';
  } catch {
    return null;
  } finally {
    r.disconnect();
  }
}

export class PrivateRedis {
  private proc: ChildProcess | null = null;

  constructor(
    readonly port: number,
    readonly dir: string,
    private readonly opts: { appendonly?: boolean } = {},
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    // A server left behind by an interrupted run of the same directory is ours to stop; any other owner is an error.
    const stale = await ping(this.port);
    if (stale !== null) {
      if (path.resolve(stale) !== path.resolve(this.dir)) throw new Error(`port ${this.port} is held by a redis-server of ${stale}`);
      const r = new Redis({ port: this.port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => {});
      await r.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
      r.disconnect();
      await waitFor(`the stale redis-server on ${this.port} to stop`, async () => (await ping(this.port)) === null, 10_000);
    }
    const aof = this.opts.appendonly ?? true;
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--logfile', path.join(this.dir, 'redis.log'), '--save', ''];
    args.push('--appendonly', aof ? 'yes' : 'no', '--appendfsync', 'everysec');
    const p = spawn('redis-server', args, { stdio: 'ignore' });
    this.proc = p;
    await waitFor(
      `redis-server on ${this.port} (log: ${path.join(this.dir, 'redis.log')})`,
      async () => {
        if (p.exitCode !== null) throw new Error(`redis-server exited ${p.exitCode}`);
        return (await ping(this.port)) !== null;
      },
      20_000,
    );
  }

  /** SIGTERM (a clean shutdown: the append-only file is flushed) or SIGKILL; resolves when the process is gone. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill(signal);
    await gone;
  }
}
