/**
 * Lag at a steady rate (debezium.ts): a system (Debezium or the Sluice agent) streams a table's changes into a topic
 * while a writer inserts `rate` rows/s into that table for `seconds`; a read_committed consumer of the topic stamps
 * each row's arrival. Lag = arrival - commit, where commit is when the writer's autocommit INSERT returned (so a row
 * is stamped a little after its real commit: the figure errs low by the INSERT's round trip, well under 1 ms here).
 *
 * The system is started first and given probe rows (one every 2 s) until one reaches the topic: the steady writer
 * only starts once the system streams, so start-up is not lag. Rows are written in ticks of 20 ms (rate / 50 rows
 * per INSERT); a late tick writes what is due, so the rate holds on average even when the machine stalls.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { Kafka, logLevel } from 'kafkajs';
import { withAdmin } from './kafka-mirror-runs';
import { serverCpuMs } from './util';

export interface LagRun {
  rate: number;
  seconds: number;
  /** Rows written by the steady writer, and how many of them the consumer saw. */
  written: number;
  seen: number;
  /** The writer's achieved rate (rows/s). */
  achievedRate: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Per second of the writer's run: the highest lag of the rows committed in it (ms), to see stalls. */
  maxBySecond: number[];
  cpuSeconds: number;
  peakRssMb: number;
  error?: string;
}

const percentile = (sorted: number[], p: number): number | null =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : null;

async function endOffsets(broker: string, topic: string): Promise<number> {
  return withAdmin(broker, async (a) => {
    try {
      return (await a.fetchTopicOffsets(topic)).reduce((s, o) => s + Number(o.high), 0);
    } catch {
      return 0;
    }
  });
}

async function procFigures(pid: number | undefined): Promise<{ peakKb: number; cpuMs: number }> {
  if (!pid) return { peakKb: 0, cpuMs: 0 };
  try {
    const s = await readFile(`/proc/${pid}/status`, 'utf8');
    const peakKb = Math.max(Number(/^VmHWM:\s+(\d+) kB/m.exec(s)?.[1] ?? 0), Number(/^VmRSS:\s+(\d+) kB/m.exec(s)?.[1] ?? 0));
    return { peakKb, cpuMs: await serverCpuMs(pid) };
  } catch {
    return { peakKb: 0, cpuMs: 0 };
  }
}

/** The `id` of a record key written as Debezium JSON without schema (`{"id":123}`), as Sluice and Debezium both do. */
function keyId(key: Buffer | null): number | null {
  if (!key) return null;
  const m = /"id":(\d+)/.exec(key.toString('latin1'));
  return m ? Number(m[1]) : null;
}

