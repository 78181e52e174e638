/**
 * The pieces of the MySQL(MariaDB) -> Kafka CDC benchmark against Debezium (debezium.ts): Kafka Connect standalone
 * with Debezium's MariaDB connector (plugin directory from debezium-setup.sh), a process drained "from process start"
 * while its CPU seconds and peak RSS are sampled from /proc, the topic's size on the broker, and the raw limit
 * (kafka-producer-perf-test on cluster A at the same record size).
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropTopics, withAdmin } from './kafka-mirror-runs';
import { serverCpuMs, sh } from './util';

export const A = `127.0.0.1:${process.env.TEST_KAFKA_A_PORT ?? '19092'}`;
export const MY_PORT = Number(process.env.TEST_MARIADB_PORT ?? 33306);
export const CONNECT_REST_PORT = 38083;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface DrainRun {
  /** From process start to the last record of the backlog in the topic. */
  seconds: number;
  firstRecordSeconds: number | null;
  eventsPerSec: number;
  /** user + system CPU of the process (all threads, live children included), seconds. */
  cpuSeconds: number;
  peakRssMb: number;
  /** Records in the topic at the end. */
  records: number;
  error?: string;
}

/** The plugin.path holding debezium-connector-mariadb (fetched once with mvn, cached under $SLUICE_TEST_ROOT/debezium). */
export async function debeziumPlugins(): Promise<string> {
  const r = await sh(`bash ${join(ROOT, 'test/bench/lib/debezium-setup.sh')}`, { timeoutMs: 15 * 60_000 });
  return r.stdout.trim().split('\n').pop() ?? '';
}

export interface ConnectFiles {
  worker: string;
  connector: string;
  offsets: string;
  dataTopic: string;
  internalTopics: string[];
}

/** worker.properties (own offsets file, REST on 38083, JSON without schemas) and the connector's properties. */
export async function connectFiles(
  dir: string,
  o: { plugins: string; stamp: string; label: string; database: string; table?: string; snapshotMode: 'no_data' | 'initial'; offsets: string },
): Promise<ConnectFiles> {
  const prefix = `debezium-bench-${o.stamp}-${o.label}`;
  const table = o.table ?? 'bench';
  const worker = join(dir, `worker-${o.label}.properties`);
  const connector = join(dir, `connector-${o.label}.properties`);
  await writeFile(
    worker,
    [
      `bootstrap.servers=${A}`,
      'key.converter=org.apache.kafka.connect.json.JsonConverter',
      'value.converter=org.apache.kafka.connect.json.JsonConverter',
      // Sluice's `debezium` format is JsonConverter with schemas.enable=false (docs/formats/debezium.md)
      'key.converter.schemas.enable=false',
      'value.converter.schemas.enable=false',
      `offset.storage.file.filename=${o.offsets}`,
      'offset.flush.interval.ms=1000',
      `plugin.path=${o.plugins}`,
      `listeners=http://127.0.0.1:${CONNECT_REST_PORT}`,
      '',
    ].join('\n'),
  );
  await writeFile(
    connector,
    [
      `name=${prefix}`,
      'connector.class=io.debezium.connector.mariadb.MariaDbConnector',
      'tasks.max=1',
      'database.hostname=127.0.0.1',
      `database.port=${MY_PORT}`,
      'database.user=root',
      'database.password=',
      'database.ssl.mode=disable',
      `database.server.id=${5400 + Math.floor(Math.random() * 4000)}`,
      `topic.prefix=${prefix}`,
      `database.include.list=${o.database}`,
      `table.include.list=${o.database}.${table}`,
      `schema.history.internal.kafka.bootstrap.servers=${A}`,
      `schema.history.internal.kafka.topic=${prefix}-schema-history`,
      `snapshot.mode=${o.snapshotMode}`,
      // no_data on an empty table: without heartbeats Debezium stores no offset and a restart skips the backlog
      'heartbeat.interval.ms=1000',
      'topic.heartbeat.prefix=debezium-bench-heartbeat',
      'include.schema.changes=false',
      '',
    ].join('\n'),
  );
  return {
    worker,
    connector,
    offsets: o.offsets,
    dataTopic: `${prefix}.${o.database}.${table}`,
    internalTopics: [`${prefix}-schema-history`, `debezium-bench-heartbeat.${prefix}`],
  };
}

