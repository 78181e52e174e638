/**
 * `npm run bench -- cdc-bench --partitions 1,2,4 [--quick] [--pairs m2p,p2p,p2m]`: CDC apply
 * throughput with N apply partitions (options.applyPartitions). Per pair and N, on fresh databases:
 * both sides hold the same R rows, the CDC start is captured, then a backlog is written to the
 * source (R/2 rows updated in 500-row transactions, then R/2 new rows in 10 000-row transactions),
 * and the CDC task (its own process) drains it. Timed from the first applied change to the last;
 * the partitions' checkpoint rows are sampled meanwhile (how many different positions at once).
 * Writes test/bench/results/cdc-partitions.{json,md} and prints the table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bulk, cdcTaskFromNow, ddl, dropBenchPair, makeDb, sleep, startCdcChild, type Db, type Kind } from './cdc-db';

const results = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../results');

interface Run {
  pair: string;
  partitions: number;
  events: number;
  seconds: number;
  eventsPerSec: number;
  maxPartitionsApart: number;
  agentPeakRssMb: number;
  loadBefore: number;
}

const PAIRS: Record<string, [Kind, Kind]> = { m2p: ['mysql', 'postgres'], p2p: ['postgres', 'postgres'], p2m: ['postgres', 'mysql'] };

async function progress(tgt: Db, base: number): Promise<number> {
  const r = await tgt.q(`SELECT COUNT(*) AS n, SUM(CASE WHEN s = 'upd' THEN 1 ELSE 0 END) AS u FROM bench`);
  return Number(r[0]?.n ?? 0) - base + Number(r[0]?.u ?? 0);
}

async function partitionsApart(tgt: Db, jobId: string): Promise<number> {
  const rows = await tgt.q(`SELECT stream, position FROM _sluice_checkpoints WHERE job_id = '${jobId}'`);
  const pos = rows.filter((r) => !String(r.stream).startsWith('lease:')).map((r) => (typeof r.position === 'string' ? r.position : JSON.stringify(r.position)));
  return new Set(pos).size;
}

async function once(srcKind: Kind, tgtKind: Kind, pair: string, partitions: number, rows: number): Promise<Run> {
  const src = await makeDb(srcKind, 'ps');
  const tgt = await makeDb(tgtKind, 'pt');
  const slot = `h6_bench_${Date.now().toString(36)}`;
  try {
    await src.q(ddl(srcKind, false));
    await tgt.q(ddl(tgtKind, true));
    await bulk(src, 1, rows);
    await bulk(tgt, 1, rows);
    const input = await cdcTaskFromNow(src, tgt, slot, { mode: 'cdc', options: { applyPartitions: partitions } });
    const half = Math.floor(rows / 2);
    for (let a = 1; a <= half; a += 500) await src.q(`UPDATE bench SET v = v + 1, s = 'upd' WHERE id BETWEEN ${a} AND ${Math.min(half, a + 499)}`);
    await bulk(src, rows + 1, half);
    const events = 2 * half;
    const loadBefore = loadavg()[0]!;
    const child = startCdcChild(input);
    await child.ready;
    const deadline = Date.now() + 600_000;
    let first = 0;
    let apart = 0;
    let done = 0;
    while (Date.now() < deadline) {
      done = await progress(tgt, rows);
      if (!first && done > 0) first = Date.now();
      if (done >= events) break;
      if (first && partitions > 1) apart = Math.max(apart, await partitionsApart(tgt, slot));
      await sleep(first ? 100 : 10);
    }
    const seconds = Math.max(0.001, (Date.now() - first) / 1000);
    const stopped = await child.stop();
    if (done < events) throw new Error(`${pair} x${partitions}: only ${done} of ${events} events applied`);
    return {
      pair,
      partitions,
      events,
      seconds: Math.round(seconds * 100) / 100,
      eventsPerSec: Math.round(events / seconds),
      maxPartitionsApart: apart,
      agentPeakRssMb: Math.round(stopped.hwmKb / 1024),
      loadBefore: Math.round(loadBefore * 10) / 10,
    };
  } finally {
    await dropBenchPair(src, tgt, slot);
  }
}

const arg = (args: string[], name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

export async function runPartitions(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const counts = (arg(args, '--partitions') ?? '1,2,4').split(',').map(Number);
  const pairs = (arg(args, '--pairs') ?? 'm2p,p2p,p2m').split(',');
  const rows = Number(arg(args, '--rows') ?? (quick ? 40_000 : 200_000));
  const runs: Run[] = [];
  for (const p of pairs) {
    const [s, t] = PAIRS[p] ?? [];
    if (!s || !t) throw new Error(`unknown pair ${p} (m2p, p2p, p2m)`);
    for (const n of counts) {
      const r = await once(s, t, p, n, rows);
      runs.push(r);
      process.stdout.write(
        `  ${p} x${n}: ${r.eventsPerSec} events/s (${r.events} in ${r.seconds} s, load ${r.loadBefore}, partitions apart ${r.maxPartitionsApart})\n`,
      );
    }
  }
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? 'unknown';
  const out = {
    when: new Date().toISOString(),
    machine: { cpu, cores: (readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm) ?? []).length, loadAfter: loadavg()[0] },
    config: { rows, backlog: '50% updates in 500-row transactions, 50% inserts in 10 000-row transactions', batchMaxChanges: 20_000 },
    runs,
  };
  const base = (r: Run) => runs.find((x) => x.pair === r.pair && x.partitions === 1)?.eventsPerSec;
  const lines = [
    '| pair | partitions | events | seconds | events/s | vs 1 partition | partitions apart (max) | peak RSS | load at start |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...runs.map((r) => {
      const b = base(r);
      return `| ${r.pair} | ${r.partitions} | ${r.events} | ${r.seconds} | ${r.eventsPerSec} | ${b ? `${(r.eventsPerSec / b).toFixed(2)}×` : '—'} | ${r.maxPartitionsApart} | ${r.agentPeakRssMb} MB | ${r.loadBefore} |`;
    }),
  ];
  writeFileSync(path.join(results, 'cdc-partitions.json'), JSON.stringify(out, null, 2) + '\n');
  writeFileSync(path.join(results, 'cdc-partitions.md'), `# CDC apply partitions (${out.when})\n\n${lines.join('\n')}\n`);
  process.stdout.write(`\n${lines.join('\n')}\n\n${JSON.stringify(out)}\n`);
}
