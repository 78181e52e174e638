/**
 * The agent's session with the control plane: an outbound WebSocket to
 * `<api>/agent`, the signed handshake, two-way RPC, heartbeats, lease
 * extensions, and reconnects with capped exponential backoff and full jitter.
 * It runs inside a worker thread (see session-worker.ts) so that timers never
 * starve behind other work in the process.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { writeFile, rename } from 'node:fs/promises';
import WebSocket from 'ws';
import type { Logger } from 'pino';
import { RpcError, RpcPeer, type MessageType, type Payload, type ReplyOf } from '../protocol';
import { fullJitterDelay, reconnectCap, sleep } from './backoff';
import type { Credentials } from './credentials';
import { credentialSigner } from '../receipt/task-receipt';
import type { EngineModule } from './engine';
import { Supervisor, type Upstream } from './supervisor';
import { LoadSampler } from './load';
import { handleCustomerNetworkWork } from './network-work';

import { AGENT_VERSION } from './version';
import { RefusedError, connectOnce } from './session-socket';
export { AGENT_VERSION };
export { RefusedError, agentSocketUrl } from './session-socket';

export interface SessionOptions {
  creds: Credentials;
  apiUrl: string;
  capacity: number;
  caFile?: string;
  reconnectBaseMs: number;
  reconnectCapMs: number;
  maxTaskRestarts: number;
  statusFile?: string;
  log: Logger;
  loadEngine: () => Promise<EngineModule>;
}

export type SessionState = 'connecting' | 'ready' | 'backoff' | 'refused' | 'draining' | 'stopped';

interface ReadyInfo {
  protocolVersion: number;
  heartbeatMs: number;
  leaseTtlMs: number;
  maxFrameBytes: number;
}

export class AgentSession implements Upstream {
  readonly supervisor: Supervisor;
  private state: SessionState = 'connecting';
  private peer: RpcPeer | null = null;
  private ws: WebSocket | null = null;
  private ready: ReadyInfo | null = null;
  /** The lease TTL of the last session: the reconnect backoff stays below it (reconnectCap). */
  private lastLeaseTtlMs: number | null = null;
  private readyWaiters: (() => void)[] = [];
  private readonly stop = new AbortController();
  private readonly key: KeyObject;
  private readonly ca: Buffer | undefined;
  private readonly load = new LoadSampler();
  private lastHeartbeatAt: number | null = null;
  private connectedAt: number | null = null;
  private timers: ReturnType<typeof setInterval>[] = [];
  private lastError: string | null = null;

  constructor(private readonly o: SessionOptions) {
    this.key = createPrivateKey(o.creds.privateKey);
    this.ca = o.caFile ? readFileSync(o.caFile) : undefined;
    this.supervisor = new Supervisor({
      capacity: o.capacity,
      maxRestarts: o.maxTaskRestarts,
      upstream: this,
      log: o.log,
      signReceipt: credentialSigner(o.creds),
    });
  }

  get currentState(): SessionState {
    return this.state;
  }

  /** Connects and reconnects until stopped or refused for good. Resolves on a clean stop; rejects with RefusedError. */
  async run(): Promise<void> {
    let attempt = 0;
    while (!this.stop.signal.aborted) {
      this.setState('connecting');
      const started = Date.now();
      try {
        await this.connectOnce();
      } catch (e) {
        if (e instanceof RefusedError) {
          this.setState('refused');
          this.lastError = e.message;
          await this.writeStatus();
          throw e;
        }
        this.lastError = (e as Error).message;
        this.o.log.warn({ err: (e as Error).message }, 'connection to the control plane failed');
      }
      if (this.stop.signal.aborted) break;
      // A session that stayed up a while starts the backoff over.
      if (this.connectedAt && Date.now() - started > 30_000) attempt = 0;
      const delay = fullJitterDelay(
        attempt++,
        this.o.reconnectBaseMs,
        reconnectCap(this.o.reconnectCapMs, this.lastLeaseTtlMs, this.supervisor.inFlight().length),
      );
      this.setState('backoff');
      this.o.log.info({ delayMs: delay, attempt }, 'reconnecting after backoff');
      await sleep(delay, this.stop.signal);
    }
    this.setState('stopped');
    await this.writeStatus();
  }

  /** SIGTERM: stop taking work, stop tasks at a checkpoint boundary, release leases, close. */
  async shutdown(drainTimeoutMs: number): Promise<void> {
    this.setState('draining');
    await this.writeStatus();
    await this.supervisor.drain(drainTimeoutMs);
    this.stop.abort();
    for (const w of this.readyWaiters.splice(0)) w();
    this.ws?.close(1000, 'agent shutting down');
  }

  /** Upstream.send: waits for a ready connection (up to a lease TTL), retries once across a reconnect. */
  async send<T extends MessageType>(type: T, payload: Payload<T>): Promise<ReplyOf<T>> {
    const deadline = Date.now() + Math.max(10_000, (this.ready?.leaseTtlMs ?? this.lastLeaseTtlMs ?? 30_000) * 2);
    for (;;) {
      const peer = await this.whenReady(deadline - Date.now());
      try {
        return await peer.call(type, payload);
      } catch (e) {
        if (e instanceof RpcError && e.code === 'CLOSED' && Date.now() < deadline && !this.stop.signal.aborted) continue;
        throw e;
      }
    }
  }

  private usablePeer(): RpcPeer | null {
    // Draining still sends (releases, final checkpoints) over the open session.
    return this.peer && !this.peer.closed && (this.state === 'ready' || this.state === 'draining') ? this.peer : null;
  }

  private async whenReady(timeoutMs: number): Promise<RpcPeer> {
    const now = this.usablePeer();
    if (now) return now;
    if (timeoutMs <= 0 || this.stop.signal.aborted) throw new RpcError('CLOSED', 'not connected to the control plane');
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
    const later = this.usablePeer();
    if (later) return later;
    throw new RpcError('CLOSED', 'not connected to the control plane');
  }

  private connectOnce(): Promise<void> {
    return connectOnce({
      apiUrl: this.o.apiUrl,
      ca: this.ca,
      log: this.o.log,
      agentId: this.o.creds.agentId,
      key: this.key,
      supervisor: this.supervisor,
      heartbeatMs: () => this.ready?.heartbeatMs ?? null,
      onSocket: (ws) => {
        this.ws = ws;
      },
      onReady: (ws, r) => this.onReady(ws, r),
      onFrame: (raw) => this.peer?.receive(raw),
      onError: (message) => {
        this.lastError = message;
      },
      onClosed: () => this.onClosed(),
    });
  }

  private onReady(ws: WebSocket, r: Payload<'ready'>): void {
    this.lastLeaseTtlMs = r.leaseTtlMs;
    this.ready = { protocolVersion: r.protocolVersion, heartbeatMs: r.heartbeatMs, leaseTtlMs: r.leaseTtlMs, maxFrameBytes: r.maxFrameBytes };
    this.connectedAt = Date.now();
    const log = this.o.log;
    const peer = new RpcPeer(
      { send: (d) => ws.send(d), bufferedAmount: () => ws.bufferedAmount },
      {
        protocolVersion: r.protocolVersion,
        maxFrameBytes: r.maxFrameBytes,
        timeoutMs: 30_000,
        slowMs: 2_000,
        idPrefix: 'a',
        onSlow: (s) => log.warn(s, 'slow rpc'),
        onBadFrame: (b) => log.warn(b, 'bad frame from the control plane'),
      },
    );
    peer.handle('task.assign', (a) => this.supervisor.assign(a));
    peer.handle('task.command', (c) => {
      this.supervisor.command(c.taskId, c.leaseId, c.command);
      return {};
    });
    handleCustomerNetworkWork(peer, this.o.loadEngine);
    this.peer = peer;
    for (const t of r.revokedTasks) this.supervisor.abandon(t, 'the control plane no longer recognises this lease');
    log.info({ protocolVersion: r.protocolVersion, heartbeatMs: r.heartbeatMs, leaseTtlMs: r.leaseTtlMs }, 'connected to the control plane');
    this.setState('ready');
    for (const w of this.readyWaiters.splice(0)) w();

    this.timers.push(setInterval(() => void this.heartbeat(peer, ws), r.heartbeatMs));
    this.timers.push(setInterval(() => void this.extendLeases(peer), Math.max(100, Math.floor(r.leaseTtlMs / 4))));
    void this.heartbeat(peer, ws);
  }

  private missedHeartbeats = 0;

  private async heartbeat(peer: RpcPeer, ws: WebSocket): Promise<void> {
    const load = this.load.sample();
    try {
      const inFlight = this.supervisor.inFlight();
      const ack = await peer.call(
        'heartbeat',
        { inFlight, freeSlots: this.supervisor.freeSlots, cpu: load.cpu, rssBytes: load.rssBytes },
        { timeoutMs: this.ready?.heartbeatMs ?? 10_000 },
      );
      this.missedHeartbeats = 0;
      this.lastHeartbeatAt = Date.now();
      // Stale: the leases this heartbeat named (a task re-assigned here meanwhile runs under a new one).
      for (const t of ack.staleTasks)
        this.supervisor.abandon(t, 'the control plane no longer recognises this lease', inFlight.find((f) => f.taskId === t)?.leaseId);
      await this.writeStatus();
    } catch (e) {
      if (e instanceof RpcError && e.code === 'CLOSED') return;
      this.missedHeartbeats += 1;
      this.o.log.warn({ err: (e as Error).message, missed: this.missedHeartbeats }, 'heartbeat failed');
      if (this.missedHeartbeats >= 3) ws.terminate();
    }
  }

  private async extendLeases(peer: RpcPeer): Promise<void> {
    await Promise.all(
      this.supervisor.inFlight().map(async (f) => {
        try {
          const r = await peer.call('lease.extend', f, { timeoutMs: Math.max(1_000, Math.floor((this.ready?.leaseTtlMs ?? 30_000) / 4)) });
          // Commands are echoed in every lease ack, so a lost push is repaired here.
          this.supervisor.command(f.taskId, f.leaseId, r.command);
          if (r.tables) this.supervisor.tables(f.taskId, f.leaseId, r.tables);
          if (r.schemaApprovals) this.supervisor.schemaApprovals(f.taskId, f.leaseId, r.schemaApprovals);
        } catch (e) {
          if (e instanceof RpcError && (e.code === 'STALE_LEASE' || e.code === 'NOT_FOUND')) this.supervisor.abandon(f.taskId, e.message, f.leaseId);
        }
      }),
    );
  }

  private onClosed(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
    this.peer?.close('disconnected from the control plane');
    this.peer = null;
    this.ws = null;
    this.ready = null;
    this.missedHeartbeats = 0;
  }

  private setState(s: SessionState): void {
    if (this.state === 'draining' && s !== 'stopped') return;
    this.state = s;
    void this.writeStatus();
  }

  private statusWrite: Promise<void> = Promise.resolve();

  private writeStatus(): Promise<void> {
    const file = this.o.statusFile;
    if (!file) return Promise.resolve();
    const body = JSON.stringify(
      {
        pid: process.pid,
        agentId: this.o.creds.agentId,
        apiUrl: this.o.apiUrl,
        state: this.state,
        agentVersion: AGENT_VERSION,
        capacity: this.supervisor.capacity,
        freeSlots: this.supervisor.freeSlots,
        inFlight: this.supervisor.inFlight(),
        tables: this.supervisor.tableStates(),
        connectedAt: this.connectedAt ? new Date(this.connectedAt).toISOString() : null,
        lastHeartbeatAt: this.lastHeartbeatAt ? new Date(this.lastHeartbeatAt).toISOString() : null,
        lastError: this.lastError,
        updatedAt: new Date().toISOString(),
      },
      null,
      2,
    );
    this.statusWrite = this.statusWrite.then(async () => {
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        await writeFile(tmp, body + '\n', { mode: 0o600 });
        await rename(tmp, file);
      } catch (e) {
        this.o.log.debug({ err: (e as Error).message }, 'could not write the status file');
      }
    });
    return this.statusWrite;
  }
}
