/**
 * Full-load benchmark reporting (see ../fullload.ts): per direction and table
 * summary rows against the targets, and their markdown.
 */
import { rowsFor, type BenchTable } from './fullload-data';
import { DIRS, type Dir, type Measurement } from './fullload-env';
import { join } from 'node:path';
import { fmtRate, markdownTable, sh, updateReadme } from './util';
import { LOADED_AT } from './repeat';

// ------------------------------------------------------------------ report

export const TARGETS: Record<Dir, { limit?: number; peer?: number; text: string }> = {
  m2p: { limit: 0.8, peer: 3, text: '≥ 80 % of COPY, ≥ 3× pgloader' },
  p2m: { limit: 0.8, text: '≥ 80 % of LOAD DATA' },
  p2p: { peer: 1.2, text: '≥ 1.2× pg_dump | psql' },
  m2m: { peer: 2, text: '≥ 2× mariadb-dump | mariadb' },
};
export const RSS_LIMIT_MB = 300;

export interface SummaryRow {
  direction: Dir;
  label: string;
  table: BenchTable;
  rows: number;
  sluiceRowsPerSec: number | null;
  peakRssMb: number | null;
  limitName: string;
  limitRowsPerSec: number | null;
  ratioToLimit: number | null;
  peer: string | null;
  peerRowsPerSec: number | null;
  ratioToPeer: number | null;
  verifyRowsPerSec: number | null;
  target: string;
  met: boolean | null;
  misses: string[];
  /** Runs behind each figure (null: a result file from before runs were repeated). */
  runs: number | null;
  sluiceMinRowsPerSec: number | null;
  sluiceMaxRowsPerSec: number | null;
  /** The highest 1-minute load average at the start of any run of this row (Sluice, peer and limit). */
  maxLoadAtStart: number | null;
  /** Runs of this row that started above LOADED_AT, of all its runs (Sluice, peer and limit). */
  loadedRuns: number;
  allRuns?: number;
  /** CPU seconds per tool during its measurement: agent (Sluice), PG server, MariaDB server. */
  cpu?: Record<string, { agentS?: number; pgS: number; mariadbS: number }>;
  /** The engine's CPU profile (with --profile): where the agent's main thread spent the load. */
  profile?: { wallMs: number; busyMs: number; idleMs: number; gcMs: number; top: { fn: string; selfMs: number; pctOfBusy: number }[] };
}

function loadOf(ms: (Measurement | undefined)[]): Pick<SummaryRow, 'maxLoadAtStart' | 'loadedRuns' | 'allRuns'> {
  const runs = ms.flatMap((m) => m?.runs ?? []);
  return {
    maxLoadAtStart: runs.length ? Math.max(...runs.map((r) => r.load1mBefore)) : null,
    loadedRuns: runs.filter((r) => r.load1mBefore > LOADED_AT).length,
    allRuns: runs.length,
  };
}

/** A median with its range when there were several runs: `123k (118k–130k)`. */
function withRange(median: number | null, min: number | null, max: number | null): string {
  if (median === null || min === null || max === null || min === max) return fmtRate(median);
  return `${fmtRate(median)} (${fmtRate(min)}–${fmtRate(max)})`;
}

