/**
 * Subscriptions end when access ends.
 * - Every authenticated graphql-ws socket is tracked with the credential that opened it.
 * - A `CredentialRevoked` event on Redis pub/sub (from any api or worker process) closes
 *   the matching sockets at once with 4403, on every replica.
 * - Each delivery is re-checked against the credential's current validity (tenant, actor
 *   and role unchanged), cached for `ttlMs`, so even a lost event ends the stream at the
 *   next delivery after the cache expires.
 */
import { createHash } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { AuthContext, Authenticator, Credential, RequestMeta } from '../auth/context';
import { CREDENTIAL_REVOKED_TOPIC, credentialRevokedSchema, describeRevocation, revokes } from '../auth/credential-events';
import type { Logger } from '../logger';
import type { RedisPubSub } from '../pubsub/redis-pubsub';

/** graphql-ws's "Forbidden": the client does not retry. */
export const CLOSE_FORBIDDEN = 4403;

interface Tracked {
  cred: Credential;
  auth: AuthContext;
  meta: RequestMeta;
}

export interface GuardDeps {
  pubsub: RedisPubSub;
  authenticator: Authenticator;
  logger: Logger;
}

export class SubscriptionGuard {
  readonly #sockets = new Map<WebSocket, Tracked>();
  readonly #cache = new Map<string, { ok: boolean; at: number }>();
  #events: AsyncIterableIterator<unknown> | null = null;
  closedByRevocation = 0;

  constructor(
    private readonly deps: GuardDeps,
    private readonly ttlMs = 1000,
  ) {}

  /** Listens for revocations; resolves once Redis confirmed the subscription. */
  async start(): Promise<void> {
    const it = await this.deps.pubsub.subscribeReady<unknown>(CREDENTIAL_REVOKED_TOPIC);
    this.#events = it;
    void (async () => {
      for await (const raw of it) {
        const e = credentialRevokedSchema.safeParse(raw);
        if (!e.success) continue;
        this.#cache.clear();
        for (const [socket, t] of this.#sockets) {
          if (revokes(e.data, t.auth)) this.#close(socket, describeRevocation(e.data));
        }
      }
    })().catch((err: unknown) => this.deps.logger.warn({ err }, 'credential revocation listener stopped'));
  }

  stop(): void {
    void this.#events?.return?.();
    this.#sockets.clear();
    this.#cache.clear();
  }

  track(socket: WebSocket, cred: Credential, auth: AuthContext, meta: RequestMeta): void {
    if (this.#sockets.has(socket)) return;
    this.#sockets.set(socket, { cred, auth, meta });
    socket.once('close', () => this.#sockets.delete(socket));
  }

  /** Wraps a subscription's stream: each value is delivered only while the credential still grants access. */
  guard<T>(socket: WebSocket, source: AsyncIterable<T>): AsyncIterableIterator<T> {
    const inner = source[Symbol.asyncIterator]();
    const self = this;
    const it: AsyncIterableIterator<T> = {
      async next() {
        const r = await inner.next();
        if (r.done) return r;
        const t = self.#sockets.get(socket);
        if (t && !(await self.#stillValid(t))) {
          self.#close(socket, 'your access ended');
          await inner.return?.();
          return { value: undefined, done: true };
        }
        return r;
      },
      async return(v?: unknown) {
        await inner.return?.(v as never);
        return { value: undefined, done: true };
      },
      async throw(err?: unknown) {
        if (inner.throw) return inner.throw(err);
        throw err;
      },
      [Symbol.asyncIterator]() {
        return it;
      },
    };
    return it;
  }

  async #stillValid(t: Tracked): Promise<boolean> {
    const key = createHash('sha256').update(t.cred.token).digest('base64url');
    const hit = this.#cache.get(key);
    const now = Date.now();
    if (hit && now - hit.at < this.ttlMs) return hit.ok;
    let ok = false;
    try {
      const { auth } = await this.deps.authenticator.authenticate(t.cred, t.meta);
      ok = !!auth && auth.tenantId === t.auth.tenantId && auth.actor.id === t.auth.actor.id && auth.role === t.auth.role;
    } catch (err) {
      // Fail closed: a delivery we cannot authorise is not sent.
      this.deps.logger.warn({ err }, 'could not re-check a subscription credential');
    }
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(key, { ok, at: now });
    return ok;
  }

  #close(socket: WebSocket, why: string): void {
    this.#sockets.delete(socket);
    this.closedByRevocation++;
    try {
      socket.close(CLOSE_FORBIDDEN, `Forbidden: ${why}`.slice(0, 120));
    } catch {
      socket.terminate();
    }
  }
}
