/**
 * The Debezium benchmark's results (debezium.ts): medians per system, the printed tables, and the README section
 * `npm run bench:readme` rewrites from test/bench/results/debezium[-quick].json (between
 * `<!-- bench:debezium:start/end -->`).
 */
import type { DrainRun } from './debezium-runs';
import type { LagRun } from './debezium-lag';
import { markdownTable } from './util';

export type DrainSystem = 'debezium' | 'sluice' | 'raw' | 'debezium-snapshot' | 'sluice-snapshot';
export type LagSystem = 'debezium-lag' | 'sluice-lag';
export type System = DrainSystem | LagSystem;
export const SYSTEMS: System[] = ['debezium', 'sluice', 'raw', 'debezium-snapshot', 'sluice-snapshot', 'debezium-lag', 'sluice-lag'];

export const median = (xs: number[]): number | null => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export interface Row {
  system: DrainSystem;
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

export interface LagRow {
  system: LagSystem;
  rate: number;
  achievedRate: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  cpuSeconds: number | null;
  peakRssMb: number | null;
  runs: LagRun[];
  errors: string[];
}

export interface DebeziumReport {
  at: string;
  profile: 'quick' | 'default' | 'full';
  quick: boolean;
  runs: number;
  changes: number;
  snapshotRows: number;
  recordBytes: number | null;
  loadAverage1m: number;
  /** 1/5/15-minute load averages before the first system started and at the end. */
  loadBefore?: string;
  loadAfter?: string;
  rows: Row[];
  lag?: LagRow[];
  unavailable: Record<string, string>;
  ratio: number | null;
  snapshotRatio: number | null;
}

const round2 = (x: number | null): number | null => (x === null ? null : Math.round(x * 100) / 100);

export function summarise(system: DrainSystem, changes: number, runs: DrainRun[]): Row {
  const ok = runs.filter((r) => !r.error);
  const pick = (f: (r: DrainRun) => number | null) => round2(median(ok.map(f).filter((x): x is number => x !== null)));
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

export function summariseLag(system: LagSystem, rate: number, runs: LagRun[]): LagRow {
  const ok = runs.filter((r) => !r.error);
  const pick = (f: (r: LagRun) => number | null) => round2(median(ok.map(f).filter((x): x is number => x !== null)));
  return {
    system,
    rate,
    achievedRate: pick((r) => r.achievedRate),
    p50Ms: pick((r) => r.p50Ms),
    p99Ms: pick((r) => r.p99Ms),
    maxMs: pick((r) => r.maxMs),
    cpuSeconds: pick((r) => r.cpuSeconds),
    peakRssMb: pick((r) => r.peakRssMb),
    runs,
    errors: runs.flatMap((r) => (r.error ? [r.error] : [])),
  };
}

export function systemName(s: System, heap: string, recordBytes: number | null): string {
  const names: Record<System, string> = {
    debezium: `Debezium MariaDB 3.5.0.Final (Connect standalone, -Xmx${heap})`,
    sluice: "Sluice (sluice-agent run, mode cdc, format 'debezium')",
    'debezium-snapshot': 'Debezium snapshot (snapshot.mode=initial, rows)',
    'sluice-snapshot': "Sluice full load (sluice-agent run, mode full, format 'debezium', rows)",
    raw: `raw limit (producer-perf on A, ${recordBytes ?? 300} B records)`,
    'debezium-lag': 'Debezium (streaming, snapshot.mode=no_data)',
    'sluice-lag': 'Sluice (mode cdc)',
  };
  return names[s];
}

const num = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x.toLocaleString('en-US'));

export function drainTable(rows: Row[], unavailable: Record<string, string>, name: (s: System) => string, records: (s: System) => number): string {
  return markdownTable(
    ['system', 'changes / rows', 'events/s', 'steady events/s', 'seconds', 'first record s', 'CPU s', 'peak RSS MB', 'errors'],
    [
      ...rows.map((r) => [
        name(r.system),
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
        name(s as System),
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
}

export function lagTable(rows: LagRow[], name: (s: System) => string): string {
  return markdownTable(
    ['system', 'rate events/s', 'achieved', 'p50 lag ms', 'p99 lag ms', 'max lag ms', 'CPU s', 'peak RSS MB', 'errors'],
    rows.map((r) => [
      name(r.system),
      r.rate,
      r.achievedRate ?? '—',
      r.p50Ms ?? '—',
      r.p99Ms ?? '—',
      r.maxMs ?? '—',
      r.cpuSeconds ?? '—',
      r.peakRssMb ?? '—',
      r.errors.length,
    ]),
  );
}

/** The README section: one table of the CDC, snapshot and lag figures, with the run's conditions. */
export function readmeSection(r: DebeziumReport): string {
  const by = (s: DrainSystem) => r.rows.find((x) => x.system === s);
  const lag = (s: LagSystem) => r.lag?.find((x) => x.system === s);
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? ` (${(Math.round((a / b) * 100) / 100).toFixed(2)}×)` : '');
  const [dc, sc, ds, ss, dl, sl] = [by('debezium'), by('sluice'), by('debezium-snapshot'), by('sluice-snapshot'), lag('debezium-lag'), lag('sluice-lag')];
  const rows = [
    [
      `CDC, ${num(r.changes)} changes: events/s from process start (steady)`,
      `${num(dc?.eventsPerSec)} (${num(dc?.steadyPerSec)})`,
      `${num(sc?.eventsPerSec)}${ratio(sc?.eventsPerSec, dc?.eventsPerSec)} (${num(sc?.steadyPerSec)})`,
    ],
    ['CDC: CPU s / peak RSS MB', `${num(dc?.cpuSeconds)} / ${num(dc?.peakRssMb)}`, `${num(sc?.cpuSeconds)} / ${num(sc?.peakRssMb)}`],
    [
      `snapshot, ${num(r.snapshotRows)} rows: rows/s from process start (steady)`,
      `${num(ds?.eventsPerSec)} (${num(ds?.steadyPerSec)})`,
      `${num(ss?.eventsPerSec)}${ratio(ss?.eventsPerSec, ds?.eventsPerSec)} (${num(ss?.steadyPerSec)})`,
    ],
    ['snapshot: CPU s / peak RSS MB', `${num(ds?.cpuSeconds)} / ${num(ds?.peakRssMb)}`, `${num(ss?.cpuSeconds)} / ${num(ss?.peakRssMb)}`],
  ];
  if (dl || sl)
    rows.push(
      [
        `lag at ${num((dl ?? sl)?.rate)} events/s: p50 / p99 / max ms`,
        `${num(dl?.p50Ms)} / ${num(dl?.p99Ms)} / ${num(dl?.maxMs)}`,
        `${num(sl?.p50Ms)} / ${num(sl?.p99Ms)} / ${num(sl?.maxMs)}`,
      ],
      ['lag run: CPU s / peak RSS MB', `${num(dl?.cpuSeconds)} / ${num(dl?.peakRssMb)}`, `${num(sl?.cpuSeconds)} / ${num(sl?.peakRssMb)}`],
    );
  const raw = by('raw');
  const file = r.quick ? 'debezium-quick.json' : 'debezium.json';
  return [
    `Measured ${r.at.slice(0, 10)} (profile ${r.profile}, ${r.runs === 1 ? 'one run' : `median of ${r.runs} runs`}) on the 2-core machine; load average (1/5/15 min) ${r.loadBefore ?? '—'} before and ${r.loadAfter ?? String(r.loadAverage1m)} after${loadNote(r.loadBefore)}. Raw limit (producer-perf, ${num(r.recordBytes)} B records): ${num(raw?.eventsPerSec)} records/s. Raw data: \`test/bench/results/${file}\`; regenerated by \`npm run bench:readme\`.`,
    '',
    markdownTable(['', 'Debezium MariaDB 3.5.0', 'Sluice'], rows),
  ].join('\n');
}

/** A run that starts above a load of 1.5 says so (issue 20's rule); a quieter one needs no caveat. */
function loadNote(before: string | undefined): string {
  const first = Number(String(before ?? '').split(' ')[0]);
  return Number.isFinite(first) && first > 1.5
    ? ', so absolute figures are depressed and the ratios of the same run are the meaningful part'
    : ' (a quiet machine)';
}
