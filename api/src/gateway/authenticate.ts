/**
 * The checks on an agent's signed connect frame, in order: the nonce is this
 * socket's, a protocol version in common, the clock within the allowed skew, a
 * registered and unrevoked agent whose key verifies the signature, the nonce not
 * used before, and no cooling-off period in force. A refusal says why and how to fix it.
 */
import { createPublicKey, verify } from 'node:crypto';
import { PROTOCOL_VERSIONS, signingInput, type Payload } from '@sluice/agent/protocol';
import type { AgentSessions } from '../services/agents/agent-sessions';

export interface Refusal {
  code: string;
  reason: string;
  retry: boolean;
}

/** What the checks need from the gateway. */
export interface ConnectAuthHost {
  readonly o: { maxClockSkewMs: number };
  readonly sessions: Pick<AgentSessions, 'agentForAuth'>;
  nonceWasIssued(nonce: string): boolean;
  consumeNonce(nonce: string): boolean;
}

type AuthAgent = NonNullable<Awaited<ReturnType<AgentSessions['agentForAuth']>>>;

export type ConnectAuth = { ok: true; agent: AuthAgent; version: number } | { ok: false; refusal: Refusal; tenantId: string | null };

const refused = (refusal: Refusal, tenantId: string | null = null): ConnectAuth => ({ ok: false, refusal, tenantId });

/** Checks `c` against the nonce this socket sent in its hello; consumes the nonce when everything else holds. */
export async function authenticateConnect(gw: ConnectAuthHost, nonce: string, c: Payload<'connect'>): Promise<ConnectAuth> {
  if (c.nonce !== undefined && c.nonce !== nonce) {
    const known = gw.nonceWasIssued(c.nonce);
    return refused({
      code: known ? 'REPLAYED_NONCE' : 'BAD_NONCE',
      reason: known
        ? 'this connect was signed for a nonce issued to another connection (a replayed frame): sign the nonce from this connection’s hello'
        : 'the signed nonce was never issued by this server: sign the nonce from this connection’s hello',
      retry: false,
    });
  }
  const version = Math.max(...c.protocolVersions.filter((v) => (PROTOCOL_VERSIONS as readonly number[]).includes(v)));
  if (!Number.isFinite(version))
    return refused({
      code: 'UNSUPPORTED_PROTOCOL',
      reason: `no common protocol version: the agent speaks ${c.protocolVersions.join(',')}, this server ${PROTOCOL_VERSIONS.join(',')}; upgrade the agent`,
      retry: false,
    });
  const skew = Math.abs(Date.now() - c.ts);
  if (skew > gw.o.maxClockSkewMs)
    return refused({
      code: 'CLOCK_SKEW',
      reason: `the agent's clock is ${Math.round(skew / 1000)} s off the server's (limit ${Math.round(gw.o.maxClockSkewMs / 1000)} s): synchronise it (NTP) and start again`,
      retry: false,
    });
  const agent = await gw.sessions.agentForAuth(c.agentId);
  if (!agent) return refused({ code: 'UNKNOWN_AGENT', reason: `agent ${c.agentId} is not registered: run sluice-agent register again`, retry: false });
  if (agent.revokedAt)
    return refused(
      { code: 'REVOKED', reason: `agent ${c.agentId} was revoked on ${agent.revokedAt.toISOString()}: register a new agent`, retry: false },
      agent.tenantId,
    );
  let valid = false;
  try {
    const key = createPublicKey({ key: Buffer.from(agent.publicKey, 'base64'), format: 'der', type: 'spki' });
    valid = verify(null, signingInput(nonce, c.agentId, c.ts), key, Buffer.from(c.signature, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid)
    return refused(
      { code: 'BAD_SIGNATURE', reason: 'the connect signature does not verify with the key registered for this agent', retry: false },
      agent.tenantId,
    );
  if (!gw.consumeNonce(nonce)) return refused({ code: 'REPLAYED_NONCE', reason: 'this nonce was already used', retry: false }, agent.tenantId);
  if (agent.coolingOffUntil && agent.coolingOffUntil.getTime() > Date.now()) {
    const secs = Math.ceil((agent.coolingOffUntil.getTime() - Date.now()) / 1000);
    return refused(
      {
        code: 'COOLING_OFF',
        reason: `agent ${c.agentId} was disconnected for naming resources it does not own; it may reconnect in ${secs} s (at ${agent.coolingOffUntil.toISOString()})`,
        retry: true,
      },
      agent.tenantId,
    );
  }
  return { ok: true, agent, version };
}
