/**
 * The agent's session with the control plane: an outbound WebSocket to
 * `<api>/agent`, the signed handshake, two-way RPC, heartbeats, lease
 * extensions, and reconnects with capped exponential backoff and full jitter.
 * It runs inside a worker thread (see session-worker.ts) so that timers never
 * starve behind other work in the process.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { writeFile, rename } from 'node:fs/promises';
import WebSocket from 'ws';
import type { Logger } from 'pino';
import {
  PROTOCOL_VERSIONS,
  RpcError,
  RpcPeer,
  frame,
  parseFrame,
  type MessageType,
  type Payload,
  type ReplyOf,
} from '../protocol';
import { fullJitterDelay, sleep } from './backoff';
import type { Credentials } from './credentials';
import { signConnect } from './credentials';
import type { EngineModule } from './engine';
import { Supervisor, type Upstream } from './supervisor';
import { LoadSampler } from './load';
import { handleCustomerNetworkWork } from './network-work';

import { AGENT_VERSION } from './version';
export { AGENT_VERSION };

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

/** The server refused us and told us not to retry (revoked, unknown, forged...). */
export class RefusedError extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {
    super(`the control plane refused this agent (${code}): ${reason}`);
  }
}

interface ReadyInfo {
  protocolVersion: number;
  heartbeatMs: number;
  leaseTtlMs: number;
  maxFrameBytes: number;
}

export function agentSocketUrl(apiUrl: string): string {
  const u = new URL(apiUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : u.protocol === 'http:' ? 'ws:' : u.protocol;
  u.pathname = u.pathname.replace(/\/+$/, '') + '/agent';
  u.search = '';
  return u.toString();
}

export class AgentSession implements Upstream {
  readonly supervisor: Supervisor;
  private state: SessionState = 'connecting';
  private peer: RpcPeer | null = null;
  private ws: WebSocket | null = null;
  private ready: ReadyInfo | null = null;
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
    this.supervisor = new Supervisor({ capacity: o.capacity, maxRestarts: o.maxTaskRestarts, upstream: this, log: o.log });
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
      const delay = fullJitterDelay(attempt++, this.o.reconnectBaseMs, this.o.reconnectCapMs);
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
    const deadline = Date.now() + Math.max(10_000, (this.ready?.leaseTtlMs ?? 30_000) * 2);
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
    return new Promise<void>((resolve, reject) => {
      const url = agentSocketUrl(this.o.apiUrl);
      const ws = new WebSocket(url, {
        handshakeTimeout: 10_000,
        maxPayload: 16 << 20,
        ...(this.ca ? { ca: this.ca } : {}),
        headers: { 'user-agent': `sluice-agent/${AGENT_VERSION}` },
      });
      this.ws = ws;
      let phase: 'hello' | 'connect' | 'ready' = 'hello';
      let connectId = '';
      let settled = false;
      let refused: RefusedError | null = null;
      const handshakeTimer = setTimeout(() => ws.terminate(), 15_000);
      let deadTimer: ReturnType<typeof setTimeout> | null = null;
      const armDeadTimer = () => {
        if (!this.ready) return;
        if (deadTimer) clearTimeout(deadTimer);
        // No frame and no ping for 3 heartbeats: the TCP connection is dead.
        deadTimer = setTimeout(() => {
          this.o.log.warn('no traffic from the control plane for 3 heartbeats: reconnecting');
          ws.terminate();
        }, this.ready.heartbeatMs * 3);
      };

      ws.on('ping', armDeadTimer);
      ws.on('message', (data, isBinary) => {
        armDeadTimer();
        const raw = isBinary ? '' : data.toString();
        if (phase === 'ready') {
          // The server may end a live session for good (revoked, replaced): no reconnect then.
          if (raw.includes('"refused"')) {
            const p = parseFrame(raw);
            if (p.ok && p.env.type === 'refused' && !p.env.replyTo) {
              const r = p.env.payload as Payload<'refused'>;
              this.o.log.error({ code: r.code, reason: r.reason }, 'the control plane ended the session');
              if (!r.retry) refused = new RefusedError(r.code, r.reason);
              return;
            }
          }
          this.peer?.receive(raw);
          return;
        }
        const parsed = parseFrame(raw);
        if (!parsed.ok) {
          this.o.log.error({ err: parsed.message }, 'bad frame during handshake');
          ws.close(1002, 'bad handshake frame');
          return;
        }
        const env = parsed.env;
        if (env.type === 'refused') {
          const r = env.payload as Payload<'refused'>;
          this.o.log.error({ code: r.code, reason: r.reason, retry: r.retry }, 'the control plane refused the connection');
          if (!r.retry) refused = new RefusedError(r.code, r.reason);
          return;
        }
        if (phase === 'hello' && env.type === 'hello') {
          const h = env.payload as Payload<'hello'>;
          const ts = Date.now();
          connectId = `c${randomUUID().slice(0, 8)}`;
          ws.send(
            frame(
              'connect',
              {
                agentId: this.o.creds.agentId,
                protocolVersions: [...PROTOCOL_VERSIONS],
                agentVersion: AGENT_VERSION,
                capacity: this.supervisor.capacity,
                inFlight: this.supervisor.inFlight(),
                ts,
                nonce: h.nonce,
                signature: signConnect(this.key, h.nonce, this.o.creds.agentId, ts),
              },
              { id: connectId },
            ),
          );
          phase = 'connect';
          return;
        }
        if (phase === 'connect' && env.type === 'ready' && env.replyTo === connectId) {
          clearTimeout(handshakeTimer);
          const r = env.payload as Payload<'ready'>;
          this.onReady(ws, r);
          phase = 'ready';
          armDeadTimer();
          return;
        }
        this.o.log.error({ type: env.type, phase }, 'unexpected frame during handshake');
        ws.close(1002, 'unexpected handshake frame');
      });
      ws.on('error', (e) => {
        this.lastError = e.message;
        this.o.log.warn({ err: e.message }, 'agent socket error');
      });
      ws.on('close', (code, reasonBuf) => {
        clearTimeout(handshakeTimer);
        if (deadTimer) clearTimeout(deadTimer);
        this.onClosed();
        const reason = reasonBuf.toString();
        if (settled) return;
        settled = true;
        if (refused) return reject(refused);
        if (phase === 'ready') {
          this.o.log.warn({ code, reason }, 'disconnected from the control plane');
          resolve();
        } else reject(new Error(`connection closed during the handshake (code ${code}${reason ? `: ${reason}` : ''})`));
      });
    });
  }

  private onReady(ws: WebSocket, r: Payload<'ready'>): void {
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
      const ack = await peer.call(
        'heartbeat',
        { inFlight: this.supervisor.inFlight(), freeSlots: this.supervisor.freeSlots, cpu: load.cpu, rssBytes: load.rssBytes },
        { timeoutMs: this.ready?.heartbeatMs ?? 10_000 },
      );
      this.missedHeartbeats = 0;
      this.lastHeartbeatAt = Date.now();
      for (const t of ack.staleTasks) this.supervisor.abandon(t, 'the control plane no longer recognises this lease');
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
        } catch (e) {
          if (e instanceof RpcError && (e.code === 'STALE_LEASE' || e.code === 'NOT_FOUND')) this.supervisor.abandon(f.taskId, e.message);
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
