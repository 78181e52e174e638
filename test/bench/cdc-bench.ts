/**
 * CDC benchmark (not a test): `npm run bench -- cdc-bench [--quick]`.
 * For MariaDB->PG, PG->PG and PG->MariaDB:
 *  - rates: a generator inserts at 1k/5k/10k/20k rows/s (one event per row, 20-row
 *    transactions) while the CDC task (its own process) applies them; measured:
 *    achieved source rate, applied events/s, lag p50/p99 from the row's source
 *    write time to its target insert time, both taken by the databases' clocks
 *    (the target column `applied_at` defaults to the insert time);
 *  - max sustained rate: a backlog of N rows drained by the CDC task (apply
 *    throughput with the lag at its floor);
 *  - decode-only ceiling: the same backlog read by the source decoder alone.
 * Writes test/bench/results/cdc.json and cdc.md.
 * `--partitions 1,2,4`: apply throughput per number of apply partitions instead (lib/cdc-partitions.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PgCdcSource } from '../../agent/src/cdc/pg-logical';
import { MysqlCdcSource } from '../../agent/src/cdc/mysql-binlog';
import type { CdcPosition, CdcSource } from '../../agent/src/cdc/types';
import type { MysqlConnection, PgConnection } from '../../agent/src/cdc/connections';
import { bulk, cdcTaskFromNow, count, ddl, dropBenchPair, makeDb, nowTs, sleep, startCdcChild, type Db, type Kind } from './lib/cdc-db';
import { runPartitions } from './lib/cdc-partitions';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Inserts at `rate` rows/s for `seconds`, 20 rows per transaction. Returns [firstId, lastId, achievedRate]. */
async function generate(src: Db, startId: number, rate: number, seconds: number): Promise<{ first: number; last: number; achieved: number }> {
  const t0 = Date.now();
  let id = startId;
  let sent = 0;
  while (Date.now() - t0 < seconds * 1000) {
    const due = Math.floor(((Date.now() - t0) / 1000) * rate) - sent;
    if (due <= 0) {
      await sleep(5);
      continue;
    }
    const n = Math.min(due, 20);
    const params: unknown[] = [];
    const tuples: string[] = [];
    const ts = nowTs();
    for (let i = 0; i < n; i++) {
      tuples.push(`($${params.length + 1}, $${params.length + 2}, $${params.length + 3}, $${params.length + 4})`);
      params.push(id++, i, `row ${id}`, ts);
    }
    await src.q(`INSERT INTO bench (id, v, s, ts) VALUES ${tuples.join(', ')}`, params);
    sent += n;
  }
  return { first: startId, last: id - 1, achieved: sent / ((Date.now() - t0) / 1000) };
}

async function lagStats(tgt: Db, first: number, last: number): Promise<{ p50: number; p99: number; n: number }> {
  const sql =
    tgt.kind === 'postgres'
      ? `SELECT (extract(epoch FROM applied_at - ts) * 1000)::float8 AS ms FROM bench WHERE id BETWEEN ${first} AND ${last}`
      : `SELECT TIMESTAMPDIFF(MICROSECOND, ts, applied_at) / 1000 AS ms FROM bench WHERE id BETWEEN ${first} AND ${last}`;
  const v = (await tgt.q(sql)).map((r) => Number(r.ms)).sort((a, b) => a - b);
  const pct = (p: number) => (v.length ? v[Math.min(v.length - 1, Math.floor(p * v.length))]! : NaN);
  return { p50: Math.round(pct(0.5)), p99: Math.round(pct(0.99)), n: v.length };
}

async function decodeOnly(src: Db, from: CdcPosition, slot: string, expected: number): Promise<number> {
  const source: CdcSource =
    src.kind === 'postgres'
      ? new PgCdcSource(src.conn as PgConnection, { slot, publication: slot, tables: ['public.bench'], heartbeatMs: 0 })
      : new MysqlCdcSource(src.conn as MysqlConnection, { tables: [`${src.name}.bench`] });
  await source.start(from);
  const t0 = Date.now();
  let n = 0;
  while (n < expected && Date.now() - t0 < 120_000) {
    const ev = await source.next(1000);
    if (ev?.kind === 'tx') n += ev.changes.length;
  }
  const secs = (Date.now() - t0) / 1000;
  await source.close();
  return n / secs;
}

interface PairResult {
  pair: string;
  rates: { target: number; achievedSource: number; applied: number; lagP50Ms: number; lagP99Ms: number; rows: number }[];
  maxSustained: { rows: number; eventsPerSec: number };
  decodeOnly: { eventsPerSec: number };
  agentPeakRssMb: number;
}

