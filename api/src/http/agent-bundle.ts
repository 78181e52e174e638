/**
 * The self-contained agent the control plane serves (GET /downloads/sluice-agent.tgz).
 * It is built from this tree's agent/ by agent/scripts/bundle.mjs (esbuild, run as a child
 * process so the api imports nothing from the agent but its protocol), cached on disk under
 * a hash of the agent's sources and the lockfile, and rebuilt when they change.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface AgentBundle {
  file: string;
  hash: string;
  bytes: number;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (!e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

export class AgentBundler {
  private readonly agentDir: string;
  private building = new Map<string, Promise<AgentBundle>>();
  private memo: { at: number; hash: Promise<string> } | null = null;

  constructor(
    private readonly cacheDir: string,
    private readonly log: Logger,
    root = REPO_ROOT,
  ) {
    this.agentDir = path.join(root, 'agent');
    this.lockfile = path.join(root, 'package-lock.json');
  }
  private readonly lockfile: string;

  /** Hash of everything that goes into the bundle (sources, package.json, the bundler, the lockfile); memoised for 2 s. */
  sourceHash(): Promise<string> {
    if (this.memo && Date.now() - this.memo.at < 2_000) return this.memo.hash;
    const hash = (async () => {
      const files = [
        ...(await listFiles(path.join(this.agentDir, 'src'))),
        path.join(this.agentDir, 'package.json'),
        path.join(this.agentDir, 'scripts/bundle.mjs'),
        this.lockfile,
      ].sort();
      const h = createHash('sha256');
      for (const f of files) {
        h.update(path.relative(this.agentDir, f)).update('\0');
        h.update(await fs.readFile(f).catch(() => Buffer.alloc(0))).update('\0');
      }
      return h.digest('hex').slice(0, 20);
    })();
    this.memo = { at: Date.now(), hash };
    hash.catch(() => (this.memo = null));
    return hash;
  }

  /** The tarball for the current sources, building it when there is none yet. */
  async current(): Promise<AgentBundle> {
    const hash = await this.sourceHash();
    const dir = path.join(this.cacheDir, hash);
    const file = path.join(dir, 'sluice-agent.tgz');
    const st = await fs.stat(file).catch(() => null);
    if (st) return { file, hash, bytes: st.size };
    let p = this.building.get(hash);
    if (!p) {
      p = this.build(hash, dir, file).finally(() => this.building.delete(hash));
      this.building.set(hash, p);
    }
    return p;
  }

  private async build(hash: string, dir: string, file: string): Promise<AgentBundle> {
    const started = Date.now();
    const tmp = `${dir}.${process.pid}.${Date.now()}.tmp`;
    await fs.mkdir(tmp, { recursive: true });
    try {
      await new Promise<void>((resolve, reject) => {
        const p = spawn(process.execPath, [path.join(this.agentDir, 'scripts/bundle.mjs'), '--out', tmp], {
          cwd: this.agentDir,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let err = '';
        p.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
        p.on('error', reject);
        p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`agent bundle build exited with ${code}: ${err.trim()}`))));
      });
      try {
        await fs.rename(tmp, dir);
      } catch (e) {
        // Another process (several apis share the cache dir) finished the same build first: use its.
        if (await fs.stat(file).catch(() => null)) await fs.rm(tmp, { recursive: true, force: true });
        else {
          // A leftover without a tarball (a crash mid-way: complete builds are renamed whole) is garbage.
          await fs.rm(dir, { recursive: true, force: true });
          await fs.rename(tmp, dir).catch(async (e2: unknown) => {
            if (!(await fs.stat(file).catch(() => null))) throw e2 ?? e;
          });
        }
      }
    } catch (e) {
      await fs.rm(tmp, { recursive: true, force: true });
      throw e;
    }
    // Keep only the current build.
    for (const e of await fs.readdir(this.cacheDir))
      if (e !== hash && !e.endsWith('.tmp')) await fs.rm(path.join(this.cacheDir, e), { recursive: true, force: true });
    const st = await fs.stat(file);
    this.log.info({ hash, bytes: st.size, ms: Date.now() - started }, 'agent bundle built');
    return { file, hash, bytes: st.size };
  }
}
