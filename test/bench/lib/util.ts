/** Shared benchmark plumbing: shell pipelines, child processes with peak RSS, markdown, README sections, CPU profiles. */
import { spawn } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Timed<T = void> {
  seconds: number;
  value: T;
}

export async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const t0 = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - t0) / 1000, value };
}

/** Runs a bash pipeline (pipefail); rejects with the tail of stderr on failure. */
export function sh(cmd: string, opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', ['-o', 'pipefail', '-c', cmd], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.length > 1_000_000) out = out.slice(-500_000);
    });
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.length > 1_000_000) err = err.slice(-500_000);
    });
    const timer = opts.timeoutMs ? setTimeout(() => p.kill('SIGTERM'), opts.timeoutMs) : null;
    p.on('error', reject);
    p.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (code === 0) resolve({ stdout: out, stderr: err });
      else reject(new Error(`command failed (${code}): ${cmd.slice(0, 200)}\n${err.slice(-2000)}`));
    });
  });
}

function readKb(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) : 0;
}

export interface ChildRun {
  seconds: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set (VmHWM) of the child, MB, sampled from /proc while it ran and reported by it at exit. */
  peakRssMb: number;
  /** CPU time of the child (user + system, all threads), when it reported it. */
  cpuMs: number | null;
}

/**
 * Runs `node <args>` as a child and samples /proc/<pid>/status every 100 ms for
 * VmHWM (the kernel's own peak-RSS counter), so the peak is exact even between samples.
 */
export function runNodeChild(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let hwmKb = 0;
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.length > 4_000_000) out = out.slice(-2_000_000);
    });
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.length > 1_000_000) err = err.slice(-500_000);
    });
    const sample = async () => {
      try {
        const s = await readFile(`/proc/${p.pid}/status`, 'utf8');
        hwmKb = Math.max(hwmKb, readKb(s, 'VmHWM'), readKb(s, 'VmRSS'));
      } catch {
        /* exited */
      }
    };
    const iv = setInterval(() => void sample(), 100);
    const timer = opts.timeoutMs ? setTimeout(() => p.kill('SIGTERM'), opts.timeoutMs) : null;
    p.on('error', (e) => {
      clearInterval(iv);
      reject(e);
    });
    p.on('close', (code) => {
      clearInterval(iv);
      if (timer) clearTimeout(timer);
      // The child prints `VmHWM_KB=<n>` from /proc/self/status just before exiting.
      const self = /VmHWM_KB=(\d+)/.exec(out + err);
      if (self) hwmKb = Math.max(hwmKb, Number(self[1]));
      const cpu = /CPU_MS=(\d+)/.exec(out);
      resolve({
        seconds: (performance.now() - t0) / 1000,
        code,
        stdout: out,
        stderr: err,
        peakRssMb: Math.round(hwmKb / 102.4) / 10,
        cpuMs: cpu ? Number(cpu[1]) : null,
      });
    });
  });
}

export function parseArgs(args: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (i + 1 < args.length && !args[i + 1]!.startsWith('--')) out[a.slice(2)] = args[++i]!;
    else out[a.slice(2)] = true;
  }
  return out;
}

export function markdownTable(head: string[], rows: (string | number)[][]): string {
  const esc = (v: string | number) => String(v).replace(/\|/g, '\\|');
  return [`| ${head.map(esc).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

/** Replaces the text between `<!-- bench:<id>:start -->` and `<!-- bench:<id>:end -->` in the README's Benchmarks section. */
export async function updateReadme(readmePath: string, id: string, body: string, heading = '## Benchmarks'): Promise<void> {
  let md = await readFile(readmePath, 'utf8');
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  if (md.includes(start) && md.includes(end)) {
    md = md.slice(0, md.indexOf(start)) + block + md.slice(md.indexOf(end) + end.length);
  } else if (md.includes(heading)) {
    const at = md.indexOf(heading) + heading.length;
    const next = md.indexOf('\n## ', at);
    const insertAt = next < 0 ? md.length : next;
    md = `${md.slice(0, insertAt).trimEnd()}\n\n${block}\n${md.slice(insertAt)}`;
  } else {
    md = `${md.trimEnd()}\n\n${heading}\n\n${block}\n`;
  }
  await writeFile(readmePath, md);
}

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/**
 * Summarises the main-thread .cpuprofile in `dir` (the one with the most busy
 * time: `--import tsx` adds a mostly idle loader thread): busy and idle time,
 * and the top functions by self time.
 */
export async function summariseCpuProfile(
  dir: string,
  top = 15,
): Promise<{ file: string; wallMs: number; busyMs: number; idleMs: number; gcMs: number; top: { fn: string; selfMs: number; pctOfBusy: number }[] } | null> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.cpuprofile'));
  let best: { file: string; wallMs: number; busyMs: number; idleMs: number; gcMs: number; byFn: Map<string, number> } | null = null;
  for (const file of files) {
    const prof = JSON.parse(await readFile(join(dir, file), 'utf8')) as {
      nodes: CpuNode[];
      samples: number[];
      timeDeltas: number[];
      startTime: number;
      endTime: number;
    };
    const self = new Map<number, number>();
    prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
    const byFn = new Map<string, number>();
    let idle = 0;
    let busy = 0;
    let gc = 0;
    for (const n of prof.nodes) {
      const us = self.get(n.id) ?? 0;
      const fn = n.callFrame.functionName;
      if (fn === '(idle)') {
        idle += us;
        continue;
      }
      if (fn === '(garbage collector)') gc += us;
      busy += us;
      const url = n.callFrame.url.replace(/^.*\/(node_modules\/)/, '$1').replace(/^file:\/\/.*\/work\/main\//, '');
      const name = `${fn || '(anonymous)'} ${url ? `${url}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
      byFn.set(name, (byFn.get(name) ?? 0) + us);
    }
    if (!best || busy > best.busyMs)
      best = { file: join(dir, file), wallMs: Math.round((prof.endTime - prof.startTime) / 1000), busyMs: busy, idleMs: idle, gcMs: gc, byFn };
  }
  if (!best) return null;
  const busy = best.busyMs;
  const sorted = [...best.byFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    file: best.file,
    wallMs: best.wallMs,
    busyMs: Math.round(busy / 1000),
    idleMs: Math.round(best.idleMs / 1000),
    gcMs: Math.round(best.gcMs / 1000),
    top: sorted.map(([fn, us]) => ({ fn, selfMs: Math.round(us / 1000), pctOfBusy: Math.round((us / Math.max(1, busy)) * 1000) / 10 })),
  };
}

export function fmtRate(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n >= 1000 ? `${Math.round(n / 1000).toLocaleString('en-US')}k` : String(Math.round(n));
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

async function statTimes(pid: number): Promise<{ ppid: number; own: number; children: number } | null> {
  try {
    const st = await readFile(`/proc/${pid}/stat`, 'utf8');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    // after the comm: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    return { ppid: Number(f[1]), own: (Number(f[11]) + Number(f[12])) * TICK_MS, children: (Number(f[13]) + Number(f[14])) * TICK_MS };
  } catch {
    return null;
  }
}

/**
 * CPU milliseconds consumed so far by a server process and its children
 * (PostgreSQL backends are child processes: live ones are summed, exited ones
 * are already in the postmaster's cutime/cstime). Diff two readings.
 */
export async function serverCpuMs(pid: number): Promise<number> {
  const root = await statTimes(pid);
  if (!root) return 0;
  let total = root.own + root.children;
  for (const d of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(d) || Number(d) === pid) continue;
    const t = await statTimes(Number(d));
    if (t && t.ppid === pid) total += t.own;
  }
  return total;
}
