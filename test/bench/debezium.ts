/**
 * MySQL(MariaDB) -> Kafka CDC against Debezium (issue 17 "Benchmark"):
 *   npm run bench -- debezium [--quick | --full] [--runs 3] [--changes 1000000] [--snapshot-rows N] [--lag-rate 10000]
 *     [--lag-seconds 30] [--only debezium,sluice,raw,debezium-snapshot,sluice-snapshot,debezium-lag,sluice-lag]
 *     [--heap 2g] [--agent <sluice-agent.mjs> | --tsx] [--profile]
 * Profiles: --quick 100k changes, 50k snapshot rows, 10 s of lag, 1 run; --full 1M changes, 5M snapshot rows, 30 s
 * of lag, 1 run (the issue's sizes); default 1M changes, 500k rows, 30 s, median of 3.
 *
 * A database debezium_bench_<n> on the shared MariaDB (127.0.0.1:33306) with two narrow tables: `snap`, filled with
 * the snapshot's rows first, then `bench` with a backlog of --changes changes (half inserts, half updates) written
 * BEFORE either system starts. Each system drains the backlog into cluster A (127.0.0.1:19092) in the Debezium JSON
 * format, timed from process start to the backlog's end in its topic:
 *   - Debezium: io.debezium:debezium-connector-mariadb 3.5.0.Final on Kafka Connect standalone (test-services Kafka
 *     jars, plugin dir from test/bench/lib/debezium-setup.sh), its own offsets file, REST on 38083. Connect first runs
 *     once on the empty table (snapshot.mode=no_data + heartbeats) so an offset before the backlog is stored; every
 *     run restores that offsets file and writes to a fresh topic. Done when the topic's end offset reaches the backlog;
 *   - Sluice: `sluice-agent run --spec` (the self-contained bundle agent/scripts/bundle.mjs builds, as users get it;
 *     --tsx: the checkout's bin through tsx) with a MySQL source and a Kafka target, job.kafka.format 'debezium', mode cdc
 *     from the GTID set captured before the backlog. Its records are transactional (end offsets count commit markers
 *     too), so it is done when the checkpoint it commits with its records (its state file) reaches the backlog's last
 *     GTID; a read_committed count of the topic (untimed) then confirms every change is there;
 *   - raw limit: kafka-producer-perf-test on A of as many records of Debezium's bytes per record.
 * The snapshot: Debezium with snapshot.mode=initial (fresh offsets) and Sluice in mode full (done when it exits 0,
 * then counted read_committed), each reading `snap` into a fresh topic.
 * Lag (lib/debezium-lag.ts): each system streams `bench` from "now" while a writer inserts --lag-rate rows/s for
 * --lag-seconds; p50/p99/max of commit -> visible to a read_committed consumer.
 * Measured: events/s, time to first record, CPU seconds and peak RSS (VmHWM) of the process, load averages before and
 * after. --profile runs the agent under `node --cpu-prof` and prints where its main thread spends time (also in the
 * results' `profiles`). Data topics are created with retention.bytes=-1 (the test brokers keep 1 GiB a partition).
 * Writes test/bench/results/debezium[-quick].json. Every topic (debezium-bench-*) and the database are dropped at the end.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { dropTopics, withAdmin } from './lib/kafka-mirror-runs';
import { A, MY_PORT, bytesPerRecord, connectCommand, connectFiles, debeziumPlugins, drain, primeDebezium, rawLimit, type DrainRun } from './lib/debezium-runs';
import { lagRun, type LagRun } from './lib/debezium-lag';
import {
  SYSTEMS,
  drainTable,
  lagTable,
  summarise,
  summariseLag,
  systemName,
  type DebeziumReport,
  type DrainSystem,
  type LagSystem,
  type System,
} from './lib/debezium-report';
import { agentError, committedCount, gtidReached, primeSluice, stateGtid } from './lib/debezium-sluice';
import { parseArgs, sh, summariseCpuProfile } from './lib/util';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '../..');
const log = (m: string) => process.stderr.write(`[debezium-bench] ${m}\n`);
const TABLE_DDL = '(id bigint PRIMARY KEY, v int NOT NULL, s varchar(64) NOT NULL, ts datetime(6) NOT NULL) ENGINE=InnoDB';

/** `snap`: `rows` narrow rows for the snapshot runs (100k a statement). */
async function fillSnapshotTable(c: mysql.Connection, rows: number): Promise<void> {
  for (let done = 0; done < rows; done += 100_000) {
    const k = Math.min(100_000, rows - done);
    await c.query(`INSERT INTO snap (id, v, s, ts) SELECT ${done + 1} + seq, seq, CONCAT('row ', seq), UTC_TIMESTAMP(6) FROM seq_0_to_${k - 1}`);
  }
}

