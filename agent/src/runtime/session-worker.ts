/**
 * Entry of the session worker thread started by `sluice-agent start`. The main
 * thread only parses flags and forwards signals; the session (socket, RPC,
 * heartbeats, lease timers) and the task supervisor live here, and each task
 * runs in a worker thread of its own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from './logger';
import { loadEngine } from './engine';
import { AgentSession, RefusedError } from './session';
import type { StartConfig } from './config';
import type { Credentials } from './credentials';
import { statusFileFor } from './config';

export interface SessionWorkerData {
  __entry: string;
  cfg: StartConfig;
  creds: Credentials;
}
export type ToSessionWorker = { t: 'drain' };
export type FromSessionWorker = { t: 'exit'; code: number; message?: string };

const port = parentPort;
if (!port) throw new Error('session-worker must run in a worker thread');
const { cfg, creds } = workerData as SessionWorkerData;
const log = createLogger(cfg.logLevel, { agentId: creds.agentId });
const session = new AgentSession({
  creds,
  apiUrl: cfg.apiUrl ?? creds.apiUrl,
  capacity: cfg.capacity,
  caFile: cfg.caFile,
  reconnectBaseMs: cfg.reconnectBaseMs,
  reconnectCapMs: cfg.reconnectCapMs,
  maxTaskRestarts: cfg.maxTaskRestarts,
  statusFile: statusFileFor(cfg),
  log,
  loadEngine,
});

let draining = false;
port.on('message', (m: ToSessionWorker) => {
  if (m.t === 'drain' && !draining) {
    draining = true;
    log.info({ timeoutMs: cfg.drainTimeoutMs }, 'draining: no new work, stopping tasks and releasing leases');
    void session.shutdown(cfg.drainTimeoutMs).then(() => port.postMessage({ t: 'exit', code: 0 } satisfies FromSessionWorker));
  }
});

session.run().then(
  () => {
    if (!draining) port.postMessage({ t: 'exit', code: 0 } satisfies FromSessionWorker);
  },
  (e: unknown) => {
    const message = e instanceof RefusedError ? e.message : `the agent session failed: ${(e as Error).message}`;
    port.postMessage({ t: 'exit', code: e instanceof RefusedError ? 3 : 1, message } satisfies FromSessionWorker);
  },
);
