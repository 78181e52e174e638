/**
 * One agent socket: the handshake (hello{nonce} -> signed connect -> ready or
 * refused), then two-way RPC. Every handler below only decodes and delegates;
 * the tenant is the one from the agent's row, found by the id whose key signed
 * this socket's nonce.
 */
import { randomBytes } from 'node:crypto';
import type WebSocket from 'ws';
import { PROTOCOL_VERSIONS, RpcError, RpcPeer, frame, parseFrame, type MessageType, type Payload, type ReplyOf } from '@sluice/agent/protocol';
import type { Persistence } from '../core/ports';
import type { Logger } from '../logger';
import { writeAuditAlone } from '../services/audit/audit';
import type { AgentIdentity } from '../services/agents/identity';
import type { AgentSessions } from '../services/agents/agent-sessions';
import { OwnershipViolation, type TaskService } from '../services/scheduling/task-service';
import type { AgentLink } from '../services/scheduling/scheduler';
import { storeTaskReceipt } from '../services/scheduling/task-receipts';
import { handleChunks } from '../services/scheduling/chunk-tasks';
import type { GatewayMetrics } from './metrics';
import { authenticateConnect, type Refusal } from './authenticate';

export type { Refusal } from './authenticate';

type Phase = 'hello' | 'ready' | 'closed';

export interface GatewayOptions {
  heartbeatMs: number;
  leaseTtlMs: number;
  maxFrameBytes: number;
  maxClockSkewMs: number;
  maxViolations: number;
  handshakeTimeoutMs: number;
  slowMs: number;
}

/** What a connection needs from the gateway holding it (the gateway implements it; this file does not import it). */
export interface ConnectionHost {
  readonly log: Logger;
  readonly o: GatewayOptions;
  /** For audits of refusals and bad frames (written on their own). */
  readonly deps: Persistence;
  /** The session's domain writes (reconcile on connect, disconnect). */
  readonly sessions: Pick<AgentSessions, 'agentForAuth' | 'open' | 'close' | 'coolOff'>;
  readonly tasks: TaskService;
  readonly scheduler: { kick(): void };
  /** New pending tasks (chunk tasks): every api process's scheduler is nudged. */
  tasksPending(e: { tenantId: string; jobId: string; runId: string }): Promise<void>;
  /** An agent finished its handshake (work waiting for one of its tenant's agents may run now). */
  onAgentReady?: (tenantId: string, agentId: string) => void;
  readonly metrics: GatewayMetrics;
  readonly closing: boolean;
  rememberNonce(nonce: string): void;
  nonceWasIssued(nonce: string): boolean;
  consumeNonce(nonce: string): boolean;
  attach(c: AgentConnection): void;
  detach(c: AgentConnection): void;
  heartbeat(c: AgentConnection, p: Payload<'heartbeat'>): Promise<Payload<'heartbeat.ack'>>;
  publishAgentsUpdated(tenantId: string, agentId: string | null, minGapMs?: number): Promise<void>;
}

export class AgentConnection implements AgentLink {
  identity!: AgentIdentity;
  capacity = 0;
  agentVersion = '';
  protocolVersion = 0;
  private phase: Phase = 'hello';
  private readonly nonce = randomBytes(24).toString('base64url');
  private peer: RpcPeer | null = null;
  private violations = 0;
  private handshakeTimer: ReturnType<typeof setTimeout>;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private alive = true;
  private readonly log: Logger;
  /** Last heartbeat (for agents(): inFlight, cpu, rss) */
  lastHeartbeat: Payload<'heartbeat'> | null = null;

  constructor(
    private readonly gw: ConnectionHost,
    private readonly ws: WebSocket,
    readonly connectionId: string,
    readonly ip: string | null,
  ) {
    this.log = gw.log.child({ conn: connectionId });
    gw.rememberNonce(this.nonce);
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('close', (code, reason) => void this.onClose(code, reason.toString()));
    ws.on('error', (err) => this.onSocketError(err as Error & { code?: string }));
    ws.on('pong', () => (this.alive = true));
    this.handshakeTimer = setTimeout(
      () => void this.refuse({ code: 'HANDSHAKE_TIMEOUT', reason: `no signed connect within ${gw.o.handshakeTimeoutMs} ms`, retry: true }),
      gw.o.handshakeTimeoutMs,
    );
    ws.send(frame('hello', { nonce: this.nonce, serverTime: Date.now(), protocolVersions: [...PROTOCOL_VERSIONS] }));
  }

