/** A terminal progress bar for `sluice-agent run`: one line per table on a TTY, periodic summaries otherwise. */
import type { EngineProgress } from '../engine/hooks';

export interface ProgressView {
  update(p: EngineProgress): void;
  log(level: string, message: string): void;
  done(): void;
}

export function formatBar(done: number, total: number, width = 24): string {
  const frac = total > 0 ? Math.min(1, done / total) : 0;
  const full = Math.round(frac * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(frac * 100).toFixed(1).padStart(5)}%`;
}

export function formatProgress(p: EngineProgress): string[] {
  const lines = [`phase: ${p.phase}`];
  for (const t of p.tables) {
    const eta = t.etaSeconds == null ? '' : ` eta ${Math.round(t.etaSeconds)}s`;
    lines.push(
      `  ${t.table.slice(0, 32).padEnd(32)} ${formatBar(t.rowsDone, t.rowsTotal)} ${t.rowsDone}/${t.rowsTotal} rows ${Math.round(t.rowsPerSec)}/s ${t.phase}${eta}`,
    );
  }
  if (p.cdc) lines.push(`  cdc ${Math.round(p.cdc.eventsPerSec)} ev/s lag p99 ${Math.round(p.cdc.lagP99Ms)} ms backlog ${p.cdc.backlog}`);
  return lines;
}

export function renderProgress(out: NodeJS.WriteStream, quiet: boolean): ProgressView {
  const tty = out.isTTY === true;
  let drawn = 0;
  let last: EngineProgress | null = null;
  let lastPrint = 0;
  const clear = () => {
    if (tty && drawn > 0) out.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = (p: EngineProgress) => {
    const lines = formatProgress(p);
    clear();
    out.write(lines.join('\n') + '\n');
    drawn = tty ? lines.length : 0;
  };
  return {
    update(p) {
      last = p;
      if (quiet) return;
      const now = Date.now();
      if (tty ? now - lastPrint >= 100 : now - lastPrint >= 5_000) {
        lastPrint = now;
        draw(p);
      }
    },
    log(level, message) {
      if (quiet && level !== 'error' && level !== 'warn') return;
      clear();
      out.write(`${level}: ${message}\n`);
      if (last && !quiet) draw(last);
    },
    done() {
      if (last && !quiet) draw(last);
      drawn = 0;
    },
  };
}