/** `kafka-run.sh ConnectStandalone worker connector` (kafka-run.sh execs java: the pid is the JVM's). */
export function connectCommand(f: ConnectFiles): { cmd: string; args: string[] } {
  return { cmd: 'bash', args: [join(ROOT, 'test/services/kafka-run.sh'), 'org.apache.kafka.connect.cli.ConnectStandalone', f.worker, f.connector] };
}

async function endOffsetSum(topic: string): Promise<number> {
  return withAdmin(A, async (a) => {
    try {
      return (await a.fetchTopicOffsets(topic)).reduce((s, o) => s + Number(o.high), 0);
    } catch {
      return 0;
    }
  });
}

async function peakKb(pid: number | undefined): Promise<number> {
  if (!pid) return 0;
  try {
    const s = await readFile(`/proc/${pid}/status`, 'utf8');
    return Math.max(Number(/^VmHWM:\s+(\d+) kB/m.exec(s)?.[1] ?? 0), Number(/^VmRSS:\s+(\d+) kB/m.exec(s)?.[1] ?? 0));
  } catch {
    return 0;
  }
}

/**
 * Starts `cmd args` and polls the topic's end offsets until they reach `records` (or `until` says done), sampling
 * the process's CPU time and peak RSS every 250 ms; then SIGTERM (SIGKILL after 30 s). A process that exits
 * first, or no record after `firstRecordTimeoutMs`, is an error carrying the tail of its log.
 */