export async function lagRun(
  cmd: string,
  args: string[],
  o: {
    broker: string;
    topic: string;
    /** Inserts rows with ids [first, first + n) into the table and resolves once committed. */
    insert: (first: number, n: number) => Promise<void>;
    firstId: number;
    rate: number;
    seconds: number;
    env?: NodeJS.ProcessEnv;
    log: string;
    startTimeoutMs: number;
  },
): Promise<LagRun> {
  const p = spawn(cmd, args, { env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 400_000) out = out.slice(-200_000);
  };
  p.stdout.on('data', keep);
  p.stderr.on('data', keep);
  let exited: number | null | undefined;
  const exit = new Promise<void>((r) => p.on('close', (code) => ((exited = code), r())));
  let peakKb = 0;
  let cpuMs = 0;
  const sample = async () => {
    if (exited !== undefined) return;
    const f = await procFigures(p.pid);
    peakKb = Math.max(peakKb, f.peakKb);
    cpuMs = Math.max(cpuMs, f.cpuMs);
  };
  const commits = new Map<number, number>();
  const lags: number[] = [];
  const maxBySecond: number[] = [];
  let writerStart = 0;
  let ready = false;
  let written = 0;
  let error: string | undefined;
  let consumer: ReturnType<Kafka['consumer']> | null = null;
  let achievedRate = 0;
  try {
    // 1. probes until the system streams
    let probe = o.firstId;
    const t0 = Date.now();
    for (;;) {
      await o.insert(probe++, 1);
      const until = Date.now() + 2000;
      while (Date.now() < until && (await endOffsets(o.broker, o.topic)) === 0) await new Promise((r) => setTimeout(r, 200));
      await sample();
      if ((await endOffsets(o.broker, o.topic)) > 0) break;
      if (exited !== undefined) throw new Error(`exited (${String(exited)}) before streaming`);
      if (Date.now() - t0 > o.startTimeoutMs) throw new Error(`no record within ${o.startTimeoutMs / 1000} s`);
    }
    // 2. a read_committed consumer from the topic's start (probes are not lag rows: no commit time)
    consumer = new Kafka({ clientId: 'debezium-bench-lag', brokers: [o.broker], logLevel: logLevel.NOTHING }).consumer({
      groupId: `debezium-bench-lag-${Date.now()}`,
      readUncommitted: false,
      maxWaitTimeInMs: 50,
      maxBytesPerPartition: 8 << 20,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: o.topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        ready = true;
        for (const m of batch.messages) {
          const id = keyId(m.key);
          const at = id === null ? undefined : commits.get(id);
          if (at !== undefined) {
            lags.push(now - at);
            const sec = Math.floor((at - writerStart) / 1000);
            maxBySecond[sec] = Math.max(maxBySecond[sec] ?? 0, now - at);
            commits.delete(id!);
          }
        }
      },
    });
    // the consumer has joined and fetched (the probes) before the writer starts: its start-up is not lag
    const joinBy = Date.now() + 120_000;
    while (!ready && Date.now() < joinBy) await new Promise((r) => setTimeout(r, 100));
    if (!ready) throw new Error('the read_committed consumer saw no record within 120 s');
    // 3. the steady writer (a late tick catches up, up to half a second's rows an INSERT)
    const first = probe + 10;
    const start = performance.now();
    writerStart = Date.now();
    let next = start;
    let sampled = start;
    while (performance.now() - start < o.seconds * 1000) {
      const due = Math.floor(((performance.now() - start) / 1000) * o.rate) - written;
      if (due > 0) {
        const n = Math.min(due, Math.ceil(o.rate / 2));
        await o.insert(first + written, n);
        const at = Date.now();
        for (let i = 0; i < n; i++) commits.set(first + written + i, at);
        written += n;
      }
      next += 20;
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (performance.now() - sampled >= 1000) {
        sampled = performance.now();
        await sample();
      }
    }
    achievedRate = Math.round(written / ((performance.now() - start) / 1000));
    // 4. until every row arrived (or 120 s)
    const deadline = Date.now() + 120_000;
    while (lags.length < written && Date.now() < deadline && exited === undefined) {
      await sample();
      await new Promise((r) => setTimeout(r, 250));
    }
    if (lags.length < written) error = `saw ${lags.length} of ${written} rows`;
  } catch (e) {
    error = (e as Error).message;
  } finally {
    await sample();
    await consumer?.disconnect().catch(() => undefined);
    if (exited === undefined) {
      p.kill('SIGTERM');
      await Promise.race([exit, new Promise((r) => setTimeout(r, 30_000))]);
      if (exited === undefined) {
        p.kill('SIGKILL');
        await exit;
      }
    }
    await writeFile(o.log, out);
  }
  const sorted = [...lags].sort((a, b) => a - b);
  const tail = out.trim().split('\n').slice(-6).join(' | ').slice(0, 800);
  return {
    rate: o.rate,
    seconds: o.seconds,
    written,
    seen: lags.length,
    achievedRate,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : null,
    maxBySecond: Array.from(maxBySecond, (x) => x ?? 0),
    cpuSeconds: Math.round(cpuMs / 100) / 10,
    peakRssMb: Math.round(peakKb / 102.4) / 10,
    ...(error ? { error: `${error} (log ${o.log}: ${tail})` } : {}),
  };
}
