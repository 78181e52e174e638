/**
 * MySQL(MariaDB) -> Kafka CDC against Debezium (issue 17 "Benchmark"):
 *   npm run bench -- debezium [--quick] [--runs 3] [--changes 1000000] [--only debezium,sluice,raw,debezium-snapshot,sluice-snapshot] [--heap 2g] [--agent <sluice-agent.mjs>] [--profile]
 *
 * A database debezium_bench_<n> on the shared MariaDB (127.0.0.1:33306) with one narrow table; a backlog of
 * --changes changes (half inserts, half updates; full 1M, --quick 100k) written BEFORE either system starts. Then each
 * drains that backlog into cluster A (127.0.0.1:19092) in the Debezium JSON format, timed from process start to the
 * last record in its topic:
 *   - Debezium: io.debezium:debezium-connector-mariadb 3.5.0.Final on Kafka Connect standalone (test-services Kafka
 *     jars, plugin dir from test/bench/lib/debezium-setup.sh), its own offsets file, REST on 38083. Connect first runs
 *     once on the empty table (snapshot.mode=no_data + heartbeats) so an offset before the backlog is stored; every
 *     run restores that offsets file and writes to a fresh topic;
 *   - Sluice: `sluice-agent run --spec` with a MySQL source and a Kafka target, job.kafka.format 'debezium', mode cdc
 *     from the GTID set captured before the backlog. The agent's transactional records leave commit markers in the
 *     offsets, so it is done when a read_committed count reaches the backlog (an upper bound on its time);
 *   - raw limit: kafka-producer-perf-test on A of as many records of Debezium's bytes per record.
 * The snapshot: Debezium with snapshot.mode=initial (fresh offsets) and Sluice in mode full, each reading the
 * changes / 2 rows the backlog left in the table into a fresh topic.
 * Measured: events/s, time to first record, CPU seconds and peak RSS (VmHWM) of the process. Median of --runs
 * (3; 1 with --quick). --profile runs the agent under `node --cpu-prof` and prints where its main thread spends
 * time (also in the results' `profiles`). Writes test/bench/results/debezium[-quick].json. Every topic (debezium-bench-*) and the
 * database are dropped at the end.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { dropTopics, withAdmin } from './lib/kafka-mirror-runs';
import { A, MY_PORT, bytesPerRecord, connectCommand, connectFiles, debeziumPlugins, drain, primeDebezium, rawLimit, type DrainRun } from './lib/debezium-runs';
import { markdownTable, parseArgs, sh, summariseCpuProfile } from './lib/util';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '../..');
type System = 'debezium' | 'sluice' | 'raw' | 'debezium-snapshot' | 'sluice-snapshot';
const SYSTEMS: System[] = ['debezium', 'sluice', 'raw', 'debezium-snapshot', 'sluice-snapshot'];
const log = (m: string) => process.stderr.write(`[debezium-bench] ${m}\n`);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Row {
  system: System;
  changes: number;
  eventsPerSec: number | null;
  /** events/s from the first record in the topic to the last (start-up left out). */
  steadyPerSec: number | null;
  seconds: number | null;
  firstRecordSeconds: number | null;
  cpuSeconds: number | null;
  peakRssMb: number | null;
  runs: unknown[];
  errors: string[];
}

function summarise(system: System, changes: number, runs: DrainRun[]): Row {
  const ok = runs.filter((r) => !r.error);
  const pick = (f: (r: DrainRun) => number | null) => {
    const m = median(ok.map(f).filter((x): x is number => x !== null));
    return m === null ? null : Math.round(m * 100) / 100;
  };
  return {
    system,
    changes,
    eventsPerSec: pick((r) => r.eventsPerSec),
    steadyPerSec: pick((r) =>
      r.firstRecordSeconds === null || r.seconds <= r.firstRecordSeconds ? null : Math.round(changes / (r.seconds - r.firstRecordSeconds)),
    ),
    seconds: pick((r) => r.seconds),
    firstRecordSeconds: pick((r) => r.firstRecordSeconds),
    // the raw limit's producer is a tool, not a contender: no process figures
    cpuSeconds: system === 'raw' ? null : pick((r) => r.cpuSeconds),
    peakRssMb: system === 'raw' ? null : pick((r) => r.peakRssMb),
    runs,
    errors: runs.flatMap((r) => (r.error ? [r.error] : [])),
  };
}

