/**
 * Full-load benchmark reporting (see ../fullload.ts): per direction and table
 * summary rows against the targets, and their markdown.
 */
import { rowsFor, type BenchTable } from './fullload-data';
import { DIRS, type Dir, type Measurement } from './fullload-env';
import { fmtRate, markdownTable } from './util';

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
  /** CPU seconds per tool during its measurement: agent (Sluice), PG server, MariaDB server. */
  cpu?: Record<string, { agentS?: number; pgS: number; mariadbS: number }>;
  /** The engine's CPU profile (with --profile): where the agent's main thread spent the load. */
  profile?: { wallMs: number; busyMs: number; idleMs: number; gcMs: number; top: { fn: string; selfMs: number; pctOfBusy: number }[] };
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
      if (t.limit !== undefined && ratioToLimit !== null && ratioToLimit < t.limit) misses.push(`${Math.round(ratioToLimit * 100)} % of the limit (target ${t.limit * 100} %)`);
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
        ...(s?.detail?.profile ? { profile: s.detail.profile as NonNullable<SummaryRow['profile']> } : {}),
        cpu: Object.fromEntries(
          [s, l, p].filter((m): m is Measurement => !!m?.cpu).map((m) => [m.name, { ...(m.cpu!.agentMs !== undefined ? { agentS: m.cpu!.agentMs / 1000 } : {}), pgS: m.cpu!.pgMs / 1000, mariadbS: m.cpu!.mariadbMs / 1000 }]),
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
      .map(([name, c]) => `${name} ${[c.agentS !== undefined ? `agent ${c.agentS.toFixed(1)}` : '', `PG ${c.pgS.toFixed(1)}`, `MariaDB ${c.mariadbS.toFixed(1)}`].filter(Boolean).join(' + ')} s`)
      .join('; ');
    if (cpu) line += ` CPU used: ${cpu}.`;
    out.push(line);
  }
  return out.join('\n');
}

export function toMarkdown(rows: SummaryRow[]): string {
  return markdownTable(
    ['direction', 'table', 'rows', 'Sluice rows/s', 'raw limit rows/s', '% of limit', 'peer', 'peer rows/s', '× peer', 'verify rows/s', 'peak RSS MB', 'target', 'met'],
    rows.map((r) => [
      r.label,
      r.table,
      r.rows.toLocaleString('en-US'),
      fmtRate(r.sluiceRowsPerSec),
      fmtRate(r.limitRowsPerSec),
      r.ratioToLimit === null ? '—' : `${Math.round(r.ratioToLimit * 100)} %`,
      r.peer ?? '—',
      fmtRate(r.peerRowsPerSec),
      r.ratioToPeer === null ? '—' : `${r.ratioToPeer.toFixed(2)}×`,
      fmtRate(r.verifyRowsPerSec),
      r.peakRssMb ?? '—',
      r.target,
      r.met === null ? '—' : r.met ? 'yes' : `no: ${r.misses.join('; ')}`,
    ]),
  );
}
