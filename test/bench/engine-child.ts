/**
 * Runs one standalone job with the real engine (agent/src/engine runStandalone)
 * in its own process, so the benchmark can measure this process's peak RSS.
 * Usage: node --import tsx test/bench/engine-child.ts <spec.json>
 * Prints `RESULT <json>`, `VmHWM_KB=<n>` (from /proc/self/status) and `CPU_MS=<n>` (all threads) on exit.
 */
import { readFileSync } from 'node:fs';
import { standaloneSpecSchema } from '../../agent/src/protocol';

const specPath = process.argv[2];
if (!specPath) {
  process.stderr.write('usage: engine-child.ts <spec.json>\n');
  process.exit(2);
}
const spec = standaloneSpecSchema.parse(JSON.parse(readFileSync(specPath, 'utf8')));
const specifier = '../../agent/src/engine/index';
const engine = (await import(/* @vite-ignore */ specifier)) as {
  runStandalone: (s: typeof spec, o?: { onLog?: (l: string, m: string) => void; fresh?: boolean }) => Promise<Record<string, unknown>>;
};

function hwmKb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

let code = 0;
try {
  // fresh: every measurement is a whole run, never "already finished" from an earlier state file.
  const result = await engine.runStandalone(spec, {
    fresh: true,
    onLog: (level, message) => {
      if (level === 'warn' || level === 'error') process.stderr.write(`[${level}] ${message}\n`);
    },
  });
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
} catch (e) {
  process.stderr.write(`engine failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  code = 1;
}
const cpu = process.cpuUsage();
process.stdout.write(`VmHWM_KB=${hwmKb()}\nCPU_MS=${Math.round((cpu.user + cpu.system) / 1000)}\n`);
process.exit(code);
