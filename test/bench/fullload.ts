/**
 * Full-load benchmark: `npm run bench -- fullload [--quick | --rows N] [--runs 3] [--dirs m2p,p2m,p2p,m2m] [--tables narrow,wide,types]
 *   [--skip-peers] [--skip-limit] [--skip-engine] [--verify] [--profile] [--no-readme] [--regen] [--out file]`
 *
 * Profiles: the full profile (5,000,000 narrow rows, the README's figures) and `--quick` (1,000,000, for development).
 * Every figure is the median of `--runs` runs (default 3) with min and max; each run records the 1-minute load
 * average before and after it, and the table marks figures whose runs started above 1.5 (lib/repeat.ts).
 *
 * For every direction and table it measures, in one run:
 *   - Sluice: the real engine (runStandalone) in a child process, peak RSS read from /proc;
 *   - the raw limit: server-side COPY FROM file (PG) / LOAD DATA INFILE (MariaDB) of the same rows, exported beforehand;
 *   - the peer: pgloader (MySQL->PG), pg_dump | psql (PG->PG), mariadb-dump | mariadb (MySQL->MySQL).
 * Writes test/bench/results/fullload.json and the README "Benchmarks" table.
 */
import { mkdirSync, chmodSync, readdirSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { TABLES, rowsFor, type BenchTable } from './lib/fullload-data';
import { fmtRate, parseArgs, sh } from './lib/util';
import { here, FILE_DIR, DIRS, pgAdmin, myAdmin, type Dir, type Measurement, root, ensureSources, findServerPids } from './lib/fullload-env';
import { limitMy, limitPg, peer, sluice } from './lib/fullload-runs';
import { missesMarkdown, summarise, toMarkdown, writeReadmeSection } from './lib/fullload-report';
import { repeatRuns } from './lib/repeat';

export type { Measurement } from './lib/fullload-env';
export type { SummaryRow } from './lib/fullload-report';

// ------------------------------------------------------------------ main

export async function main(argv: string[]): Promise<void> {
  const a = parseArgs(argv);
  // --rows overrides a profile's row count: such a run is neither the README's nor the quick one.
  const profile: 'quick' | 'full' | 'custom' = a.rows ? 'custom' : a.quick === true ? 'quick' : 'full';
  const n = a.rows ? Number(a.rows) : profile === 'quick' ? 1_000_000 : 5_000_000;
  if (!Number.isInteger(n) || n < 10) throw new Error('--rows must be an integer >= 10');
  const runs = a.runs ? Number(a.runs) : 3;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be an integer >= 1');
  const dirs = (typeof a.dirs === 'string' ? a.dirs.split(',') : Object.keys(DIRS)) as Dir[];
  for (const d of dirs) if (!(d in DIRS)) throw new Error(`unknown direction "${d}"; use m2p, p2m, p2p, m2m`);
  const tables = (typeof a.tables === 'string' ? a.tables.split(',') : TABLES) as BenchTable[];
  for (const t of tables) if (!TABLES.includes(t)) throw new Error(`unknown table "${t}"; use ${TABLES.join(', ')}`);
  const parallelism = a.parallelism ? Number(a.parallelism) : 4;
  const chunkSize = a['chunk-size'] ? Number(a['chunk-size']) : 50_000;
  mkdirSync(FILE_DIR, { recursive: true });
  chmodSync(FILE_DIR, 0o777);
  // exports from runs with other row counts are stale (file names carry the row count)
  const keep = new Set(TABLES.flatMap((t) => [`pg_${t}_${rowsFor(t, n)}.copy`, `my_${t}_${rowsFor(t, n)}.tsv`]));
  for (const f of readdirSync(FILE_DIR)) if (/^(pg|my)_/.test(f) && !keep.has(f)) rmSync(join(FILE_DIR, f), { force: true });

  const needMy = dirs.some((d) => DIRS[d].from === 'mysql') || (!a['skip-limit'] && dirs.some((d) => DIRS[d].to === 'mysql'));
  const needPg = dirs.some((d) => DIRS[d].from === 'postgres') || (!a['skip-limit'] && dirs.some((d) => DIRS[d].to === 'postgres'));
  console.log(`fullload benchmark (${profile}): ${n} narrow rows, ${runs} run(s) per figure, directions ${dirs.join(',')}, tables ${tables.join(',')}`);
  await ensureSources(tables, n, a.regen === true, needMy, needPg);
  await findServerPids();

  const loadBefore = loadavg();
  const ms: Measurement[] = [];
  const log = (m: Measurement) => {
    ms.push(m);
    const range =
      m.minRowsPerSec !== undefined && m.maxRowsPerSec !== undefined && m.runs && m.runs.length > 1
        ? ` (${fmtRate(m.minRowsPerSec)}–${fmtRate(m.maxRowsPerSec)}, median of ${m.runs.length})`
        : '';
    const loaded = m.loadedRuns ? `  [${m.loadedRuns} run(s) started at load > 1.5]` : '';
    console.log(
      `  ${DIRS[m.direction].label.padEnd(12)} ${m.table.padEnd(6)} ${m.name.padEnd(24)} ${m.ok ? fmtRate(m.rowsPerSec).padStart(8) + ' rows/s' + range : 'FAILED'}  ${m.seconds.toFixed(1)} s${m.peakRssMb ? `  RSS ${m.peakRssMb} MB` : ''}${loaded}${m.error ? `\n    ${m.error.split('\n').slice(-3).join('\n    ')}` : ''}`,
    );
  };

  // Raw limits first (one per target engine and table), then the peers, then Sluice.
  for (const table of tables) {
    const rows = rowsFor(table, n);
    if (!a['skip-limit']) {
      const failed = (name: string) => (e: Error) => ({ table, tool: 'limit' as const, name, rows: 0, seconds: 0, rowsPerSec: 0, ok: false, error: e.message });
      const pgLim = dirs.some((d) => DIRS[d].to === 'postgres')
        ? (await repeatRuns(runs, async () => [await limitPg(table, rows).catch(failed('COPY FROM file'))]))[0]!
        : null;
      const myLim = dirs.some((d) => DIRS[d].to === 'mysql')
        ? (await repeatRuns(runs, async () => [await limitMy(table, rows).catch(failed('LOAD DATA INFILE'))]))[0]!
        : null;
      for (const dir of dirs) {
        const l = DIRS[dir].to === 'postgres' ? pgLim : myLim;
        if (l) log({ ...l, direction: dir });
      }
    }
    for (const dir of dirs) {
      if (!a['skip-peers'])
        for (const p of await repeatRuns(runs, async () => [await peer(dir, table, rows)].filter((x): x is Measurement => x !== null))) log(p);
      if (!a['skip-engine']) {
        const opts = { verify: a.verify !== 'false' && a['no-verify'] !== true, profile: a.profile === true, parallelism, chunkSize };
        for (const m of await repeatRuns(runs, () => sluice(dir, table, rows, opts))) log(m);
      }
    }
  }

  // --merge: re-measure a subset (e.g. after a failure) and fold it into an earlier run's results.
  let allDirs = dirs;
  let allTables = tables;
  let remeasured: { at: string; what: string[]; loadAverage1m: { before: number; after: number } }[] = [];
  let mergedFrom: {
    generatedAt: string;
    machine: { loadAverage1m: { before: number; after: number } };
    remeasured?: { at: string; what: string[]; loadAverage1m: { before: number; after: number } }[];
  } | null = null;
  if (a.merge === true || typeof a.merge === 'string') {
    const prevFile = typeof a.merge === 'string' ? a.merge : join(here, 'results', 'fullload.json');
    const prev = JSON.parse(readFileSync(prevFile, 'utf8')) as {
      generatedAt: string;
      measurements: Measurement[];
      settings: { rows: Record<string, number>; directions: Dir[] };
      machine: { loadAverage1m: { before: number; after: number } };
      remeasured?: { at: string; what: string[]; loadAverage1m: { before: number; after: number } }[];
    };
    mergedFrom = prev;
    if (prev.settings.rows.narrow !== rowsFor('narrow', n))
      throw new Error(`--merge: ${prevFile} was measured with ${prev.settings.rows.narrow} rows, this run with ${n}`);
    const key = (m: Measurement) => `${m.direction}|${m.table}|${m.tool}`;
    const fresh = new Set(ms.map(key));
    ms.unshift(...prev.measurements.filter((m) => !fresh.has(key(m))));
    allDirs = (Object.keys(DIRS) as Dir[]).filter((d) => prev.settings.directions.includes(d) || dirs.includes(d));
    allTables = TABLES.filter((t) => t in prev.settings.rows || tables.includes(t));
    console.log(`merged with ${prevFile}: re-measured ${[...fresh].join(', ') || 'nothing'}`);
    remeasured = [
      ...(prev.remeasured ?? []),
      ...(fresh.size
        ? [
            {
              at: new Date().toISOString(),
              what: [...fresh],
              loadAverage1m: { before: Math.round(loadBefore[0]! * 10) / 10, after: Math.round(loadavg()[0]! * 10) / 10 },
            },
          ]
        : []),
    ];
  }
  const summary = summarise(ms, allDirs, allTables, n);
  const md = toMarkdown(summary);
  console.log(`\n${md}\n`);
  const missText = missesMarkdown(summary);
  if (missText) console.log(`${missText}\n`);
  const [pgVersion, myVersion, pgloaderVersion] = await Promise.all([
    pgAdmin('postgres', async (c) => String((await c.query('SHOW server_version')).rows[0].server_version)),
    myAdmin(undefined, async (c) => String(((await c.query('SELECT VERSION() AS v')) as unknown as [{ v: string }[]])[0][0]!.v)),
    sh('pgloader --version').then(
      (r) => r.stdout.split('\n')[0] ?? '',
      () => 'not installed',
    ),
  ]);
  const report = {
    benchmark: 'fullload',
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? '',
      memGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      postgres: pgVersion,
      mariadb: myVersion,
      pgloader: pgloaderVersion,
      // other work on the machine skews every figure; the 1-minute load average before and after the run
      loadAverage1m: mergedFrom
        ? mergedFrom.machine.loadAverage1m
        : { before: Math.round(loadBefore[0]! * 10) / 10, after: Math.round(loadavg()[0]! * 10) / 10 },
    },
    ...(mergedFrom ? { generatedAt: mergedFrom.generatedAt, remeasured } : {}),
    settings: { profile, runs, rows: Object.fromEntries(allTables.map((t) => [t, rowsFor(t, n)])), directions: allDirs, parallelism, chunkSize },
    summary,
    measurements: ms,
  };
  const outFile = typeof a.out === 'string' ? a.out : join(here, 'results', 'fullload.json');
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(report, null, 2) + '\n');
  console.log(`wrote ${outFile}`);
  if (a['no-readme'] !== true && typeof a.out !== 'string') await writeReadmeSection(root, report);
}