export function summarise(ms: Measurement[], dirs: Dir[], tables: BenchTable[], n: number): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const dir of dirs) {
    for (const table of tables) {
      const d = DIRS[dir];
      const s = ms.find((m) => m.direction === dir && m.table === table && m.tool === 'sluice');
      const v = ms.find((m) => m.direction === dir && m.table === table && m.tool === 'sluice-verify');
      const l = ms.find((m) => m.direction === dir && m.table === table && m.tool === 'limit');
      const p = ms.find((m) => m.direction === dir && m.table === table && m.tool === 'peer');
      const sr = s?.ok ? s.rowsPerSec : null;
      const lr = l?.ok ? l.rowsPerSec : null;
      const pr = p?.ok ? p.rowsPerSec : null;
      const t = TARGETS[dir];
      const ratioToLimit = sr !== null && lr ? sr / lr : null;
      const ratioToPeer = sr !== null && pr ? sr / pr : null;
      const misses: string[] = [];
      if (t.limit !== undefined && ratioToLimit !== null && ratioToLimit < t.limit)
        misses.push(`${Math.round(ratioToLimit * 100)} % of the limit (target ${t.limit * 100} %)`);
      if (t.peer !== undefined && ratioToPeer !== null && ratioToPeer < t.peer) misses.push(`${ratioToPeer.toFixed(2)}× the peer (target ${t.peer}×)`);
      if (s?.peakRssMb !== undefined && s.peakRssMb > RSS_LIMIT_MB) misses.push(`RSS ${s.peakRssMb} MB (limit ${RSS_LIMIT_MB} MB)`);
      const measured = sr !== null && (t.limit === undefined || ratioToLimit !== null) && (t.peer === undefined || ratioToPeer !== null);
      rows.push({
        direction: dir,
        label: d.label,
        table,
        rows: rowsFor(table, n),
        sluiceRowsPerSec: sr,
        peakRssMb: s?.peakRssMb ?? null,
        limitName: d.to === 'postgres' ? 'COPY FROM file' : 'LOAD DATA INFILE',
        limitRowsPerSec: lr,
        ratioToLimit,
        peer: d.peer,
        peerRowsPerSec: pr,
        ratioToPeer,
        verifyRowsPerSec: v?.ok ? v.rowsPerSec : null,
        target: t.text,
        met: measured ? misses.length === 0 : null,
        misses,
        runs: s?.runs?.length ?? null,
        sluiceMinRowsPerSec: s?.ok ? (s.minRowsPerSec ?? null) : null,
        sluiceMaxRowsPerSec: s?.ok ? (s.maxRowsPerSec ?? null) : null,
        ...loadOf([s, l, p]),
        ...(s?.detail?.profile ? { profile: s.detail.profile as NonNullable<SummaryRow['profile']> } : {}),
        cpu: Object.fromEntries(
          [s, l, p]
            .filter((m): m is Measurement => !!m?.cpu)
            .map((m) => [
              m.name,
              { ...(m.cpu!.agentMs !== undefined ? { agentS: m.cpu!.agentMs / 1000 } : {}), pgS: m.cpu!.pgMs / 1000, mariadbS: m.cpu!.mariadbMs / 1000 },
            ]),
        ),
      });
    }
  }
  return rows;
}

/** One line per missed target, with the profile that shows where the agent's time went. */
export function missesMarkdown(rows: SummaryRow[]): string {
  const out: string[] = [];
  for (const r of rows.filter((x) => x.met === false)) {
    let line = `- **${r.label} ${r.table}**: ${r.misses.join('; ')}.`;
    const p = r.profile;
    if (p) {
      const top = p.top
        .filter((t) => !/^\((program|garbage collector)\)/.test(t.fn))
        .slice(0, 4)
        .map((t) => `\`${t.fn.replace(/ .*\//, ' ').slice(0, 60)}\` ${t.pctOfBusy} %`)
        .join(', ');
      line += ` Agent main thread busy ${(p.busyMs / 1000).toFixed(1)} s of ${(p.wallMs / 1000).toFixed(1)} s (GC ${(p.gcMs / 1000).toFixed(1)} s, waiting on the databases ${(p.idleMs / 1000).toFixed(1)} s); top self time: ${top}.`;
    }
    const cpu = Object.entries(r.cpu ?? {})
      .map(
        ([name, c]) =>
          `${name} ${[c.agentS !== undefined ? `agent ${c.agentS.toFixed(1)}` : '', `PG ${c.pgS.toFixed(1)}`, `MariaDB ${c.mariadbS.toFixed(1)}`].filter(Boolean).join(' + ')} s`,
      )
      .join('; ');
    if (cpu) line += ` CPU used: ${cpu}.`;
    out.push(line);
  }
  return out.join('\n');
}

export function toMarkdown(rows: SummaryRow[]): string {
  return markdownTable(
    [
      'direction',
      'table',
      'rows',
      'Sluice rows/s (median, min–max)',
      'raw limit rows/s',
      '% of limit',
      'peer',
      'peer rows/s',
      '× peer',
      'verify rows/s',
      'peak RSS MB',
      'runs',
      'load at start',
      'target',
      'met',
    ],
    rows.map((r) => [
      r.label,
      r.table,
      r.rows.toLocaleString('en-US'),
      withRange(r.sluiceRowsPerSec, r.sluiceMinRowsPerSec ?? null, r.sluiceMaxRowsPerSec ?? null),
      fmtRate(r.limitRowsPerSec),
      r.ratioToLimit === null ? '—' : `${Math.round(r.ratioToLimit * 100)} %`,
      r.peer ?? '—',
      fmtRate(r.peerRowsPerSec),
      r.ratioToPeer === null ? '—' : `${r.ratioToPeer.toFixed(2)}×`,
      fmtRate(r.verifyRowsPerSec),
      r.peakRssMb ?? '—',
      r.runs ?? '—',
      r.maxLoadAtStart === null || r.maxLoadAtStart === undefined
        ? '—'
        : `${r.maxLoadAtStart.toFixed(1)}${r.loadedRuns ? ` ⚠ ${r.loadedRuns} of ${r.allRuns ?? r.loadedRuns} runs started > ${LOADED_AT}` : ''}`,
      r.target,
      r.met === null ? '—' : r.met ? 'yes' : `no: ${r.misses.join('; ')}`,
    ]),
  );
}

