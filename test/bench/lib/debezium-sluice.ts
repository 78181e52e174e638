/**
 * The Sluice side of the Debezium benchmark (debezium.ts): priming a CDC job before the backlog, knowing when its
 * committed checkpoint reached the backlog's end, counting a topic read_committed, and the agent's error.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { A } from './debezium-runs';
import { sh } from './util';

/** MariaDB GTID positions (`d-s-n,...`): true when `have` reached `want` in every domain of `want`. */
export function gtidReached(have: string, want: string): boolean {
  const seqs = (g: string) => new Map([...g.matchAll(/(\d+)-\d+-(\d+)/g)].map((m) => [m[1]!, BigInt(m[2]!)]));
  const h = seqs(have);
  return [...seqs(want)].every(([d, n]) => (h.get(d) ?? -1n) >= n);
}

/** The GTID set of the db -> kafka checkpoint in a standalone state file ('' when none yet). */
export async function stateGtid(state: string): Promise<string> {
  try {
    const st = JSON.parse(await readFile(state, 'utf8')) as { checkpoints?: Record<string, { gtidSet?: string }> };
    return st.checkpoints?.['db-kafka']?.gtidSet ?? '';
  } catch {
    return '';
  }
}

/** The agent's own error (its --json result's message and code) out of a failed run's log tail, else the tail. */
export function agentError(error: string): string {
  const m = /"message": "([^"]*)"/.exec(error);
  const code = /"code": "([^"]*)"/.exec(error);
  return m ? `${m[1]}${code ? ` (${code[1]})` : ''}` : error;
}

/**
 * A read_committed count of the topic (markers excluded) with consumer-perf; up to three tries, as a loaded machine can
 * keep its consumer from fetching for the whole of consumer-perf's --timeout (it then reports 0).
 */
export async function committedCount(topic: string, atLeast: number): Promise<number> {
  let best = 0;
  for (let i = 0; i < 3 && best < atLeast; i++) {
    const r = await sh(
      `bash test/services/kafka-run.sh consumer-perf --bootstrap-server ${A} --topic ${topic} --messages ${atLeast} --timeout 30000 --group debezium-bench-count-${Date.now()} --consumer.config <(echo isolation.level=read_committed) 2>/dev/null || true`,
    );
    const n = Number((r.stdout.trim().split('\n').pop() ?? '').split(',')[4]);
    if (Number.isFinite(n)) best = Math.max(best, n);
  }
  return best;
}

/** Runs the agent until its state file holds a checkpoint; the error (its log's tail) when it exits or times out first. */
export async function primeSluice(agent: string, spec: string, state: string, logFile: string): Promise<string | null> {
  const p = spawn(process.execPath, [agent, 'run', '--spec', spec, '--quiet', '--json'], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr.on('data', (d: Buffer) => (out += d.toString()));
  let exited = false;
  const exit = new Promise<void>((r) => p.on('close', () => ((exited = true), r())));
  const t0 = Date.now();
  let ok = false;
  while (!exited && Date.now() - t0 < 180_000) {
    const st = await readFile(state, 'utf8').catch(() => '');
    if (/"checkpoints":\{"/.test(st)) {
      ok = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  // let the checkpoint's Kafka transaction commit before stopping
  if (ok) await new Promise((r) => setTimeout(r, 2000));
  // kill -9 once primed: a SIGTERM'd standalone run records finishedAt and the next run says already-finished,
  // while a killed one resumes from its checkpoint
  if (!exited) {
    p.kill(ok ? 'SIGKILL' : 'SIGTERM');
    await Promise.race([exit, new Promise((r) => setTimeout(r, 30_000))]);
    if (!exited) p.kill('SIGKILL');
  }
  await writeFile(logFile, out);
  return ok ? null : `${exited ? 'exited' : 'no checkpoint within 180 s'} (log ${logFile}): ${out.trim().split('\n').slice(-8).join(' | ').slice(0, 800)}`;
}
