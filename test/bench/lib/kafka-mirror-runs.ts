/**
 * The three rows of the Kafka -> Kafka benchmark (kafka-mirror.ts): MirrorMaker 2 (connect-mirror-maker from the
 * test clusters' jars, IdentityReplicationPolicy), Sluice (`sluice-agent run --spec`, mode full) and the raw limit
 * (kafka-consumer-perf-test on A, kafka-producer-perf-test on B). Each copy is timed from process start to the
 * last record on B ("a backlog copied from process start"); peak RSS is the process's VmHWM.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { sh } from './util';

export const A = `127.0.0.1:${process.env.TEST_KAFKA_A_PORT ?? '19092'}`;
export const B = `127.0.0.1:${process.env.TEST_KAFKA_B_PORT ?? '29092'}`;
export const PARTITIONS = 3;

export interface CopyRun {
  seconds: number;
  firstRecordSeconds: number | null;
  recPerSec: number;
  mbPerSec: number;
  peakRssMb: number;
  /** Records on B at the end (read_committed count, markers excluded). */
  copied: number;
  error?: string;
}

export async function withAdmin<T>(broker: string, fn: (a: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({ clientId: 'kafka-ops-bench', brokers: [broker], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Deletes the topics that exist, and waits until they are gone (a copy into a half-deleted topic fails). */
export async function dropTopics(broker: string, topics: string[]): Promise<void> {
  await withAdmin(broker, async (a) => {
    const mine = (await a.listTopics()).filter((t) => topics.includes(t));
    if (!mine.length) return;
    await a.deleteTopics({ topics: mine, timeout: 30_000 });
    for (let i = 0; i < 100; i++) {
      const left = (await a.listTopics()).filter((t) => mine.includes(t));
      if (!left.length) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  });
}

/** Sum of the partitions' end offsets (markers included) of a topic, 0 when it does not exist yet. */
async function endOffsetSum(a: Admin, topic: string): Promise<number> {
  try {
    const offs = await a.fetchTopicOffsets(topic);
    return offs.reduce((s, o) => s + Number(o.high), 0);
  } catch {
    return 0;
  }
}

function hwmKb(pid: number | undefined): Promise<number> {
  if (!pid) return Promise.resolve(0);
  return readFile(`/proc/${pid}/status`, 'utf8').then(
    (s) => Math.max(Number(/^VmHWM:\s+(\d+) kB/m.exec(s)?.[1] ?? 0), Number(/^VmRSS:\s+(\d+) kB/m.exec(s)?.[1] ?? 0)),
    () => 0,
  );
}

/**
 * Starts `cmd args` and polls B's end offsets for `topic`, sampling the process's peak RSS. With `stop` (a mirror that
 * never ends by itself) the copy is done when B holds every record and the process gets SIGTERM; otherwise (a job
 * in mode full) it is done when the process exits.
 */
export async function timeCopy(
  cmd: string,
  args: string[],
  o: { topic: string; records: number; bytes: number; stop: boolean; transactional: boolean; env?: NodeJS.ProcessEnv; timeoutMs: number; log: string },
): Promise<CopyRun> {
  const t0 = performance.now();
  const p = spawn(cmd, args, { env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  p.stdout.on('data', keep);
  p.stderr.on('data', keep);
  let exited: number | null | undefined;
  const exit = new Promise<void>((r) => p.on('close', (code) => ((exited = code), r())));
  let peak = 0;
  let first: number | null = null;
  let last = 0;
  const deadline = t0 + o.timeoutMs;
  await withAdmin(B, async (a) => {
    for (;;) {
      peak = Math.max(peak, await hwmKb(p.pid));
      const end = await endOffsetSum(a, o.topic);
      const now = performance.now();
      if (end > 0 && first === null) first = now;
      if (end >= o.records && o.stop) {
        last = now;
        break;
      }
      if (exited !== undefined) {
        last = now;
        break;
      }
      if (now > deadline) {
        last = now;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  if (exited === undefined) {
    peak = Math.max(peak, await hwmKb(p.pid));
    p.kill('SIGTERM');
    await Promise.race([exit, new Promise((r) => setTimeout(r, 20_000))]);
    if (exited === undefined) p.kill('SIGKILL');
  }
  await writeFile(o.log, out);
  // A transactional copy's end offsets include commit markers: count what a read_committed reader sees.
  const copied = o.transactional ? await countCommitted(B, o.topic) : await withAdmin(B, (a) => endOffsetSum(a, o.topic));
  const seconds = (last - t0) / 1000;
  const failed = copied < o.records ? `copied ${copied} of ${o.records} records (exit ${String(exited)}; log ${o.log})` : undefined;
  return {
    seconds: Math.round(seconds * 100) / 100,
    firstRecordSeconds: first === null ? null : Math.round(((first - t0) / 1000) * 100) / 100,
    recPerSec: Math.round(o.records / seconds),
    mbPerSec: Math.round((o.bytes / seconds / 1e6) * 10) / 10,
    peakRssMb: Math.round(peak / 102.4) / 10,
    copied,
    ...(failed ? { error: failed } : {}),
  };
}

/** Records of a topic a read_committed reader sees: end offsets minus markers, counted with consumer-perf. */
async function countCommitted(broker: string, topic: string): Promise<number> {
  const total = await withAdmin(broker, (a) => endOffsetSum(a, topic));
  if (total === 0) return 0;
  const r = await sh(
    `bash test/services/kafka-run.sh consumer-perf --bootstrap-server ${broker} --topic ${topic} --messages ${total} --timeout 8000 --group kafka-ops-count-${Date.now()} --consumer.config <(echo isolation.level=read_committed) 2>/dev/null || true`,
  );
  const row = r.stdout.trim().split('\n').pop() ?? '';
  const n = Number(row.split(',')[4]);
  return Number.isFinite(n) ? n : 0;
}

/** Fills a source topic on A with producer-perf (fast settings: it is setup, not a measurement). */
export async function fill(topic: string, records: number, size: number): Promise<void> {
  await withAdmin(A, (a) => a.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true }));
  await sh(
    `bash test/services/kafka-run.sh producer-perf --topic ${topic} --num-records ${records} --record-size ${size} --throughput -1 --producer-props bootstrap.servers=${A} acks=1 linger.ms=20 batch.size=524288 >/dev/null`,
  );
}

/** The raw limit: consumer-perf on A (fetch rate) and producer-perf into a fresh topic on B; the lower of the two. */
export async function rawLimit(
  topic: string,
  records: number,
  size: number,
  stamp: string,
): Promise<{ consumeRecPerSec: number; produceRecPerSec: number; recPerSec: number; mbPerSec: number }> {
  const c = await sh(
    `bash test/services/kafka-run.sh consumer-perf --bootstrap-server ${A} --topic ${topic} --messages ${records} --timeout 30000 --group kafka-ops-perf-${stamp}-${Date.now()} 2>/dev/null`,
  );
  const cols = (c.stdout.trim().split('\n').pop() ?? '').split(',').map((x) => x.trim());
  const consumeRecPerSec = Math.round(Number(cols[9] ?? cols[5]));
  const out = `kafka-ops-mirror-raw-${stamp}-${size}-${Date.now()}`;
  await withAdmin(B, (a) => a.createTopics({ topics: [{ topic: out, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true }));
  try {
    const p = await sh(
      `bash test/services/kafka-run.sh producer-perf --topic ${out} --num-records ${records} --record-size ${size} --throughput -1 --producer-props bootstrap.servers=${B} acks=all enable.idempotence=true linger.ms=5 batch.size=262144 2>/dev/null`,
    );
    const m = /([\d.]+) records\/sec/.exec(p.stdout.trim().split('\n').pop() ?? '');
    const produceRecPerSec = Math.round(Number(m?.[1] ?? 0));
    const recPerSec = Math.min(consumeRecPerSec, produceRecPerSec);
    return { consumeRecPerSec, produceRecPerSec, recPerSec, mbPerSec: Math.round(((recPerSec * size) / 1e6) * 10) / 10 };
  } finally {
    await dropTopics(B, [out]);
  }
}

/** mm2.properties for one run: src=A -> dst=B, only `topic`, identity names, fresh internal topics (no resume). */
export async function mm2Properties(dir: string, topic: string, runId: string, tasks: number): Promise<string> {
  const file = join(dir, `mm2-${runId}.properties`);
  await writeFile(
    file,
    [
      'clusters = src, dst',
      `src.bootstrap.servers = ${A}`,
      `dst.bootstrap.servers = ${B}`,
      'src->dst.enabled = true',
      'dst->src.enabled = false',
      `src->dst.topics = ${topic}`,
      'replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy',
      `tasks.max = ${tasks}`,
      'replication.factor = 1',
      'checkpoints.topic.replication.factor = 1',
      'heartbeats.topic.replication.factor = 1',
      'offset-syncs.topic.replication.factor = 1',
      'offset.storage.replication.factor = 1',
      'status.storage.replication.factor = 1',
      'config.storage.replication.factor = 1',
      'emit.heartbeats.enabled = false',
      'sync.topic.acls.enabled = false',
      `dst.offset.storage.topic = kafka-ops-mm2-offsets-${runId}`,
      `dst.config.storage.topic = kafka-ops-mm2-configs-${runId}`,
      `dst.status.storage.topic = kafka-ops-mm2-status-${runId}`,
      `src->dst.group.id = kafka-ops-mm2-${runId}`,
      '',
    ].join('\n'),
  );
  return file;
}

export const mm2InternalTopics = (runId: string) => [`kafka-ops-mm2-offsets-${runId}`, `kafka-ops-mm2-configs-${runId}`, `kafka-ops-mm2-status-${runId}`];

/** A standalone Sluice spec: mode full (copy up to T0, then exit), the one topic, same names, same partitions. */
export async function sluiceSpec(dir: string, topic: string, runId: string): Promise<string> {
  const file = join(dir, `sluice-${runId}.json`);
  const spec = {
    jobId: `kafka-ops-bench-${runId}`,
    source: { kind: 'kafka', config: { brokers: [A] } },
    target: { kind: 'kafka', config: { brokers: [B] } },
    stateFile: join(dir, `sluice-${runId}.state.json`),
    job: { mode: 'full', tables: { include: [topic] }, options: { verifyAfterLoad: false }, kafka: { start: { from: 'earliest' }, partitioning: 'same' } },
  };
  await writeFile(file, JSON.stringify(spec, null, 2));
  return file;
}
