/**
 * Progress for `sluice-agent run`, on stderr. On a terminal: a bar per phase (schema, load,
 * verify) with rows, rate and ETA, a line per table, and a CDC line (events/s, lag, backlog),
 * redrawn in place. Otherwise: plain log lines, one when the phase changes and one every
 * `plainEveryMs`. Log lines are printed once, above the bars.
 */
import type { EngineProgress } from '../engine/hooks';
import { formatKafkaPlain, formatKafkaProgress, kafkaProgressOf } from './kafka-progress';

export interface ProgressView {
  update(p: EngineProgress): void;
  log(level: string, message: string): void;
  done(): void;
}

const PHASE_LABEL: Record<string, string> = { planning: 'plan', schema: 'schema', loading: 'load', indexes: 'indexes', verifying: 'verify', cdc: 'cdc' };

export function formatBar(done: number, total: number, width = 24): string {
  const frac = total > 0 ? Math.min(1, done / total) : 0;
  const full = Math.round(frac * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(frac * 100).toFixed(1).padStart(5)}%`;
}

const num = (x: number) => Math.round(x).toLocaleString('en-US');

export function formatEta(s: number | null): string {
  if (s == null || !Number.isFinite(s)) return 'eta --';
  if (s < 60) return `eta ${Math.round(s)}s`;
  if (s < 3600) return `eta ${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `eta ${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** All tables together: rows done/total, rate, ETA, tables done. */
export function totals(p: EngineProgress) {
  let done = 0;
  let total = 0;
  let rate = 0;
  let tablesDone = 0;
  for (const t of p.tables) {
    done += t.rowsDone;
    total += Math.max(t.rowsTotal, t.rowsDone);
    rate += t.rowsPerSec;
    if (t.phase === 'done') tablesDone++;
  }
  const eta = rate > 0 ? Math.max(0, total - done) / rate : total > 0 && done >= total ? 0 : null;
  return { done, total, rate, eta, tablesDone };
}

function cdcLine(p: EngineProgress): string | null {
  if (!p.cdc) return null;
  const c = p.cdc;
  // ETA here is the time to drain the backlog at the current rate (CDC itself never ends).
  const catchUp = c.backlog > 0 ? `, catch-up ${formatEta(c.eventsPerSec > 0 ? c.backlog / c.eventsPerSec : null).replace('eta ', '')}` : '';
  const purge = c.secondsUntilPurge != null ? `, source logs purged in ${formatEta(c.secondsUntilPurge).replace('eta ', '')}` : '';
  return `cdc    ${num(c.eventsPerSec)} events/s, lag p50 ${num(c.lagP50Ms)} ms p99 ${num(c.lagP99Ms)} ms, backlog ${num(c.backlog)}${catchUp}${c.events != null ? `, ${num(c.events)} events applied` : ''}${purge}`;
}

/**
 * The tables of a CDC job that are not simply streaming (issue 14 §5), one short entry each:
 * `shop.orders snapshotting 1200 rows`, `shop.logs quarantined (reason)`; null when all stream.
 */
export function tableStatesLine(p: EngineProgress): string | null {
  const states = p.cdc?.tableStates;
  if (!states) return null;
  const entries = Object.entries(states);
  const other = entries.filter(([, s]) => s.state !== 'streaming');
  if (!other.length) return null;
  const streaming = entries.length - other.length;
  const shown = other.map(([t, s]) => {
    const rows = (s.state === 'snapshotting' || s.state === 'resyncing') && s.rowsCopied != null ? ` ${num(s.rowsCopied)} rows` : '';
    const why = s.reason && (s.state === 'quarantined' || s.state === 'paused') ? ` (${s.reason.slice(0, 80)})` : '';
    return `${t} ${s.state}${rows}${why}`;
  });
  return `tables ${streaming} streaming; ${shown.join('; ')}`;
}

/** The lines drawn on a terminal. */
export function formatProgress(p: EngineProgress, maxTables = 12): string[] {
  const label = (PHASE_LABEL[p.phase] ?? p.phase).padEnd(6);
  const lines: string[] = [];
  if (p.tables.length) {
    const t = totals(p);
    lines.push(
      `${label} ${formatBar(t.done, t.total)} ${num(t.done)}/${num(t.total)} rows  ${num(t.rate)} rows/s  ${formatEta(t.eta)}  tables ${t.tablesDone}/${p.tables.length}`,
    );
    for (const tp of p.tables.slice(0, maxTables)) {
      lines.push(
        `  ${tp.table.slice(0, 32).padEnd(32)} ${formatBar(tp.rowsDone, tp.rowsTotal, 16)} ${num(tp.rowsDone)}/${num(tp.rowsTotal)} ${num(tp.rowsPerSec)}/s ${tp.phase === 'done' ? 'done' : `${tp.phase} ${formatEta(tp.etaSeconds)}`}`,
      );
    }
    if (p.tables.length > maxTables) lines.push(`  … ${p.tables.length - maxTables} more tables`);
  }
  const c = cdcLine(p);
  if (c) lines.push(c);
  const ts = tableStatesLine(p);
  if (ts) lines.push(ts);
  // A Kafka source or target: per-partition copy progress against T0, then lag.
  const k = kafkaProgressOf(p);
  if (k) lines.push(...formatKafkaProgress(k));
  if (!lines.length) lines.push(`${label} …`);
  return lines;
}

/** One plain line for logs (not a terminal). */
export function formatPlain(p: EngineProgress): string {
  const label = PHASE_LABEL[p.phase] ?? p.phase;
  const parts: string[] = [];
  if (p.tables.length) {
    const t = totals(p);
    const pct = t.total > 0 ? ((Math.min(t.done, t.total) / t.total) * 100).toFixed(1) : '0.0';
    parts.push(`${num(t.done)}/${num(t.total)} rows (${pct}%), ${num(t.rate)} rows/s, ${formatEta(t.eta)}, tables done ${t.tablesDone}/${p.tables.length}`);
  }
  const c = cdcLine(p);
  if (c) parts.push(c.replace(/^cdc\s+/, 'cdc: '));
  const ts = tableStatesLine(p);
  if (ts) parts.push(ts);
  const k = kafkaProgressOf(p);
  if (k) parts.push(formatKafkaPlain(k));
  return `progress ${label}: ${parts.join('; ') || 'starting'}`;
}

export function renderProgress(
  out: NodeJS.WritableStream & { isTTY?: boolean },
  quiet: boolean,
  o: { plainEveryMs?: number; tty?: boolean } = {},
): ProgressView {
  const tty = o.tty ?? out.isTTY === true;
  const plainEvery = o.plainEveryMs ?? 5_000;
  let drawn = 0;
  let last: EngineProgress | null = null;
  let lastDraw = 0;
  let lastPlain = '';
  let lastPlainAt = 0;
  let lastPhase = '';
  const clear = () => {
    if (tty && drawn > 0) out.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = (p: EngineProgress) => {
    const lines = formatProgress(p);
    clear();
    out.write(lines.join('\n') + '\n');
    drawn = lines.length;
  };
  const plain = (p: EngineProgress, force: boolean) => {
    const line = formatPlain(p);
    if (line === lastPlain) return;
    const now = Date.now();
    if (!force && now - lastPlainAt < plainEvery) return;
    lastPlain = line;
    lastPlainAt = now;
    out.write(line + '\n');
  };
  return {
    update(p) {
      last = p;
      if (quiet) return;
      const phaseChanged = p.phase !== lastPhase;
      lastPhase = p.phase;
      if (!tty) return plain(p, phaseChanged);
      const now = Date.now();
      if (phaseChanged || now - lastDraw >= 100) {
        lastDraw = now;
        draw(p);
      }
    },
    log(level, message) {
      if (quiet && level !== 'error' && level !== 'warn') return;
      clear();
      out.write(`${level}: ${message}\n`);
      if (tty && last && !quiet) draw(last);
    },
    done() {
      if (last && !quiet) {
        if (tty) draw(last);
        else plain(last, true);
      }
      drawn = 0;
    },
  };
}