async function benchPair(srcKind: Kind, tgtKind: Kind, rates: number[], seconds: number, backlog: number): Promise<PairResult> {
  const pair = `${srcKind === 'mysql' ? 'mariadb' : 'pg'}->${tgtKind === 'mysql' ? 'mariadb' : 'pg'}`;
  process.stdout.write(`== ${pair}\n`);
  const src = await makeDb(srcKind, 's');
  const tgt = await makeDb(tgtKind, 't');
  const slot = `h6_bench_${Date.now().toString(36)}`;
  try {
    await src.q(ddl(srcKind, false));
    await tgt.q(ddl(tgtKind, true));
    const jobId = slot;
    const input = await cdcTaskFromNow(src, tgt, slot, { mode: 'cdc' });
    let id = 1;
    let hwm = 0;
    const rateResults: PairResult['rates'] = [];
    let child = startCdcChild(input);
    await child.ready;
    for (const rate of rates) {
      const before = await count(tgt);
      const t0 = Date.now();
      const g = await generate(src, id, rate, seconds);
      id = g.last + 1;
      // applied rate: rows landed during the window plus the drain right after it
      const expected = before + (g.last - g.first + 1);
      while ((await count(tgt)) < expected && Date.now() - t0 < seconds * 1000 + 60_000) await sleep(50);
      const applied = ((await count(tgt)) - before) / ((Date.now() - t0) / 1000);
      const lag = await lagStats(tgt, g.first + Math.floor((g.last - g.first) / 5), g.last); // skip warm-up
      const r = {
        target: rate,
        achievedSource: Math.round(g.achieved),
        applied: Math.round(applied),
        lagP50Ms: lag.p50,
        lagP99Ms: lag.p99,
        rows: g.last - g.first + 1,
      };
      rateResults.push(r);
      process.stdout.write(`  rate ${rate}/s: source ${r.achievedSource}/s, applied ${r.applied}/s, lag p50 ${r.lagP50Ms} ms p99 ${r.lagP99Ms} ms\n`);
    }
    hwm = Math.max(hwm, (await child.stop()).hwmKb);

    // Backlog: decode-only first (no acknowledgement), then the full pipeline drains the same changes.
    const posRows = await tgt.q(`SELECT position FROM _sluice_checkpoints WHERE job_id = '${jobId}'`);
    const raw = posRows[0]?.position;
    const from = (typeof raw === 'string' ? JSON.parse(raw) : raw) as CdcPosition;
    const backlogStart = id;
    await bulk(src, id, backlog);
    id += backlog;
    const decode = await decodeOnly(src, from, slot, backlog);
    process.stdout.write(`  decode-only: ${Math.round(decode)} events/s\n`);
    const before = await count(tgt);
    child = startCdcChild(input);
    await child.ready.catch(() => undefined);
    // Timed from the first applied row of the backlog: process start-up and slot hand-over are not throughput.
    const deadline = Date.now() + 300_000;
    let first = 0;
    let n0 = before;
    while (Date.now() < deadline) {
      const n = await count(tgt);
      if (!first && n > before) {
        first = Date.now();
        n0 = n;
      }
      if (n >= before + backlog) break;
      await sleep(first ? 100 : 10);
    }
    const drained = (await count(tgt)) - before;
    const rate = (before + drained - n0) / Math.max(0.001, (Date.now() - first) / 1000);
    const stopped = await child.stop();
    hwm = Math.max(hwm, stopped.hwmKb);
    process.stdout.write(`  max sustained (backlog ${backlog} from ${backlogStart}): ${Math.round(rate)} events/s, peak RSS ${Math.round(hwm / 1024)} MB\n`);
    return {
      pair,
      rates: rateResults,
      maxSustained: { rows: drained, eventsPerSec: Math.round(rate) },
      decodeOnly: { eventsPerSec: Math.round(decode) },
      agentPeakRssMb: Math.round(hwm / 1024),
    };
  } finally {
    await dropBenchPair(src, tgt, slot);
  }
}

export async function main(args: string[]): Promise<void> {
  if (args.includes('--partitions')) return runPartitions(args);
  const quick = args.includes('--quick');
  const rates = quick ? [1_000, 5_000] : [1_000, 5_000, 10_000, 20_000];
  const seconds = quick ? 4 : 8;
  const backlog = quick ? 20_000 : 200_000;
  const pairs: [Kind, Kind][] = [
    ['mysql', 'postgres'],
    ['postgres', 'postgres'],
    ['postgres', 'mysql'],
  ];
  const results: PairResult[] = [];
  for (const [s, t] of pairs) results.push(await benchPair(s, t, rates, seconds, backlog));
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? 'unknown';
  const out = {
    when: new Date().toISOString(),
    machine: { cpu, cores: (readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm) ?? []).length, note: 'shared by other workloads during the run' },
    config: { rates, secondsPerRate: seconds, backlog, rowsPerSourceTransaction: 20 },
    results,
  };
  writeFileSync(path.join(here, 'results/cdc.json'), JSON.stringify(out, null, 2) + '\n');
  const lines = [
    '| pair | target rate | source achieved | applied | lag p50 | lag p99 |',
    '|---|---:|---:|---:|---:|---:|',
    ...results.flatMap((r) =>
      r.rates.map((x) => `| ${r.pair} | ${x.target}/s | ${x.achievedSource}/s | ${x.applied}/s | ${x.lagP50Ms} ms | ${x.lagP99Ms} ms |`),
    ),
    '',
    '| pair | max sustained (backlog drain) | decode-only ceiling | agent peak RSS |',
    '|---|---:|---:|---:|',
    ...results.map((r) => `| ${r.pair} | ${r.maxSustained.eventsPerSec}/s | ${r.decodeOnly.eventsPerSec}/s | ${r.agentPeakRssMb} MB |`),
  ];
  writeFileSync(path.join(here, 'results/cdc.md'), `# CDC benchmark (${out.when})\n\n${lines.join('\n')}\n`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
}