/** The narrow table and its backlog: `changes / 2` inserts, then as many single-row updates (10k rows a statement). */
async function writeBacklog(c: mysql.Connection, changes: number): Promise<void> {
  const rows = Math.floor(changes / 2);
  for (let done = 0; done < rows; done += 10_000) {
    const k = Math.min(10_000, rows - done);
    await c.query(`INSERT INTO bench (id, v, s, ts) SELECT ${done + 1} + seq, seq, CONCAT('row ', seq), UTC_TIMESTAMP(6) FROM seq_0_to_${k - 1}`);
  }
  for (let done = 0; done < changes - rows; done += 10_000) {
    const k = Math.min(10_000, changes - rows - done);
    await c.query(`UPDATE bench SET v = v + 1, s = CONCAT('upd ', id) WHERE id BETWEEN ${done + 1} AND ${done + k}`);
  }
}

/** The agent's own error (its --json result's message and code) out of a failed run's log tail, else the tail. */
function agentError(error: string): string {
  const m = /"message": "([^"]*)"/.exec(error);
  const code = /"code": "([^"]*)"/.exec(error);
  return m ? `${m[1]}${code ? ` (${code[1]})` : ''}` : error;
}

/** A read_committed count of the topic (markers excluded) with consumer-perf. */
async function committedCount(topic: string, atLeast: number): Promise<number> {
  const r = await sh(
    `bash test/services/kafka-run.sh consumer-perf --bootstrap-server ${A} --topic ${topic} --messages ${atLeast} --timeout 5000 --group debezium-bench-count-${Date.now()} --consumer.config <(echo isolation.level=read_committed) 2>/dev/null || true`,
  );
  const n = Number((r.stdout.trim().split('\n').pop() ?? '').split(',')[4]);
  return Number.isFinite(n) ? n : 0;
}