export async function drain(
  cmd: string,
  args: string[],
  o: {
    topic: string;
    records: number;
    env?: NodeJS.ProcessEnv;
    timeoutMs: number;
    firstRecordTimeoutMs: number;
    log: string;
    /** Done check when end offsets include transaction markers: called once end offsets reach `records`. */
    until?: () => Promise<boolean>;
    /** Done check polled every 250 ms instead of the end offsets (e.g. the job's committed checkpoint). */
    done?: () => Promise<boolean>;
    /** The process exiting with code 0 is done, at the moment it exited (a job that ends once complete). */
    exitIsDone?: boolean;
    /** Counts the records once timed (default: the topic's end offsets). */
    count?: () => Promise<number>;
  },
): Promise<DrainRun> {
  const t0 = performance.now();
  const p = spawn(cmd, args, { env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 400_000) out = out.slice(-200_000);
  };
  p.stdout.on('data', keep);
  p.stderr.on('data', keep);
  let exited: number | null | undefined;
  let exitedAt = 0;
  const exit = new Promise<void>((r) => p.on('close', (code) => ((exitedAt = performance.now()), (exited = code), r())));
  let peak = 0;
  let cpuMs = 0;
  let first: number | null = null;
  let last = 0;
  let error: string | undefined;
  for (;;) {
    peak = Math.max(peak, await peakKb(p.pid));
    if (p.pid && exited === undefined) cpuMs = Math.max(cpuMs, await serverCpuMs(p.pid));
    const end = await endOffsetSum(o.topic);
    const now = performance.now();
    if (end > 0 && first === null) first = now;
    if (o.exitIsDone && exited === 0) {
      last = exitedAt;
      break;
    }
    if (o.done ? await o.done() : end >= o.records && (!o.until || (await o.until()))) {
      last = performance.now();
      break;
    }
    if (exited !== undefined) {
      error = `exited (${String(exited)}) with ${end} of ${o.records} records`;
      last = now;
      break;
    }
    if (now - t0 > o.timeoutMs || (first === null && now - t0 > o.firstRecordTimeoutMs)) {
      error = `timed out with ${end} of ${o.records} records after ${Math.round((now - t0) / 1000)} s`;
      last = now;
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (exited === undefined) {
    peak = Math.max(peak, await peakKb(p.pid));
    if (p.pid) cpuMs = Math.max(cpuMs, await serverCpuMs(p.pid));
    p.kill('SIGTERM');
    await Promise.race([exit, new Promise((r) => setTimeout(r, 30_000))]);
    if (exited === undefined) {
      p.kill('SIGKILL');
      await exit;
    }
  }
  await writeFile(o.log, out);
  const seconds = (last - t0) / 1000;
  const tail = out.trim().split('\n').slice(-6).join(' | ').slice(0, 800);
  return {
    seconds: Math.round(seconds * 100) / 100,
    firstRecordSeconds: first === null ? null : Math.round(((first - t0) / 1000) * 100) / 100,
    eventsPerSec: error ? 0 : Math.round(o.records / seconds),
    cpuSeconds: Math.round(cpuMs / 100) / 10,
    peakRssMb: Math.round(peak / 102.4) / 10,
    records: o.count ? await o.count() : await endOffsetSum(o.topic),
    ...(error ? { error: `${error} (log ${o.log}: ${tail})` } : {}),
  };
}

/**
 * Starts Connect once on the empty table (snapshot.mode=no_data) until its offsets file holds a position (a
 * heartbeat stored it), then stops it: each measured run restores that file and drains the backlog written after.
 */
export async function primeDebezium(f: ConnectFiles, log: string, env: NodeJS.ProcessEnv): Promise<void> {
  const { cmd, args } = connectCommand(f);
  const p = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr.on('data', (d: Buffer) => (out += d.toString()));
  let exited = false;
  const exit = new Promise<void>((r) => p.on('close', () => ((exited = true), r())));
  const t0 = Date.now();
  let ok = false;
  while (!exited && Date.now() - t0 < 180_000) {
    const txt = await readFile(f.offsets, 'latin1').catch(() => '');
    if (txt.includes('"gtids"') || txt.includes('"pos"')) {
      ok = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!exited) {
    p.kill('SIGTERM');
    await Promise.race([exit, new Promise((r) => setTimeout(r, 30_000))]);
    if (!exited) p.kill('SIGKILL');
  }
  await writeFile(log, out);
  if (!ok) throw new Error(`Debezium stored no offset within 180 s (log ${log}): ${out.trim().split('\n').slice(-5).join(' | ').slice(0, 1000)}`);
}

/** Bytes per record of a topic on the broker (LogDirs size / records), for the raw limit's record size. */
export async function bytesPerRecord(topic: string, records: number): Promise<number> {
  const r = await sh(
    `bash test/services/kafka-run.sh org.apache.kafka.tools.LogDirsCommand --bootstrap-server ${A} --describe --topic-list ${topic} 2>/dev/null`,
  );
  const line = r.stdout.split('\n').find((l) => l.startsWith('{')) ?? '{}';
  const j = JSON.parse(line) as { brokers?: { logDirs?: { partitions?: { partition: string; size: number }[] }[] }[] };
  const size = (j.brokers ?? [])
    .flatMap((b) => b.logDirs ?? [])
    .flatMap((d) => d.partitions ?? [])
    .reduce((s, p) => s + p.size, 0);
  return Math.max(1, Math.round(size / Math.max(1, records)));
}

/** The raw limit: kafka-producer-perf-test of `records` x `size` B into a fresh 1-partition topic on A (acks=all, idempotent). */
export async function rawLimit(records: number, size: number, stamp: string): Promise<{ recPerSec: number; mbPerSec: number }> {
  const topic = `debezium-bench-${stamp}-raw-${Date.now().toString(36)}`;
  await withAdmin(A, (a) => a.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true }));
  try {
    const p = await sh(
      `bash test/services/kafka-run.sh producer-perf --topic ${topic} --num-records ${records} --record-size ${size} --throughput -1 --producer-props bootstrap.servers=${A} acks=all enable.idempotence=true linger.ms=5 batch.size=262144 2>/dev/null`,
    );
    const m = /([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/.exec(p.stdout.trim().split('\n').pop() ?? '');
    return { recPerSec: Math.round(Number(m?.[1] ?? 0)), mbPerSec: Number(m?.[2] ?? 0) };
  } finally {
    await dropTopics(A, [topic]);
  }
}
