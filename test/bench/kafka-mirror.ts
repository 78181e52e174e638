/**
 * Kafka -> Kafka benchmark (issue 16): MirrorMaker 2 vs Sluice vs the raw limit, on the same topics.
 *   npm run bench -- kafka-mirror [--quick] [--runs 3] [--only mm2,sluice,raw] [--profile] [--mm2-tasks 1]
 *                                 [--small 1000000] [--large 20000]   (records of 100 B / of 10 KB; quick: 100k / 2k)
 *
 * For 100 B and for 10 KB records: a 3-partition topic on cluster A is filled once (producer-perf), then each
 * system copies the whole backlog to cluster B from process start:
 *   - MirrorMaker 2: `kafka-run.sh mirror-maker` (connect-mirror-maker from the test jars, IdentityReplicationPolicy,
 *     tasks.max 1: the issue measured 6 tasks no faster), stopped once B holds every record;
 *   - Sluice: `sluice-agent run --spec` in mode full (copy up to T0, then exit), read_committed count checked;
 *   - raw limit: kafka-consumer-perf-test on A and kafka-producer-perf-test (acks=all, idempotent) on B, the lower.
 * The target topic on B is deleted between runs. Brokers are warmed first (they run slower for their first
 * minute). Median of --runs (1 with --quick, which also uses small topics: ~3 min on the loaded shared machine). Reports records/s, MB/s,
 * peak RSS of each process and time to first record; writes test/bench/results/kafka-mirror[-quick].json.
 * --profile runs Sluice under `node --cpu-prof` and prints where its main thread spends time.
 * Topics and groups are prefixed kafka-ops-mirror-; all are deleted at the end.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { A, B, dropTopics, fill, mm2InternalTopics, mm2Properties, rawLimit, sluiceSpec, timeCopy, type CopyRun } from './lib/kafka-mirror-runs';
import { markdownTable, parseArgs, sh, summariseCpuProfile } from './lib/util';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '../..');
type System = 'mm2' | 'sluice' | 'raw';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Row {
  system: System;
  size: number;
  records: number;
  recPerSec: number;
  mbPerSec: number;
  peakRssMb: number | null;
  firstRecordSeconds: number | null;
  runs: unknown[];
  errors: string[];
}

function summarise(system: System, size: number, records: number, runs: CopyRun[]): Row {
  const ok = runs.filter((r) => !r.error);
  const pick = (f: (r: CopyRun) => number | null) => {
    const xs = ok.map(f).filter((x): x is number => x !== null);
    return xs.length ? Math.round(median(xs) * 100) / 100 : null;
  };
  return {
    system,
    size,
    records,
    recPerSec: Math.round(median(ok.map((r) => r.recPerSec))),
    mbPerSec: Math.round(median(ok.map((r) => r.mbPerSec)) * 10) / 10,
    peakRssMb: pick((r) => r.peakRssMb),
    firstRecordSeconds: pick((r) => r.firstRecordSeconds),
    runs,
    errors: runs.flatMap((r) => (r.error ? [r.error] : [])),
  };
}

export async function main(argv: string[]): Promise<void> {
  const a = parseArgs(argv);
  const quick = a.quick === true;
  const runs = Number(a.runs ?? (quick ? 1 : 3));
  const only = new Set(String(typeof a.only === 'string' ? a.only : 'mm2,sluice,raw').split(',') as System[]);
  const mm2Tasks = Number(a['mm2-tasks'] ?? 1);
  const profile = a.profile === true;
  const small = Number(a.small ?? (quick ? 100_000 : 1_000_000));
  const large = Number(a.large ?? (quick ? 2_000 : 20_000));
  const sizes: [number, number][] = [
    [100, small],
    [10_240, large],
  ];
  const stamp = Date.now().toString(36);
  // The machine is shared: the load average says how far the absolute figures are from a quiet machine's.
  const loadAtStart = loadavg().map((x) => Math.round(x * 100) / 100);
  const work = mkdtempSync(join(tmpdir(), 'kafka-ops-mirror-'));
  const rows: Row[] = [];
  const profiles: Record<string, unknown> = {};
  const sourceTopics: string[] = [];
  const log = (m: string) => process.stderr.write(`[kafka-mirror] ${m}\n`);

  // Warm both brokers: a short produce to each.
  const warm = `kafka-ops-mirror-${stamp}-warm`;
  for (const broker of [A, B]) {
    await sh(
      `bash test/services/kafka-run.sh producer-perf --topic ${warm} --num-records ${quick ? 300_000 : 1_000_000} --record-size 100 --throughput -1 --producer-props bootstrap.servers=${broker} acks=all linger.ms=5 batch.size=262144 >/dev/null`,
    );
    await dropTopics(broker, [warm]);
  }
  try {
    for (const [size, records] of sizes) {
      const topic = `kafka-ops-mirror-${stamp}-${size}`;
      sourceTopics.push(topic);
      log(`filling ${topic} on A with ${records} x ${size} B`);
      await fill(topic, records, size);
      const bytes = records * size;
      const by: Record<System, CopyRun[]> = { mm2: [], sluice: [], raw: [] };
      for (let run = 1; run <= runs; run++) {
        if (only.has('raw')) {
          const r = await rawLimit(topic, records, size, stamp);
          by.raw.push({
            seconds: records / r.recPerSec,
            firstRecordSeconds: null,
            recPerSec: r.recPerSec,
            mbPerSec: r.mbPerSec,
            peakRssMb: 0,
            copied: records,
            ...({ detail: r } as object),
          });
          log(`raw ${size} B run ${run}: consume ${r.consumeRecPerSec}, produce ${r.produceRecPerSec} rec/s`);
        }
        if (only.has('mm2')) {
          const runId = `${stamp}-${size}-${run}`;
          const props = await mm2Properties(work, topic, runId, mm2Tasks);
          const r = await timeCopy('bash', [join(ROOT, 'test/services/kafka-run.sh'), 'mirror-maker', props, '--clusters', 'dst'], {
            topic,
            records,
            bytes,
            stop: true,
            transactional: false,
            env: { TEST_KAFKA_TOOL_HEAP: process.env.TEST_KAFKA_TOOL_HEAP ?? '1g' },
            timeoutMs: 20 * 60_000,
            log: join(work, `mm2-${runId}.log`),
          });
          by.mm2.push(r);
          log(`mm2 ${size} B run ${run}: ${r.recPerSec} rec/s, first record ${r.firstRecordSeconds} s, ${r.peakRssMb} MB${r.error ? ` ERROR ${r.error}` : ''}`);
          await dropTopics(B, [topic, ...mm2InternalTopics(runId), 'mm2-offset-syncs.dst.internal']);
          await dropTopics(A, ['mm2-offset-syncs.dst.internal']);
        }
        if (only.has('sluice')) {
          const runId = `${stamp}-${size}-${run}`;
          const spec = await sluiceSpec(work, topic, runId);
          const profDir = join(work, `prof-${runId}`);
          const nodeArgs = [
            ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
            join(ROOT, 'agent/bin/sluice-agent.mjs'),
            'run',
            '--spec',
            spec,
            '--quiet',
            '--json',
          ];
          const r = await timeCopy(process.execPath, nodeArgs, {
            topic,
            records,
            bytes,
            stop: false,
            transactional: true,
            env: { NODE_ENV: 'production' },
            timeoutMs: 20 * 60_000,
            log: join(work, `sluice-${runId}.log`),
          });
          by.sluice.push(r);
          log(
            `sluice ${size} B run ${run}: ${r.recPerSec} rec/s, first record ${r.firstRecordSeconds} s, ${r.peakRssMb} MB${r.error ? ` ERROR ${r.error}` : ''}`,
          );
          if (profile) profiles[`${size}B-run${run}`] = await summariseCpuProfile(profDir);
          // Only the run's own topic: __sluice_checkpoints and __sluice_offset_syncs on B are shared by every job on the
          // cluster (other tests' and agents' jobs resume from them). The run's records there are keyed by its unique job id.
          await dropTopics(B, [topic]);
        }
      }
      for (const s of ['mm2', 'sluice', 'raw'] as System[]) if (only.has(s)) rows.push(summarise(s, size, records, by[s]));
      await dropTopics(A, [topic]);
    }
  } finally {
    await dropTopics(A, sourceTopics).catch(() => undefined);
    await dropTopics(B, sourceTopics).catch(() => undefined);
  }

  const name = {
    mm2: 'MirrorMaker 2 (3.9, tasks.max ' + mm2Tasks + ')',
    sluice: 'Sluice (sluice-agent run, mode full)',
    raw: 'raw limit (min of consumer-perf on A, producer-perf on B)',
  };
  const table = markdownTable(
    ['system', 'records', 'rec/s', 'MB/s', 'peak RSS MB', 'first record s', 'errors'],
    rows.map((r) => [
      name[r.system],
      `${r.records.toLocaleString('en-US')} x ${r.size === 100 ? '100 B' : '10 KB'}`,
      r.recPerSec,
      r.mbPerSec,
      r.peakRssMb ?? '—',
      r.firstRecordSeconds ?? '—',
      r.errors.length,
    ]),
  );
  const ratio = (size: number) => {
    const s = rows.find((r) => r.system === 'sluice' && r.size === size)?.recPerSec;
    const m = rows.find((r) => r.system === 'mm2' && r.size === size)?.recPerSec;
    return s && m ? Math.round((s / m) * 100) / 100 : null;
  };
  const ratios = Object.fromEntries(sizes.map(([size]) => [`${size}B`, ratio(size)]));
  process.stdout.write(
    `\n${table}\n\nSluice / MirrorMaker 2 (records/s): ${JSON.stringify(ratios)}\nload average (1/5/15 min) at start ${loadAtStart.join(' ')}, at end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}\n`,
  );
  for (const r of rows) for (const e of r.errors) process.stdout.write(`  ${r.system} ${r.size} B: ${e}\n`);
  if (profile) process.stdout.write(`\nSluice CPU profiles (main thread):\n${JSON.stringify(profiles, null, 2)}\n`);
  const out = join(here, 'results', quick ? 'kafka-mirror-quick.json' : 'kafka-mirror.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), quick, runs, mm2Tasks, clusters: { A, B }, loadAverage: { start: loadAtStart, end: loadavg().map((x) => Math.round(x * 100) / 100) }, rows, ratios, ...(profile ? { profiles } : {}), work }, null, 2)}\n`,
  );
  process.stdout.write(`wrote ${out} (logs in ${work})\n`);
}