/** Runs the agent until its state file holds a checkpoint; the error (its log's tail) when it exits or times out first. */
async function primeSluice(agent: string, spec: string, state: string, logFile: string): Promise<string | null> {
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

export async function main(argv: string[]): Promise<void> {
  const a = parseArgs(argv);
  const quick = a.quick === true;
  const runs = Number(a.runs ?? (quick ? 1 : 3));
  const changes = Number(a.changes ?? (quick ? 100_000 : 1_000_000));
  const heap = typeof a.heap === 'string' ? a.heap : '2g';
  const profile = a.profile === true;
  const profiles: Record<string, unknown> = {};
  // another checkout's agent (e.g. a branch under review); default this one's
  const agent = resolve(typeof a.agent === 'string' ? a.agent : join(ROOT, 'agent/bin/sluice-agent.mjs'));
  const only = new Set(String(typeof a.only === 'string' ? a.only : SYSTEMS.join(',')).split(',') as System[]);
  const stamp = Date.now().toString(36);
  const work = mkdtempSync(join(tmpdir(), 'debezium-bench-'));
  const database = `debezium_bench_${stamp}`;
  const connectEnv = { TEST_KAFKA_TOOL_HEAP: heap };
  const topics: string[] = [];
  const by: Record<System, DrainRun[]> = { debezium: [], sluice: [], raw: [], 'debezium-snapshot': [], 'sluice-snapshot': [] };
  const unavailable: Partial<Record<System, string>> = {};
  let recordBytes: number | null = null;
  let gtidBefore = '';

  const admin = await mysql.createConnection({ host: '127.0.0.1', port: MY_PORT, user: 'root' });
  await admin.query(`CREATE DATABASE \`${database}\``);
  const c = await mysql.createConnection({ host: '127.0.0.1', port: MY_PORT, user: 'root', database });
  try {
    await c.query('CREATE TABLE bench (id bigint PRIMARY KEY, v int NOT NULL, s varchar(64) NOT NULL, ts datetime(6) NOT NULL) ENGINE=InnoDB');
    const plugins = only.has('debezium') || only.has('debezium-snapshot') ? await debeziumPlugins() : '';
    const primed = join(work, 'offsets-primed.dat');
    const debezium = async (system: 'debezium' | 'debezium-snapshot', run: number, records: number) => {
      const offsets = join(work, `offsets-${system}-${run}.dat`);
      // CDC: the connector name and topic prefix stay the primed ones (the stored offset is keyed by them);
      // snapshot: a fresh name, prefix, schema history and offsets file each run
      if (system === 'debezium') await copyFile(primed, offsets);
      const label = system === 'debezium' ? 'prime' : `snap${run}`;
      const mode = system === 'debezium' ? 'no_data' : 'initial';
      const f = await connectFiles(work, { plugins, stamp, label, database, snapshotMode: mode, offsets });
      const { cmd, args } = connectCommand(f);
      await dropTopics(A, [f.dataTopic]);
      topics.push(f.dataTopic, ...f.internalTopics);
      const r = await drain(cmd, args, {
        topic: f.dataTopic,
        records,
        env: connectEnv,
        timeoutMs: 30 * 60_000,
        firstRecordTimeoutMs: 5 * 60_000,
        log: join(work, `connect-${system}-${run}.log`),
      });
      by[system].push(r);
      log(
        `${system} run ${run}: ${r.eventsPerSec} events/s, ${r.seconds} s, first record ${r.firstRecordSeconds} s, ${r.cpuSeconds} CPU s, ${r.peakRssMb} MB${r.error ? ` ERROR ${r.error}` : ''}`,
      );
      if (!r.error && recordBytes === null && system === 'debezium') recordBytes = await bytesPerRecord(f.dataTopic, r.records);
    };
    const sluiceSpec = (system: 'sluice' | 'sluice-snapshot', run: number, gtidSet: string) => {
      const prefix = `debezium-bench-${stamp}-${system}${run}`;
      const spec = join(work, `${system}-${run}.json`);
      const cdc = system === 'sluice';
      writeFileSync(
        spec,
        JSON.stringify({
          jobId: `debezium-bench-${stamp}-${system}-${run}`,
          source: { kind: 'mysql', config: { host: '127.0.0.1', port: MY_PORT, user: 'root', database, ssl: false } },
          target: { kind: 'kafka', config: { brokers: [A] } },
          stateFile: join(work, `${system}-${run}.state.json`),
          job: {
            mode: cdc ? 'cdc' : 'full',
            tables: { include: ['bench'] },
            options: { verifyAfterLoad: false, ...(cdc ? { cdcStart: { from: 'gtid', gtidSet } } : {}) },
            kafka: { format: 'debezium', prefix, tombstones: false },
          },
        }),
      );
      return { spec, topic: `${prefix}.${database}.bench`, state: join(work, `${system}-${run}.state.json`) };
    };
    const sluice = async (system: 'sluice' | 'sluice-snapshot', run: number, records: number) => {
      const { spec, topic } = sluiceSpec(system, run, gtidBefore);
      topics.push(topic);
      const profDir = join(work, `prof-${system}-${run}`);
      const nodeArgs = [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), agent, 'run', '--spec', spec, '--quiet', '--json'];
      const r = await drain(process.execPath, nodeArgs, {
        topic,
        records,
        env: { NODE_ENV: 'production' },
        timeoutMs: 30 * 60_000,
        firstRecordTimeoutMs: 3 * 60_000,
        log: join(work, `${system}-${run}.log`),
        until: async () => (await committedCount(topic, records)) >= records,
      });
      log(`${system} run ${run}: ${r.eventsPerSec} events/s, ${r.seconds} s, ${r.cpuSeconds} CPU s, ${r.peakRssMb} MB${r.error ? ` ERROR ${r.error}` : ''}`);
      if (profile) profiles[`${system}-run${run}`] = await summariseCpuProfile(profDir, 25);
      // a path that never wrote a record is not available yet, not a slow run
      if (r.error && r.records === 0) unavailable[system] = `sluice-agent wrote no record: ${agentError(r.error)}`;
      else by[system].push(r);
    };

    if (only.has('debezium')) {
      log(`priming Debezium on the empty table (plugins ${plugins})`);
      const f = await connectFiles(work, { plugins, stamp, label: 'prime', database, snapshotMode: 'no_data', offsets: primed });
      topics.push(...f.internalTopics);
      await primeDebezium(f, join(work, 'connect-prime.log'), connectEnv);
    }
    const [[pos]] = (await c.query('SELECT @@gtid_binlog_pos AS gtid')) as unknown as [[{ gtid: string }]];
    gtidBefore = pos.gtid;
    // Sluice, like Debezium, first runs once per job on the empty table until it holds a checkpoint, so a run
    // resumes before the backlog even where job.options.cdcStart is not honoured
    for (let run = 1; only.has('sluice') && !unavailable.sluice && run <= runs; run++) {
      const { spec, state } = sluiceSpec('sluice', run, gtidBefore);
      const why = await primeSluice(agent, spec, state, join(work, `sluice-prime-${run}.log`));
      if (why) unavailable.sluice = `sluice-agent: ${agentError(why)}`;
    }
    log(`writing a backlog of ${changes} changes (GTID before it: ${pos.gtid})`);
    await writeBacklog(c, changes);

    for (let run = 1; run <= runs; run++) {
      if (only.has('debezium')) await debezium('debezium', run, changes);
      if (only.has('sluice') && !unavailable.sluice) await sluice('sluice', run, changes);
      // the snapshot reads the table as the backlog left it: changes / 2 rows
      if (only.has('debezium-snapshot')) await debezium('debezium-snapshot', run, Math.floor(changes / 2));
      if (only.has('sluice-snapshot') && !unavailable['sluice-snapshot']) await sluice('sluice-snapshot', run, Math.floor(changes / 2));
      if (only.has('raw')) {
        const size = recordBytes ?? 300;
        const r = await rawLimit(changes, size, stamp);
        by.raw.push({
          seconds: Math.round((changes / Math.max(1, r.recPerSec)) * 100) / 100,
          firstRecordSeconds: null,
          eventsPerSec: r.recPerSec,
          cpuSeconds: 0,
          peakRssMb: 0,
          records: changes,
        });
        log(`raw run ${run}: producer-perf ${r.recPerSec} records/s of ${size} B (${r.mbPerSec} MB/s)`);
      }
    }
  } finally {
    await c.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => undefined);
    await admin.end().catch(() => undefined);
    await dropTopics(A, topics).catch(() => undefined);
    await withAdmin(A, async (ad) => {
      const groups = (await ad.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(`debezium-bench-count-`));
      if (groups.length) await ad.deleteGroups(groups).catch(() => undefined);
    }).catch(() => undefined);
  }

  const records = (s: System) => (s.endsWith('-snapshot') ? Math.floor(changes / 2) : changes);
  const rows = SYSTEMS.filter((s) => only.has(s) && !unavailable[s]).map((s) => summarise(s, records(s), by[s]));
  const name: Record<System, string> = {
    debezium: `Debezium MariaDB 3.5.0.Final (Connect standalone, -Xmx${heap})`,
    sluice: "Sluice (sluice-agent run, mode cdc, format 'debezium')",
    'debezium-snapshot': 'Debezium snapshot (snapshot.mode=initial, rows)',
    'sluice-snapshot': "Sluice full load (sluice-agent run, mode full, format 'debezium', rows)",
    raw: `raw limit (producer-perf on A, ${recordBytes ?? 300} B records)`,
  };
  const table = markdownTable(
    ['system', 'changes / rows', 'events/s', 'steady events/s', 'seconds', 'first record s', 'CPU s', 'peak RSS MB', 'errors'],
    [
      ...rows.map((r) => [
        name[r.system],
        r.changes.toLocaleString('en-US'),
        r.eventsPerSec ?? '—',
        r.steadyPerSec ?? '—',
        r.seconds ?? '—',
        r.firstRecordSeconds ?? '—',
        r.cpuSeconds ?? '—',
        r.peakRssMb ?? '—',
        r.errors.length,
      ]),
      ...Object.entries(unavailable).map(([s, why]) => [
        name[s as System],
        records(s as System).toLocaleString('en-US'),
        `not available: ${why.slice(0, 200)}`,
        '—',
        '—',
        '—',
        '—',
        '—',
        '—',
      ]),
    ],
  );
  const d = rows.find((r) => r.system === 'debezium')?.eventsPerSec;
  const s = rows.find((r) => r.system === 'sluice')?.eventsPerSec;
  const ratio = d && s ? Math.round((s / d) * 100) / 100 : null;
  const ds = rows.find((r) => r.system === 'debezium-snapshot')?.eventsPerSec;
  const ss = rows.find((r) => r.system === 'sluice-snapshot')?.eventsPerSec;
  const snapshotRatio = ds && ss ? Math.round((ss / ds) * 100) / 100 : null;
  const [load] = (await sh('cat /proc/loadavg')).stdout.split(' ');
  process.stdout.write(
    `\n${table}\n\nSluice / Debezium (events/s): CDC ${ratio ?? '—'}, snapshot ${snapshotRatio ?? '—'}; 1-min load average at the end: ${load}\n`,
  );
  for (const r of rows) for (const e of r.errors) process.stdout.write(`  ${r.system}: ${e}\n`);
  if (profile) process.stdout.write(`\nSluice CPU profiles (main thread):\n${JSON.stringify(profiles, null, 2)}\n`);
  const out = join(here, 'results', quick ? 'debezium-quick.json' : 'debezium.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), quick, runs, changes, recordBytes, loadAverage1m: Number(load), cluster: A, agent, rows, unavailable, ratio, snapshotRatio, ...(profile ? { profiles } : {}), work }, null, 2)}\n`,
  );
  process.stdout.write(`wrote ${out} (logs in ${work})\n`);
}
