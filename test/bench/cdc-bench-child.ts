/**
 * The CDC task in its own process for cdc-bench.ts (so its RSS is its own).
 * Env H6_CDC_BENCH = {input}. SIGTERM stops it; it then prints `VmHWM_KB=<n>`
 * and the last progress report as `PROGRESS <json>`.
 */
import { readFileSync } from 'node:fs';
import { runCdc } from '../../agent/src/cdc';
import type { EngineHooks, EngineProgress, EngineTaskInput } from '../../agent/src/engine/hooks';

const { input } = JSON.parse(process.env.H6_CDC_BENCH ?? '{}') as { input: EngineTaskInput };
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());
let last: EngineProgress | null = null;
const state: Record<string, Record<string, unknown>> = {};
const hooks: EngineHooks = {
  signal: controller.signal,
  resume: state,
  async checkpoint(stream, position) {
    state[stream] = position;
  },
  progress(p) {
    last = p;
  },
  log(level, message) {
    if (message.startsWith('cdc: starting')) process.stdout.write('STREAMING\n');
    if (level === 'error' || level === 'warn') process.stderr.write(`${level}: ${message}\n`);
  },
  event() {},
  async waitIfPaused() {},
};

function hwmKb(): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : 0;
}

runCdc(input, hooks)
  .then(() => {
    process.stdout.write(`PROGRESS ${JSON.stringify(last?.cdc ?? null)}\nVmHWM_KB=${hwmKb()}\n`);
    process.exit(0);
  })
  .catch((e: Error) => {
    process.stderr.write(`cdc child failed: ${e.message}\n`);
    process.exit(1);
  });
