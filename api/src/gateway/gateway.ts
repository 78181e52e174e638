/**
 * The `/agent` WebSocket endpoint on the api's HTTP server (ws, noServer,
 * upgrade route). Holds this process's agent sockets, batches heartbeats into
 * one UPDATE per second, and runs the scheduler for the agents it holds.
 */
import type { IncomingMessage } from 'node:http';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { RpcError, type MessageType, type Payload, type ReplyOf } from '@sluice/agent/protocol';
import type { AgentRouter, AlertSignals, Persistence, Publisher } from '../core/ports';
import type { Env } from '../env';
import { clientIp } from '../http/request';
import type { Logger } from '../logger';
import { agentTopics } from '../services/agents/identity';
import type { LeaseTimers } from '../services/scheduling/lease-timers';
import type { AgentDirectory, Scheduler } from '../services/scheduling/scheduler';
import type { TaskService } from '../services/scheduling/task-service';
import type { AgentSessions } from '../services/agents/agent-sessions';
import { AgentConnection, type ConnectionHost, type GatewayOptions } from './connection';
import type { GatewayMetrics } from './metrics';

export type { GatewayOptions } from './connection';

export type GatewayDeps = Persistence & { pubsub: Publisher; env: Pick<Env, 'TRUST_PROXY'>; alerts: AlertSignals };

export class AgentGateway implements AgentDirectory, AgentRouter, ConnectionHost {
  /** Identifies this process's sockets in agents.connection_id. */
  readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly wss: WebSocketServer;
  readonly log: Logger;
  scheduler!: Scheduler;
  /** New pending tasks (a spread load's chunk tasks): nudges the scheduler of every api process (Redis). */
  tasksPending: (e: { tenantId: string; jobId: string; runId: string }) => Promise<void> = async () => this.scheduler?.kick();
  tasks!: TaskService;
  sessions!: AgentSessions;
  onAgentReady?: (tenantId: string, agentId: string) => void;
  closing = false;
  private seq = 0;
  private readonly byAgent = new Map<string, AgentConnection>();
  private readonly byTenant = new Map<string, Set<AgentConnection>>();
  /** nonce -> issued at; consumed nonces are kept until they age out so a replay is named as such. */
  private readonly nonces = new Map<string, { at: number; used: boolean }>();
  private readonly pendingHeartbeats = new Map<
    string,
    { tenantId: string; id: string; connectionId: string; inFlight: number; capacity: number; cpu: number; rssBytes: number; at: Date }
  >();
  private readonly timersList: ReturnType<typeof setInterval>[] = [];
  private readonly publishAt = new Map<string, number>();