/** test/bench/results/fullload.json as fullload.ts writes it (older files lack the profile, runs and per-run load). */
export interface FullloadReport {
  generatedAt: string;
  machine: { cpus: number; memGb: number; postgres: string; mariadb: string; pgloader: string; loadAverage1m: { before: number; after: number } };
  remeasured?: { at: string; what: string[]; loadAverage1m: { before: number; after: number } }[];
  settings: { profile?: 'quick' | 'full' | 'custom'; runs?: number; rows: Record<string, number>; directions: Dir[]; parallelism: number; chunkSize: number };
  summary: SummaryRow[];
}

/** The README's full-load section (between its bench markers), from a result file alone. */
export function readmeSection(report: FullloadReport): string {
  const { machine: m, settings: st } = report;
  const rows = Object.entries(st.rows)
    .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
    .join(', ');
  // Rows from older result files lack the fields added with repeated runs.
  const summary = report.summary.map((r) => ({ ...r, runs: r.runs ?? null, maxLoadAtStart: r.maxLoadAtStart ?? null, loadedRuns: r.loadedRuns ?? 0 }));
  const loaded = summary.filter((r) => r.loadedRuns > 0).length;
  const runs = st.runs ? `Each figure is the median of ${st.runs} run(s), Sluice's with its min–max; ` : 'Each figure is a single run; ';
  const load = loaded
    ? `${loaded} of ${summary.length} rows had a run start with the 1-minute load average above ${LOADED_AT} (marked ⚠), so those figures are depressed and noisy.`
    : `the 1-minute load average was ${m.loadAverage1m.before} before and ${m.loadAverage1m.after} after the whole run on ${m.cpus} vCPUs${m.loadAverage1m.before > LOADED_AT ? ", so every figure, ours and the peers', is depressed and noisy; ratios measured in the same run are the meaningful part" : ''}.`;
  return [
    `### Full load (\`npm run bench -- fullload\`)`,
    '',
    `Measured ${report.generatedAt.slice(0, 10)} on ${m.cpus} vCPU / ${m.memGb} GB, PostgreSQL ${m.postgres}, MariaDB ${m.mariadb}, ${m.pgloader}; source and target on the same servers (the private test instances). Profile: ${st.profile ?? 'full'}. Rows: ${rows}. Sluice runs the real engine (\`runStandalone\`) in a child process, parallelism ${st.parallelism}, chunk ${st.chunkSize.toLocaleString('en-US')} rows; its time includes schema creation; the raw limit is server-side COPY FROM file / LOAD DATA INFILE into an empty table with its primary key. Verify = a separate \`verify\` job over the loaded target. ${runs}${load} Raw data: \`test/bench/results/fullload.json\`; this section is regenerated from it by \`npm run bench:readme\`.`,
    ...(report.remeasured?.length
      ? ['', `Re-measured after the main run: ${report.remeasured.map((r) => `${r.what.join(', ')} (load average ${r.loadAverage1m.before})`).join('; ')}.`]
      : []),
    '',
    toMarkdown(summary),
    ...(summary.some((r) => r.met === false)
      ? ['', 'Missed targets (profile: `node --cpu-prof` of the engine process, main thread):', '', missesMarkdown(summary)]
      : []),
  ].join('\n');
}

/** Rewrites the README's full-load section from `report`, formatted as Prettier keeps the README. */
export async function writeReadmeSection(root: string, report: FullloadReport): Promise<void> {
  const readme = join(root, 'README.md');
  await updateReadme(readme, 'fullload', readmeSection(report));
  await sh(`${join(root, 'node_modules/.bin/prettier')} --write ${readme}`);
}