  usable(): boolean {
    return this.phase === 'ready' && this.peer !== null && !this.peer.closed;
  }

  call<T extends MessageType>(type: T, payload: Payload<T>, opts: { timeoutMs?: number } = {}): Promise<ReplyOf<T>> {
    if (!this.peer || this.phase !== 'ready') return Promise.reject(new RpcError('CLOSED', `agent ${this.identity?.agentId ?? '?'} is not connected`));
    return this.peer.call(type, payload, opts);
  }

  /** Closes with a reason the agent understands (revoked, replaced...). */
  kick(refusal: Refusal, wsCode = 4403): void {
    if (this.phase === 'closed') return;
    try {
      this.ws.send(frame('refused', refusal));
    } catch {
      /* socket already gone */
    }
    this.ws.close(wsCode, refusal.code.slice(0, 100));
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.phase === 'closed') return;
    const raw = isBinary ? null : data.toString('utf8');
    if (this.phase === 'ready') {
      if (raw === null) {
        void this.badFrame('BAD_FRAME', 'binary frames are not part of the protocol: send JSON text frames');
        return;
      }
      this.peer!.receive(raw);
      return;
    }
    void this.handshake(raw);
  }

  private async handshake(raw: string | null): Promise<void> {
    const gw = this.gw;
    if (raw === null) return this.refuse({ code: 'BAD_FRAME', reason: 'the first frame must be a JSON text connect frame', retry: false });
    const parsed = parseFrame(raw);
    if (!parsed.ok) return this.refuse({ code: 'BAD_FRAME', reason: `malformed connect frame: ${parsed.message}`, retry: false });
    if (parsed.env.type !== 'connect')
      return this.refuse({ code: 'BAD_FRAME', reason: `expected a connect frame after hello, got ${parsed.env.type}`, retry: false });
    this.phase = 'closed'; // no second connect while we check this one
    clearTimeout(this.handshakeTimer);
    const c = parsed.env.payload as Payload<'connect'>;
    const connectId = parsed.env.id;
    const refuse = (r: Refusal, tenantId: string | null = null) => this.refuse(r, c.agentId, tenantId, connectId);

    const auth = await authenticateConnect(gw, this.nonce, c);
    if (!auth.ok) return refuse(auth.refusal, auth.tenantId);
    const { agent, version } = auth;

    this.identity = { tenantId: agent.tenantId, agentId: agent.id, name: agent.name, connectionId: this.connectionId, ip: this.ip };
    this.capacity = c.capacity;
    this.agentVersion = c.agentVersion;
    this.protocolVersion = version;
    this.log.info({ agentId: agent.id, tenantId: agent.tenantId, version: c.agentVersion }, 'agent connected');

    // Reconcile what the agent says it runs with what the leases say (one transaction, in the service).
    let revokedTasks: string[] = [];
    try {
      ({ revokedTasks } = await gw.sessions.open({
        tenantId: agent.tenantId,
        agentId: agent.id,
        connectionId: this.connectionId,
        ip: this.ip,
        agentVersion: c.agentVersion,
        protocolVersion: version,
        capacity: c.capacity,
        inFlight: c.inFlight,
      }));
    } catch (err) {
      this.log.error({ err }, 'could not register the agent session');
      return refuse({ code: 'SERVER_ERROR', reason: 'the server could not set up the session; retrying', retry: true }, agent.tenantId);
    }

    this.peer = new RpcPeer(
      { send: (d) => this.ws.send(d), bufferedAmount: () => this.ws.bufferedAmount },
      {
        protocolVersion: version,
        maxFrameBytes: gw.o.maxFrameBytes,
        timeoutMs: 30_000,
        slowMs: gw.o.slowMs,
        idPrefix: 's',
        onMetric: (m) => gw.metrics.rpcObserver(m),
        onSlow: (s) => {
          gw.metrics.slow.inc({ side: s.direction, type: s.type });
          this.log.warn({ ...s, agentId: agent.id }, 'slow agent rpc');
        },
        onBadFrame: (b) => void this.badFrame(b.code, b.message),
      },
    );
    this.registerHandlers(this.peer);
    this.phase = 'ready';
    gw.attach(this);
    this.ws.send(
      frame(
        'ready',
        {
          protocolVersion: version,
          agentId: agent.id,
          heartbeatMs: gw.o.heartbeatMs,
          leaseTtlMs: gw.o.leaseTtlMs,
          maxFrameBytes: gw.o.maxFrameBytes,
          revokedTasks,
        },
        { replyTo: connectId, v: version },
      ),
    );
    gw.metrics.handshakes.inc({ outcome: 'ok' });
    this.pingTimer = setInterval(() => {
      if (!this.alive) {
        this.log.warn({ agentId: agent.id }, 'agent did not answer a ping: closing');
        this.ws.terminate();
        return;
      }
      this.alive = false;
      this.ws.ping();
    }, gw.o.heartbeatMs);
    await gw.publishAgentsUpdated(agent.tenantId, agent.id);
    gw.scheduler.kick();
    gw.onAgentReady?.(agent.tenantId, agent.id);
  }

  private registerHandlers(peer: RpcPeer): void {
    const gw = this.gw;
    const ts = gw.tasks;
    const id = () => this.identity;
    const guard =
      <T extends MessageType>(type: T, fn: (p: Payload<T>) => Promise<ReplyOf<T>>) =>
      async (p: Payload<T>): Promise<ReplyOf<T>> => {
        try {
          return await fn(p);
        } catch (e) {
          if (e instanceof OwnershipViolation) this.onViolation(type);
          if (e instanceof RpcError) throw e;
          this.log.error({ err: e, type }, 'agent message handler failed');
          throw new RpcError('INTERNAL', `${type} failed on the server; it will be retried`);
        }
      };
    peer.handle('heartbeat', (p) => gw.heartbeat(this, p));
    peer.handle(
      'lease.extend',
      guard('lease.extend', (p) => ts.extendLease(id(), p)),
    );
    peer.handle(
      'task.checkpoint',
      guard('task.checkpoint', (p) => ts.checkpoint(id(), p)),
    );
    peer.handle(
      'task.progress',
      guard('task.progress', (p) => ts.progress(id(), p)),
    );
    peer.handle(
      'task.log',
      guard('task.log', (p) => ts.log(id(), p)),
    );
    peer.handle(
      'task.event',
      guard('task.event', (p) => ts.event(id(), p)),
    );
    peer.handle(
      'task.complete',
      guard('task.complete', (p) => ts.complete(id(), p)),
    );
    peer.handle(
      'task.receipt',
      guard('task.receipt', (p) => storeTaskReceipt(gw.deps, ts, id(), p)),
    );
    peer.handle(
      'task.fail',
      guard('task.fail', (p) => ts.fail(id(), p)),
    );
    peer.handle(
      'task.release',
      guard('task.release', (p) => ts.release(id(), p)),
    );
    peer.handle(
      'task.paused',
      guard('task.paused', (p) => ts.paused(id(), p)),
    );
    peer.handle(
      'task.get',
      guard('task.get', (p) => ts.get(id(), p)),
    );
    peer.handle(
      'task.chunks',
      guard('task.chunks', (p) => handleChunks(gw.deps, ts, id(), p, (e) => gw.tasksPending(e))),
    );
    peer.handle(
      'datasource.get',
      guard('datasource.get', (p) => ts.dataSource(id(), p)),
    );
  }

  private onViolation(type: string): void {
    this.violations += 1;
    if (this.violations >= this.gw.o.maxViolations) {
      this.log.warn({ agentId: this.identity.agentId, violations: this.violations }, 'too many ownership violations: disconnecting the agent, cooling off');
      // The cooling-off period is recorded before the socket closes, so an immediate reconnect is refused.
      // Then give the error reply a moment to leave before closing.
      const kick = () =>
        setTimeout(
          () => this.kick({ code: 'TOO_MANY_VIOLATIONS', reason: `${this.violations} messages named resources this agent does not own`, retry: false }, 4403),
          20,
        );
      void this.gw.sessions
        .coolOff(this.identity, { violations: this.violations, lastType: type })
        .catch((err: unknown) => this.log.error({ err }, 'could not record the cooling-off period'))
        .finally(kick);
    }
  }

  private async badFrame(code: string, message: string): Promise<void> {
    this.gw.metrics.badFrames.inc({ code });
    this.log.warn({ code, err: message }, 'bad frame from agent');
    await this.auditBadFrame(code, message.slice(0, 500));
    if (this.phase === 'ready') {
      this.violations += 1;
      if (this.violations >= this.gw.o.maxViolations * 4) this.kick({ code: 'TOO_MANY_BAD_FRAMES', reason: 'too many malformed frames', retry: false }, 4400);
    }
  }

  /** `agent.bad_frame` (denied) in the audit log, in its own transaction. */
  private auditBadFrame(code: string, reason: string): Promise<void> {
    return writeAuditAlone(
      this.gw.deps,
      {
        tenantId: this.identity?.tenantId ?? null,
        actor: { type: this.identity ? 'agent' : 'anonymous', id: this.identity?.agentId ?? null },
        requestId: this.connectionId,
        ip: this.ip,
      },
      { action: 'agent.bad_frame', targetType: 'agent', targetId: this.identity?.agentId ?? null, outcome: 'denied', detail: { code, reason } },
    );
  }

  private async refuse(r: Refusal, agentId?: string, tenantId: string | null = null, replyTo?: string): Promise<void> {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.phase = 'closed';
    clearTimeout(this.handshakeTimer);
    this.gw.metrics.handshakes.inc({ outcome: r.code });
    this.log.warn({ code: r.code, agentId }, `agent refused: ${r.reason}`);
    try {
      this.ws.send(frame('refused', r, replyTo ? { replyTo } : {}));
    } catch {
      /* gone */
    }
    this.ws.close(r.retry ? 4503 : 4401, r.code.slice(0, 100));
    await writeAuditAlone(
      this.gw.deps,
      { tenantId, actor: { type: tenantId ? 'agent' : 'anonymous', id: agentId ?? null }, requestId: this.connectionId, ip: this.ip },
      { action: 'agent.auth_failure', targetType: 'agent', targetId: agentId ?? null, outcome: 'denied', detail: { code: r.code, reason: r.reason } },
    );
  }

  private onSocketError(err: Error & { code?: string }): void {
    if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      this.gw.metrics.badFrames.inc({ code: 'FRAME_TOO_LARGE' });
      void this.auditBadFrame('FRAME_TOO_LARGE', `a frame exceeded ${this.gw.o.maxFrameBytes} bytes; the socket was closed (1009)`);
    }
    this.log.warn({ err: err.message, code: err.code }, 'agent socket error');
  }

  private async onClose(code: number, reason: string): Promise<void> {
    const wasReady = this.phase === 'ready';
    this.phase = 'closed';
    clearTimeout(this.handshakeTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.peer?.close(`socket closed (${code})`);
    if (!wasReady || !this.identity) return;
    this.gw.detach(this);
    const a = this.identity;
    this.log.info({ agentId: a.agentId, code, reason }, 'agent disconnected');
    try {
      await this.gw.sessions.close(
        { tenantId: a.tenantId, agentId: a.agentId, connectionId: this.connectionId, ip: this.ip },
        { code, reason, shuttingDown: this.gw.closing },
      );
      await this.gw.publishAgentsUpdated(a.tenantId, a.agentId);
    } catch (err) {
      if (!this.gw.closing) this.log.warn({ err }, 'could not record the disconnect');
    }
  }
}