  constructor(
    readonly deps: GatewayDeps,
    readonly o: GatewayOptions,
    readonly metrics: GatewayMetrics,
    readonly timers: LeaseTimers,
  ) {
    this.log = deps.logger.child({ component: 'agent-gateway' });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: o.maxFrameBytes, perMessageDeflate: false });
    this.wss.on('connection', (ws, req: IncomingMessage) => {
      const ip = clientIp(req, deps.env.TRUST_PROXY);
      new AgentConnection(this, ws, `${this.instanceId}/${++this.seq}`, ip);
    });
    this.timersList.push(setInterval(() => void this.flushHeartbeats(), 1_000));
    this.timersList.push(setInterval(() => this.pruneNonces(), 60_000));
    this.timersList.push(setInterval(() => void this.sweep(), Math.max(1_000, Math.floor(o.leaseTtlMs / 2))));
  }

  handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (this.closing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  };

  rememberNonce(nonce: string): void {
    this.nonces.set(nonce, { at: Date.now(), used: false });
  }
  nonceWasIssued(nonce: string): boolean {
    return this.nonces.has(nonce);
  }
  /** Single use: true the first time only. */
  consumeNonce(nonce: string): boolean {
    const n = this.nonces.get(nonce);
    if (!n || n.used) return false;
    n.used = true;
    return true;
  }
  private pruneNonces(): void {
    const cutoff = Date.now() - Math.max(10 * 60_000, this.o.maxClockSkewMs * 2);
    for (const [k, v] of this.nonces) if (v.at < cutoff) this.nonces.delete(k);
  }

  attach(c: AgentConnection): void {
    const prev = this.byAgent.get(c.identity.agentId);
    if (prev && prev !== c) prev.kick({ code: 'REPLACED', reason: 'a newer connection of this agent took over', retry: false }, 4409);
    this.byAgent.set(c.identity.agentId, c);
    let set = this.byTenant.get(c.identity.tenantId);
    if (!set) this.byTenant.set(c.identity.tenantId, (set = new Set()));
    set.add(c);
    this.metrics.connections.set(this.byAgent.size);
  }

  detach(c: AgentConnection): void {
    if (this.byAgent.get(c.identity.agentId) === c) this.byAgent.delete(c.identity.agentId);
    this.byTenant.get(c.identity.tenantId)?.delete(c);
    this.pendingHeartbeats.delete(c.identity.agentId);
    this.metrics.connections.set(this.byAgent.size);
  }

  onlineInTenant(tenantId: string): AgentConnection[] {
    return [...(this.byTenant.get(tenantId) ?? [])].filter((c) => c.usable());
  }

  get(agentId: string): AgentConnection | undefined {
    return this.byAgent.get(agentId);
  }

  get size(): number {
    return this.byAgent.size;
  }

  /** Calls an agent of the tenant: the chosen one, or the least busy online one. */
  async callTenantAgent<T extends MessageType>(
    tenantId: string,
    agentId: string | undefined,
    type: T,
    payload: Payload<T>,
    timeoutMs: number,
  ): Promise<{ agentId: string; reply: ReplyOf<T> }> {
    let target: AgentConnection | undefined;
    if (agentId) {
      const c = this.byAgent.get(agentId);
      target = c && c.identity.tenantId === tenantId && c.usable() ? c : undefined;
      if (!target) throw new RpcError('NOT_FOUND', `agent ${agentId} is not online`);
    } else {
      const online = this.onlineInTenant(tenantId);
      online.sort(
        (a, b) => (a.lastHeartbeat?.inFlight.length ?? 0) / Math.max(1, a.capacity) - (b.lastHeartbeat?.inFlight.length ?? 0) / Math.max(1, b.capacity),
      );
      target = online[0];
      if (!target) throw new RpcError('NOT_FOUND', 'no agent of this organisation is online');
    }
    const reply = await target.call(type, payload, { timeoutMs });
    return { agentId: target.identity.agentId, reply };
  }

  /** Heartbeat: recorded in memory now, written to Postgres in the next batch. */
  async heartbeat(c: AgentConnection, p: Payload<'heartbeat'>): Promise<Payload<'heartbeat.ack'>> {
    const started = performance.now();
    c.lastHeartbeat = p;
    const a = c.identity;
    this.pendingHeartbeats.set(a.agentId, {
      tenantId: a.tenantId,
      id: a.agentId,
      connectionId: c.connectionId,
      inFlight: p.inFlight.length,
      capacity: c.capacity,
      cpu: p.cpu,
      rssBytes: Math.min(p.rssBytes, 2 ** 31 - 1),
      at: new Date(),
    });
    let staleTasks: string[] = [];
    if (p.inFlight.length > 0) {
      // Anything the agent runs whose lease it no longer holds must stop.
      const held = await this.deps.repos.tasks.heldByAgents(a.tenantId, [a.agentId]);
      const current = new Set(held.map((t) => `${t.id}/${t.leaseId}`));
      staleTasks = p.inFlight.filter((f) => !current.has(`${f.taskId}/${f.leaseId}`)).map((f) => f.taskId);
    }
    this.metrics.heartbeat.observe((performance.now() - started) / 1000);
    return { serverTime: Date.now(), staleTasks };
  }

  private async flushHeartbeats(): Promise<void> {
    if (this.pendingHeartbeats.size === 0) return;
    const rows = [...this.pendingHeartbeats.values()];
    this.pendingHeartbeats.clear();
    const end = this.metrics.heartbeatFlush.startTimer();
    try {
      await this.deps.repos.agentAuth.heartbeatBatch(rows);
    } catch (err) {
      if (!this.closing) this.log.warn({ err, n: rows.length }, 'heartbeat flush failed');
    } finally {
      end();
    }
    const tenants = new Set(rows.map((r) => r.tenantId));
    for (const t of tenants) await this.publishAgentsUpdated(t, null, 5_000);
  }

  /** Publishes agentsUpdated for a tenant, at most every `minGapMs` (heartbeats), or at once (connect/disconnect). */
  async publishAgentsUpdated(tenantId: string, agentId: string | null, minGapMs = 0): Promise<void> {
    const now = Date.now();
    if (minGapMs > 0 && now - (this.publishAt.get(tenantId) ?? 0) < minGapMs) return;
    this.publishAt.set(tenantId, now);
    try {
      await this.deps.pubsub.publish(agentTopics.agentsUpdated(tenantId), { tenantId, agentId, at: new Date(now).toISOString() });
    } catch (err) {
      this.log.warn({ err }, 'could not publish agentsUpdated');
    }
  }

  private async sweep(): Promise<void> {
    try {
      await this.scheduler.sweepExpired();
      const stale = await this.deps.repos.agentAuth.markStaleOffline(new Date(Date.now() - this.o.heartbeatMs * 3 - 2_000));
      for (const s of stale) {
        if (!this.byAgent.has(s.id)) await this.publishAgentsUpdated(s.tenantId, s.id);
        await this.deps.alerts.agentOffline(s.tenantId, s.id);
      }
      this.scheduler.kick();
    } catch (err) {
      if (!this.closing) this.log.warn({ err }, 'agent sweep failed');
    }
  }

  /** Revoked or removed: close its socket now. */
  disconnect(agentId: string, code: string, reason: string): boolean {
    const c = this.byAgent.get(agentId);
    if (!c) return false;
    c.kick({ code, reason, retry: false });
    return true;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.timersList) clearInterval(t);
    await this.flushHeartbeats();
    for (const c of this.wss.clients) c.close(1012, 'server restarting');
    await new Promise((r) => setTimeout(r, 50));
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
  }
}