/** A topic of one partition that keeps everything (the test brokers delete past 1 GiB a partition). */
async function createKeepingTopic(topic: string): Promise<void> {
  await withAdmin(A, (a) =>
    a.createTopics({
      topics: [{ topic, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'retention.bytes', value: '-1' }] }],
      waitForLeaders: true,
    }),
  );
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

export async function main(argv: string[]): Promise<void> {
  const a = parseArgs(argv);
  const quick = a.quick === true;
  const full = a.full === true;
  const profileName: DebeziumReport['profile'] = quick ? 'quick' : full ? 'full' : 'default';
  const runs = Number(a.runs ?? (quick || full ? 1 : 3));
  const changes = Number(a.changes ?? (quick ? 100_000 : 1_000_000));
  const snapshotRows = Number(a['snapshot-rows'] ?? (quick ? 50_000 : full ? 5_000_000 : 500_000));
  const lagRate = Number(a['lag-rate'] ?? 10_000);
  const lagSeconds = Number(a['lag-seconds'] ?? (quick ? 10 : 30));
  const heap = typeof a.heap === 'string' ? a.heap : '2g';
  const profile = a.profile === true;
  const profiles: Record<string, unknown> = {};
  const only = new Set(String(typeof a.only === 'string' ? a.only : SYSTEMS.join(',')).split(',') as System[]);
  const stamp = Date.now().toString(36);
  const work = mkdtempSync(join(tmpdir(), 'debezium-bench-'));
  // The agent as shipped: this checkout's self-contained bundle (agent/scripts/bundle.mjs, what /downloads serves);
  // --tsx runs the checkout's TypeScript through tsx instead (seconds more start-up), --agent another checkout's bin.
  let agent: string;
  if (typeof a.agent === 'string') agent = resolve(a.agent);
  else if (a.tsx === true) agent = join(ROOT, 'agent/bin/sluice-agent.mjs');
  else {
    await sh(`${JSON.stringify(process.execPath)} ${join(ROOT, 'agent/scripts/bundle.mjs')} --out ${join(work, 'bundle')}`);
    agent = join(work, 'bundle/sluice-agent/bin/sluice-agent.mjs');
  }
  const database = `debezium_bench_${stamp}`;
  const connectEnv = { TEST_KAFKA_TOOL_HEAP: heap };
  const topics: string[] = [];
  const by: Record<DrainSystem, DrainRun[]> = { debezium: [], sluice: [], raw: [], 'debezium-snapshot': [], 'sluice-snapshot': [] };
  const lags: Record<LagSystem, LagRun[]> = { 'debezium-lag': [], 'sluice-lag': [] };
  const unavailable: Partial<Record<System, string>> = {};
  let recordBytes: number | null = null;
  let gtidBefore = '';
  let gtidAfter = '';
  const loadavg = async () => (await sh('cat /proc/loadavg')).stdout.split(' ').slice(0, 3).join(' ');
  let loadBefore = '';

  const admin = await mysql.createConnection({ host: '127.0.0.1', port: MY_PORT, user: 'root' });
  await admin.query(`CREATE DATABASE \`${database}\``);
  const c = await mysql.createConnection({ host: '127.0.0.1', port: MY_PORT, user: 'root', database });
  try {
    await c.query(`CREATE TABLE bench ${TABLE_DDL}`);
    await c.query(`CREATE TABLE snap ${TABLE_DDL}`);
    if (only.has('debezium-snapshot') || only.has('sluice-snapshot')) {
      log(`filling the snapshot table with ${snapshotRows} rows`);
      await fillSnapshotTable(c, snapshotRows);
    }
    const plugins = [...only].some((s) => s.startsWith('debezium')) ? await debeziumPlugins() : '';
    const primed = join(work, 'offsets-primed.dat');
    const debezium = async (system: 'debezium' | 'debezium-snapshot', run: number, records: number) => {
      const offsets = join(work, `offsets-${system}-${run}.dat`);
      // CDC: the connector name and topic prefix stay the primed ones (the stored offset is keyed by them);
      // snapshot: a fresh name, prefix, schema history and offsets file each run
      if (system === 'debezium') await copyFile(primed, offsets);
      const label = system === 'debezium' ? 'prime' : `snap${run}`;
      const mode = system === 'debezium' ? 'no_data' : 'initial';
      const table = system === 'debezium' ? 'bench' : 'snap';
      const f = await connectFiles(work, { plugins, stamp, label, database, table, snapshotMode: mode, offsets });
      const { cmd, args } = connectCommand(f);
      await dropTopics(A, [f.dataTopic]);
      await createKeepingTopic(f.dataTopic);
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
    const sluiceSpec = (system: 'sluice' | 'sluice-snapshot' | 'sluice-lag', run: number, gtidSet: string) => {
      const prefix = `debezium-bench-${stamp}-${system}${run}`;
      const spec = join(work, `${system}-${run}.json`);
      const cdc = system !== 'sluice-snapshot';
      const table = cdc ? 'bench' : 'snap';
      writeFileSync(
        spec,
        JSON.stringify({
          jobId: `debezium-bench-${stamp}-${system}-${run}`,
          source: { kind: 'mysql', config: { host: '127.0.0.1', port: MY_PORT, user: 'root', database, ssl: false } },
          target: { kind: 'kafka', config: { brokers: [A] } },
          stateFile: join(work, `${system}-${run}.state.json`),
          job: {
            mode: cdc ? 'cdc' : 'full',
            tables: { include: [table] },
            options: { verifyAfterLoad: false, ...(cdc ? { cdcStart: { from: 'gtid', gtidSet } } : {}) },
            kafka: { format: 'debezium', prefix, tombstones: false },
          },
        }),
      );
      return { spec, topic: `${prefix}.${database}.${table}`, state: join(work, `${system}-${run}.state.json`) };
    };
    const nodeArgs = (system: string, run: number, spec: string) => {
      const profDir = join(work, `prof-${system}-${run}`);
      return { profDir, args: [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), agent, 'run', '--spec', spec, '--quiet', '--json'] };
    };
    const sluice = async (system: 'sluice' | 'sluice-snapshot', run: number, records: number) => {
      const { spec, topic, state } = sluiceSpec(system, run, gtidBefore);
      if (system === 'sluice-snapshot') await createKeepingTopic(topic);
      topics.push(topic);
      const { profDir, args } = nodeArgs(system, run, spec);
      const r = await drain(process.execPath, args, {
        topic,
        records,
        env: { NODE_ENV: 'production' },
        timeoutMs: 30 * 60_000,
        firstRecordTimeoutMs: 3 * 60_000,
        log: join(work, `${system}-${run}.log`),
        // CDC: the checkpoint committed with the records reached the backlog's end; full: the job exited 0
        ...(system === 'sluice' ? { done: async () => gtidReached(await stateGtid(state), gtidAfter) } : { exitIsDone: true }),
        count: () => committedCount(topic, records),
      });
      if (!r.error && r.records < records) r.error = `a read_committed count found ${r.records} of ${records} records`;
      log(`${system} run ${run}: ${r.eventsPerSec} events/s, ${r.seconds} s, ${r.cpuSeconds} CPU s, ${r.peakRssMb} MB${r.error ? ` ERROR ${r.error}` : ''}`);
      if (profile) profiles[`${system}-run${run}`] = await summariseCpuProfile(profDir, 25);
      // a path that never wrote a record is not available yet, not a slow run
      if (r.error && r.records === 0) unavailable[system] = `sluice-agent wrote no record: ${agentError(r.error)}`;
      else by[system].push(r);
    };
    let lagIds = 1_000_000_000;
    const lag = async (system: LagSystem, run: number) => {
      const insert = async (first: number, n: number) => {
        await c.query(`INSERT INTO bench (id, v, s, ts) SELECT ${first} + seq, seq, CONCAT('lag ', seq), UTC_TIMESTAMP(6) FROM seq_0_to_${n - 1}`);
      };
      const firstId = lagIds;
      lagIds += 100_000_000;
      const common = { broker: A, insert, firstId, rate: lagRate, seconds: lagSeconds, startTimeoutMs: 5 * 60_000, log: join(work, `${system}-${run}.log`) };
      let r: LagRun;
      if (system === 'debezium-lag') {
        const f = await connectFiles(work, {
          plugins,
          stamp,
          label: `lag${run}`,
          database,
          snapshotMode: 'no_data',
          offsets: join(work, `offsets-lag-${run}.dat`),
        });
        await createKeepingTopic(f.dataTopic);
        topics.push(f.dataTopic, ...f.internalTopics);
        const { cmd, args } = connectCommand(f);
        r = await lagRun(cmd, args, { ...common, topic: f.dataTopic, env: connectEnv });
      } else {
        const [[now]] = (await c.query('SELECT @@gtid_binlog_pos AS gtid')) as unknown as [[{ gtid: string }]];
        const { spec, topic } = sluiceSpec('sluice-lag', run, now.gtid);
        topics.push(topic);
        r = await lagRun(process.execPath, nodeArgs(system, run, spec).args, { ...common, topic, env: { NODE_ENV: 'production' } });
      }
      lags[system].push(r);
      log(
        `${system} run ${run}: ${r.achievedRate}/${r.rate} rows/s, seen ${r.seen}/${r.written}, lag p50 ${r.p50Ms} p99 ${r.p99Ms} max ${r.maxMs} ms, ${r.cpuSeconds} CPU s, ${r.peakRssMb} MB${r.error ? ` ERROR ${r.error}` : ''}`,
      );
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
    const [[after]] = (await c.query('SELECT @@gtid_binlog_pos AS gtid')) as unknown as [[{ gtid: string }]];
    gtidAfter = after.gtid;
    loadBefore = await loadavg();
    log(`load average before the runs: ${loadBefore}`);

    for (let run = 1; run <= runs; run++) {
      if (only.has('debezium')) await debezium('debezium', run, changes);
      if (only.has('sluice') && !unavailable.sluice) await sluice('sluice', run, changes);
      if (only.has('debezium-snapshot')) await debezium('debezium-snapshot', run, snapshotRows);
      if (only.has('sluice-snapshot') && !unavailable['sluice-snapshot']) await sluice('sluice-snapshot', run, snapshotRows);
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
      if (only.has('debezium-lag')) await lag('debezium-lag', run);
      if (only.has('sluice-lag')) await lag('sluice-lag', run);
    }
  } finally {
    await c.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => undefined);
    await admin.end().catch(() => undefined);
    await dropTopics(A, topics).catch(() => undefined);
    await withAdmin(A, async (ad) => {
      const groups = (await ad.listGroups()).groups
        .map((g) => g.groupId)
        .filter((g) => g.startsWith('debezium-bench-count-') || g.startsWith('debezium-bench-lag-'));
      if (groups.length) await ad.deleteGroups(groups).catch(() => undefined);
    }).catch(() => undefined);
  }

  const records = (s: System) => (s.endsWith('-snapshot') ? snapshotRows : changes);
  const drainSystems = SYSTEMS.filter((s): s is DrainSystem => !s.endsWith('-lag'));
  const rows = drainSystems.filter((s) => only.has(s) && !unavailable[s]).map((s) => summarise(s, records(s), by[s]));
  const lagRows = (['debezium-lag', 'sluice-lag'] as const).filter((s) => only.has(s)).map((s) => summariseLag(s, lagRate, lags[s]));
  const name = (s: System) => systemName(s, heap, recordBytes);
  const d = rows.find((r) => r.system === 'debezium')?.eventsPerSec;
  const s = rows.find((r) => r.system === 'sluice')?.eventsPerSec;
  const ratio = d && s ? Math.round((s / d) * 100) / 100 : null;
  const ds = rows.find((r) => r.system === 'debezium-snapshot')?.eventsPerSec;
  const ss = rows.find((r) => r.system === 'sluice-snapshot')?.eventsPerSec;
  const snapshotRatio = ds && ss ? Math.round((ss / ds) * 100) / 100 : null;
  const loadAfter = await loadavg();
  process.stdout.write(
    `\n${drainTable(rows, unavailable, name, records)}\n\n${lagRows.length ? `${lagTable(lagRows, name)}\n\n` : ''}Sluice / Debezium (events/s): CDC ${ratio ?? '—'}, snapshot ${snapshotRatio ?? '—'}; load average (1/5/15 min) ${loadBefore} before the runs, ${loadAfter} at the end\n`,
  );
  for (const r of [...rows, ...lagRows]) for (const e of r.errors) process.stdout.write(`  ${r.system}: ${e}\n`);
  if (profile) process.stdout.write(`\nSluice CPU profiles (main thread):\n${JSON.stringify(profiles, null, 2)}\n`);
  const out = join(here, 'results', quick ? 'debezium-quick.json' : 'debezium.json');
  mkdirSync(dirname(out), { recursive: true });
  const report: DebeziumReport & Record<string, unknown> = {
    at: new Date().toISOString(),
    profile: profileName,
    quick,
    runs,
    changes,
    snapshotRows,
    recordBytes,
    loadAverage1m: Number(loadAfter.split(' ')[0]),
    loadBefore,
    loadAfter,
    cluster: A,
    agent,
    rows,
    lag: lagRows,
    unavailable,
    ratio,
    snapshotRatio,
    ...(profile ? { profiles } : {}),
    work,
  };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`wrote ${out} (logs in ${work})\n`);
}
