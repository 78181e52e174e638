/**
 * One connection of the agent's session (see session.ts): the outbound
 * WebSocket to `<api>/agent`, the signed hello/connect/ready handshake, the
 * dead-connection timer, and the routing of live frames to the session. The
 * promise resolves when an established session closes and rejects when the
 * handshake fails or the control plane refuses the agent for good.
 */
import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Logger } from 'pino';
import { PROTOCOL_VERSIONS, frame, parseFrame, type Payload } from '../protocol';
import { signConnect } from './credentials';
import type { Supervisor } from './supervisor';
import { AGENT_VERSION } from './version';

/** The server refused us and told us not to retry (revoked, unknown, forged...). */
export class RefusedError extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {
    super(`the control plane refused this agent (${code}): ${reason}`);
  }
}

export function agentSocketUrl(apiUrl: string): string {
  const u = new URL(apiUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : u.protocol === 'http:' ? 'ws:' : u.protocol;
  u.pathname = u.pathname.replace(/\/+$/, '') + '/agent';
  u.search = '';
  return u.toString();
}

/** What one connection needs from the session that owns it. */
export interface SocketHooks {
  apiUrl: string;
  ca: Buffer | undefined;
  log: Logger;
  agentId: string;
  key: KeyObject;
  supervisor: Pick<Supervisor, 'capacity' | 'inFlight'>;
  /** The negotiated heartbeat interval once the session is ready, else null. */
  heartbeatMs(): number | null;
  onSocket(ws: WebSocket): void;
  onReady(ws: WebSocket, r: Payload<'ready'>): void;
  /** A frame of the established session (RPC traffic). */
  onFrame(raw: string): void;
  onError(message: string): void;
  onClosed(): void;
}

export function connectOnce(h: SocketHooks): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const url = agentSocketUrl(h.apiUrl);
    const ws = new WebSocket(url, {
      handshakeTimeout: 10_000,
      maxPayload: 16 << 20,
      ...(h.ca ? { ca: h.ca } : {}),
      headers: { 'user-agent': `sluice-agent/${AGENT_VERSION}` },
    });
    h.onSocket(ws);
    let phase: 'hello' | 'connect' | 'ready' = 'hello';
    let connectId = '';
    let settled = false;
    let refused: RefusedError | null = null;
    const handshakeTimer = setTimeout(() => ws.terminate(), 15_000);
    let deadTimer: ReturnType<typeof setTimeout> | null = null;
    const armDeadTimer = () => {
      const heartbeatMs = h.heartbeatMs();
      if (heartbeatMs === null) return;
      if (deadTimer) clearTimeout(deadTimer);
      // No frame and no ping for 3 heartbeats: the TCP connection is dead.
      deadTimer = setTimeout(() => {
        h.log.warn('no traffic from the control plane for 3 heartbeats: reconnecting');
        ws.terminate();
      }, heartbeatMs * 3);
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
            h.log.error({ code: r.code, reason: r.reason }, 'the control plane ended the session');
            if (!r.retry) refused = new RefusedError(r.code, r.reason);
            return;
          }
        }
        h.onFrame(raw);
        return;
      }
      const parsed = parseFrame(raw);
      if (!parsed.ok) {
        h.log.error({ err: parsed.message }, 'bad frame during handshake');
        ws.close(1002, 'bad handshake frame');
        return;
      }
      const env = parsed.env;
      if (env.type === 'refused') {
        const r = env.payload as Payload<'refused'>;
        h.log.error({ code: r.code, reason: r.reason, retry: r.retry }, 'the control plane refused the connection');
        if (!r.retry) refused = new RefusedError(r.code, r.reason);
        return;
      }
      if (phase === 'hello' && env.type === 'hello') {
        const hello = env.payload as Payload<'hello'>;
        const ts = Date.now();
        connectId = `c${randomUUID().slice(0, 8)}`;
        ws.send(
          frame(
            'connect',
            {
              agentId: h.agentId,
              protocolVersions: [...PROTOCOL_VERSIONS],
              agentVersion: AGENT_VERSION,
              capacity: h.supervisor.capacity,
              inFlight: h.supervisor.inFlight(),
              ts,
              nonce: hello.nonce,
              signature: signConnect(h.key, hello.nonce, h.agentId, ts),
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
        h.onReady(ws, r);
        phase = 'ready';
        armDeadTimer();
        return;
      }
      h.log.error({ type: env.type, phase }, 'unexpected frame during handshake');
      ws.close(1002, 'unexpected handshake frame');
    });
    ws.on('error', (e) => {
      h.onError(e.message);
      h.log.warn({ err: e.message }, 'agent socket error');
    });
    ws.on('close', (code, reasonBuf) => {
      clearTimeout(handshakeTimer);
      if (deadTimer) clearTimeout(deadTimer);
      h.onClosed();
      const reason = reasonBuf.toString();
      if (settled) return;
      settled = true;
      if (refused) return reject(refused);
      if (phase === 'ready') {
        h.log.warn({ code, reason }, 'disconnected from the control plane');
        resolve();
      } else reject(new Error(`connection closed during the handshake (code ${code}${reason ? `: ${reason}` : ''})`));
    });
  });
}
