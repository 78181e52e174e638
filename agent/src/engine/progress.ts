import type { EngineHooks, TableProgress } from './hooks';

interface T {
  table: string;
  rowsDone: number;
  rowsTotal: number;
  bytesDone: number;
  phase: TableProgress['phase'];
  /** rate samples: [time ms, rowsDone] */
  samples: [number, number][];
}

/** Per-table rows/bytes/rate/ETA, pushed to hooks.progress at most every `everyMs`. */
export class ProgressTracker {
  private tables = new Map<string, T>();
  private last = 0;
  private timer: NodeJS.Timeout | null = null;
  phase = 'planning';

  constructor(
    private readonly hooks: Pick<EngineHooks, 'progress'>,
    private readonly everyMs = 1000,
  ) {}

  add(table: string, rowsTotal: number, rowsDone = 0, bytesDone = 0): void {
    this.tables.set(table, { table, rowsDone, rowsTotal: Math.max(rowsTotal, rowsDone), bytesDone, phase: 'pending', samples: [[Date.now(), rowsDone]] });
  }

  setPhase(table: string, phase: TableProgress['phase']): void {
    const t = this.tables.get(table);
    if (!t) return;
    t.phase = phase;
    if (phase === 'done' || phase === 'indexes') t.rowsTotal = t.rowsDone;
    this.maybeEmit();
  }

  addRows(table: string, rows: number, bytes: number): void {
    const t = this.tables.get(table);
    if (!t) return;
    t.rowsDone += rows;
    t.bytesDone += bytes;
    if (t.rowsDone > t.rowsTotal) t.rowsTotal = t.rowsDone;
    if (t.phase === 'pending' || t.phase === 'schema') t.phase = 'loading';
    this.maybeEmit();
  }

  snapshot(): TableProgress[] {
    const now = Date.now();
    return [...this.tables.values()].map((t) => {
      t.samples.push([now, t.rowsDone]);
      while (t.samples.length > 2 && now - t.samples[0]![0] > 10_000) t.samples.shift();
      const [t0, r0] = t.samples[0]!;
      const dt = (now - t0) / 1000;
      const rate = dt > 0.2 ? (t.rowsDone - r0) / dt : 0;
      const left = Math.max(0, t.rowsTotal - t.rowsDone);
      return {
        table: t.table,
        rowsDone: t.rowsDone,
        rowsTotal: t.rowsTotal,
        bytesDone: t.bytesDone,
        rowsPerSec: Math.round(rate),
        etaSeconds: t.phase === 'done' ? 0 : rate > 0 ? Math.round(left / rate) : null,
        phase: t.phase,
      };
    });
  }

  private maybeEmit(): void {
    const now = Date.now();
    if (now - this.last >= this.everyMs) {
      this.emit();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(
        () => {
          this.timer = null;
          this.emit();
        },
        this.everyMs - (now - this.last),
      );
      this.timer.unref();
    }
  }

  emit(): void {
    this.last = Date.now();
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.hooks.progress({ phase: this.phase, tables: this.snapshot() });
  }

  /** Stops the throttle timer; a pending update is sent now, so the last state (e.g. 100 %) is never lost. */
  stop(): void {
    if (this.timer) this.emit();
    this.timer = null;
  }

  totals(): { rows: number; bytes: number } {
    let rows = 0;
    let bytes = 0;
    for (const t of this.tables.values()) {
      rows += t.rowsDone;
      bytes += t.bytesDone;
    }
    return { rows, bytes };
  }
}
