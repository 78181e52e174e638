/**
 * A task-worker entry used only by supervisor.test.ts: it crashes (exits the
 * thread) the first `crashTimes` runs after checkpointing, then completes,
 * reporting what it was asked to resume from. With `transientTimes` it first
 * fails that many runs with a transient error (before any checkpoint); with
 * `configError` it fails with a configuration error; with `fenced` the target refuses its
 * write (ConnectorError code FENCED: a newer lease exists).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { TaskWorkerData } from './task-worker-messages';

const data = workerData as TaskWorkerData;
const spec = data.input.taskSpec as { counterFile: string; crashTimes: number; transientTimes?: number; configError?: boolean; fenced?: boolean };
let n = 0;
try {
  n = Number(readFileSync(spec.counterFile, 'utf8'));
} catch {
  n = 0;
}
writeFileSync(spec.counterFile, String(n + 1));
if (spec.fenced) {
  parentPort!.postMessage({
    t: 'failed',
    message: "this agent's lease (epoch 1) is stale: the write was refused",
    retryable: false,
    transient: false,
    code: 'FENCED',
  });
} else if (spec.configError) {
  parentPort!.postMessage({
    t: 'failed',
    message: 'PostgreSQL refused the login for user "u" (fix: check the user name and password)',
    retryable: false,
    transient: false,
  });
} else if (n < (spec.transientTimes ?? 0)) {
  parentPort!.postMessage({ t: 'failed', message: `cannot reach PostgreSQL at h:5432: connect ECONNREFUSED (run ${n})`, retryable: true, transient: true });
} else {
  run();
}
function run(): void {
  parentPort!.on('message', (m: { t: string; ok?: boolean }) => {
    if (m.t !== 'ack') return;
    if (n < spec.crashTimes) process.exit(70 + n);
    parentPort!.postMessage({ t: 'done', result: { runs: n + 1, resumedFrom: data.resume } });
  });
  parentPort!.postMessage({ t: 'checkpoint', req: 1, stream: `chunk:s.t:${n}`, position: { v: 1, run: n } });
}
