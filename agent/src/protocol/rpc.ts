/**
 * A transport-agnostic RPC peer for the agent protocol, used by both sides
 * (the agent's session and the api's gateway). Callers write a plain
 * `await peer.call(type, payload)`; replies are matched by `replyTo`, every
 * call has a timeout and can be cancelled, slow calls are reported, and
 * sending waits while the transport's `bufferedAmount` is above a high-water
 * mark instead of growing the socket buffer without bound.
 *
 * No dependency besides the protocol schemas: the api imports this through
 * `@sluice/agent/protocol`.
 */
import {
  CURRENT_PROTOCOL_VERSION,
  parseFrame,
  replyTypes,
  type Envelope,
  type MessageType,
  type Payload,
  type ProtocolErrorCode,
  type ReplyOf,
} from './messages';

export class RpcError extends Error {
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export interface RpcTransport {
  send(data: string): void;
  /** Bytes queued in the socket and not yet written (WebSocket#bufferedAmount). */
  bufferedAmount(): number;
}

export type RpcMetric =
  | { kind: 'call'; type: string; outcome: 'ok' | 'error' | 'timeout' | 'cancelled' | 'closed'; ms: number }
  | { kind: 'handled'; type: string; outcome: 'ok' | 'error'; ms: number }
  | { kind: 'in' | 'out'; type: string; bytes: number }
  | { kind: 'bad_frame'; code: ProtocolErrorCode; message: string };

export interface RpcPeerOptions {
  /** Default per-call timeout. */
  timeoutMs?: number;
  /** Calls and handlers slower than this are reported through `onSlow`. */
  slowMs?: number;
  /** Sending pauses while the transport holds more than this many bytes. */
  highWaterMark?: number;
  /** Frames larger than this are refused locally (the peer would close the socket). */
  maxFrameBytes?: number;
  /** At most this many frames wait for the buffer to drain; beyond it sends fail with OVERLOADED. */
  maxQueuedFrames?: number;
  protocolVersion?: number;
  /** Prefix for ids this side mints (helps when reading logs of both sides). */
  idPrefix?: string;
  onSlow?(info: { direction: 'call' | 'handled'; type: string; ms: number }): void;
  onMetric?(m: RpcMetric): void;
  /** A frame arrived that is not a valid request or reply. */
  onBadFrame?(info: { code: ProtocolErrorCode; message: string; id?: string }): void;
}

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HandlerContext {
  /** The request's id. */
  id: string;
  /** Aborted when the caller cancels, or when the peer closes. */
  signal: AbortSignal;
}

type Handler<T extends MessageType> = (payload: Payload<T>, ctx: HandlerContext) => Promise<ReplyOf<T>> | ReplyOf<T>;
type AnyHandler = (payload: unknown, ctx: HandlerContext) => Promise<unknown> | unknown;

interface Pending {
  type: string;
  started: number;
  timer: ReturnType<typeof setTimeout>;
  resolve(v: unknown): void;
  reject(e: unknown): void;
  cleanup(): void;
}

const now = () => performance.now();

export class RpcPeer {
  private readonly pending = new Map<string, Pending>();
  private readonly handlers = new Map<string, AnyHandler>();
  private readonly inbound = new Map<string, AbortController>();
  private readonly queue: string[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private seq = 0;
  private closedReason: string | null = null;
  private readonly opts: Required<Omit<RpcPeerOptions, 'onSlow' | 'onMetric' | 'onBadFrame'>> & Pick<RpcPeerOptions, 'onSlow' | 'onMetric' | 'onBadFrame'>;

  constructor(
    private readonly transport: RpcTransport,
    opts: RpcPeerOptions = {},
  ) {
    this.opts = {
      timeoutMs: opts.timeoutMs ?? 30_000,
      slowMs: opts.slowMs ?? 1_000,
      highWaterMark: opts.highWaterMark ?? 1 << 20,
      maxFrameBytes: opts.maxFrameBytes ?? 1 << 20,
      maxQueuedFrames: opts.maxQueuedFrames ?? 10_000,
      protocolVersion: opts.protocolVersion ?? CURRENT_PROTOCOL_VERSION,
      idPrefix: opts.idPrefix ?? '',
      onSlow: opts.onSlow,
      onMetric: opts.onMetric,
      onBadFrame: opts.onBadFrame,
    };
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  setMaxFrameBytes(n: number): void {
    this.opts.maxFrameBytes = n;
  }

  /** Registers the handler for one request type. The handler's return value is the reply payload. */
  handle<T extends MessageType>(type: T, handler: Handler<T>): this {
    this.handlers.set(type, handler as AnyHandler);
    return this;
  }

  /** Sends a request and resolves with the reply payload, or rejects with an RpcError. */
  call<T extends MessageType>(type: T, payload: Payload<T>, opts: CallOptions = {}): Promise<ReplyOf<T>> {
    if (this.closedReason) return Promise.reject(new RpcError('CLOSED', `cannot call ${type}: ${this.closedReason}`));
    if (opts.signal?.aborted) return Promise.reject(new RpcError('CANCELLED', `${type} cancelled before it was sent`));
    const id = this.nextId();
    const started = now();
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs;
    return new Promise<ReplyOf<T>>((resolve, reject) => {
      const onAbort = () => {
        const p = this.pending.get(id);
        if (!p) return;
        this.finish(id, 'cancelled');
        // Tell the other side to stop working on it; it still answers once, and we drop that answer.
        this.sendFrame({ v: this.opts.protocolVersion, id: this.nextId(), type: 'cancel', ts: Date.now(), payload: { requestId: id } }).catch(() => {});
        reject(new RpcError('CANCELLED', `${type} was cancelled by the caller`));
      };
      const timer = setTimeout(() => {
        if (!this.pending.has(id)) return;
        this.finish(id, 'timeout');
        this.sendFrame({ v: this.opts.protocolVersion, id: this.nextId(), type: 'cancel', ts: Date.now(), payload: { requestId: id } }).catch(() => {});
        reject(new RpcError('TIMEOUT', `${type} got no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        type,
        started,
        timer,
        resolve: resolve as (v: unknown) => void,
        reject,
        cleanup: () => {
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
        },
      });
      this.sendFrame({ v: this.opts.protocolVersion, id, type, ts: Date.now(), payload }).catch((e: unknown) => {
        if (!this.pending.has(id)) return;
        this.finish(id, 'error');
        reject(e instanceof RpcError ? e : new RpcError('INTERNAL', String(e)));
      });
    });
  }

  /** Feeds one raw frame received from the transport. */
  receive(raw: string): void {
    const parsed = parseFrame(raw);
    if (!parsed.ok) {
      // A reply we cannot parse still settles its call, so the caller is not left waiting.
      let replyTo: string | undefined;
      try {
        const o = JSON.parse(raw) as { replyTo?: unknown };
        if (typeof o.replyTo === 'string') replyTo = o.replyTo;
      } catch {
        /* not JSON */
      }
      this.opts.onMetric?.({ kind: 'bad_frame', code: parsed.code, message: parsed.message });
      this.opts.onBadFrame?.({ code: parsed.code, message: parsed.message, id: parsed.id });
      if (replyTo && this.pending.has(replyTo)) {
        const p = this.pending.get(replyTo)!;
        this.finish(replyTo, 'error');
        p.reject(new RpcError('BAD_FRAME', parsed.message));
        return;
      }
      if (parsed.id && !replyTo) this.reply(parsed.id, 'error', { code: parsed.code, message: parsed.message });
      return;
    }
    const env = parsed.env;
    this.opts.onMetric?.({ kind: 'in', type: env.type, bytes: raw.length });
    if (env.replyTo) {
      const p = this.pending.get(env.replyTo);
      if (!p) return; // late reply to a call that timed out or was cancelled
      if (env.type === 'error') {
        const e = env.payload as Payload<'error'>;
        this.finish(env.replyTo, 'error');
        p.reject(new RpcError(e.code, e.message));
        return;
      }
      const expected = (replyTypes as Record<string, string>)[p.type] ?? 'ok';
      if (env.type !== expected) {
        this.finish(env.replyTo, 'error');
        p.reject(new RpcError('BAD_FRAME', `expected a ${expected} reply to ${p.type}, got ${env.type}`));
        return;
      }
      this.finish(env.replyTo, 'ok');
      p.resolve(env.payload);
      return;
    }
    if (env.type === 'cancel') {
      const c = env.payload as Payload<'cancel'>;
      this.inbound.get(c.requestId)?.abort(new RpcError('CANCELLED', 'cancelled by the caller'));
      return;
    }
    this.dispatch(env);
  }

  /** Fails every pending call and aborts every running handler. Idempotent. */
  close(reason = 'connection closed'): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    for (const [id, p] of this.pending) {
      this.finish(id, 'closed');
      p.reject(new RpcError('CLOSED', `${p.type}: ${reason}`));
    }
    for (const c of this.inbound.values()) c.abort(new RpcError('CLOSED', reason));
    this.inbound.clear();
    this.queue.length = 0;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }

  private dispatch(env: Envelope & { type: MessageType }): void {
    const handler = this.handlers.get(env.type);
    if (!handler) {
      this.reply(env.id, 'error', { code: 'UNSUPPORTED', message: `this peer does not handle ${env.type}` });
      return;
    }
    const ac = new AbortController();
    this.inbound.set(env.id, ac);
    const started = now();
    const replyType = (replyTypes as Record<string, MessageType>)[env.type] ?? 'ok';
    Promise.resolve()
      .then(() => handler(env.payload, { id: env.id, signal: ac.signal }))
      .then(
        (result) => {
          const ms = now() - started;
          this.opts.onMetric?.({ kind: 'handled', type: env.type, outcome: 'ok', ms });
          if (ms > this.opts.slowMs) this.opts.onSlow?.({ direction: 'handled', type: env.type, ms });
          if (ac.signal.aborted) this.reply(env.id, 'error', { code: 'CANCELLED', message: `${env.type} was cancelled` });
          else this.reply(env.id, replyType, result ?? {});
        },
        (e: unknown) => {
          const ms = now() - started;
          this.opts.onMetric?.({ kind: 'handled', type: env.type, outcome: 'error', ms });
          if (ms > this.opts.slowMs) this.opts.onSlow?.({ direction: 'handled', type: env.type, ms });
          const code: ProtocolErrorCode = e instanceof RpcError ? e.code : 'INTERNAL';
          const message = e instanceof RpcError ? e.message : `${env.type} failed on the peer`;
          this.reply(env.id, 'error', { code, message: message.slice(0, 2000) });
        },
      )
      .finally(() => this.inbound.delete(env.id));
  }

  private reply(replyTo: string, type: MessageType, payload: unknown): void {
    if (this.closedReason) return;
    this.sendFrame({ v: this.opts.protocolVersion, id: this.nextId(), replyTo, type, ts: Date.now(), payload }).catch(() => {});
  }

  private finish(id: string, outcome: 'ok' | 'error' | 'timeout' | 'cancelled' | 'closed'): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.cleanup();
    const ms = now() - p.started;
    this.opts.onMetric?.({ kind: 'call', type: p.type, outcome, ms });
    if (ms > this.opts.slowMs && outcome !== 'closed') this.opts.onSlow?.({ direction: 'call', type: p.type, ms });
  }

  private nextId(): string {
    this.seq = (this.seq + 1) % Number.MAX_SAFE_INTEGER;
    return `${this.opts.idPrefix}${this.seq.toString(36)}`;
  }

  private sendFrame(env: Envelope): Promise<void> {
    if (this.closedReason) return Promise.reject(new RpcError('CLOSED', this.closedReason));
    const data = JSON.stringify(env);
    if (Buffer.byteLength(data) > this.opts.maxFrameBytes)
      return Promise.reject(new RpcError('FRAME_TOO_LARGE', `${env.type} frame is ${Buffer.byteLength(data)} bytes; the limit is ${this.opts.maxFrameBytes}`));
    this.opts.onMetric?.({ kind: 'out', type: env.type, bytes: data.length });
    if (this.queue.length === 0 && this.transport.bufferedAmount() <= this.opts.highWaterMark) {
      try {
        this.transport.send(data);
        return Promise.resolve();
      } catch (e) {
        return Promise.reject(new RpcError('CLOSED', `send failed: ${(e as Error).message}`));
      }
    }
    if (this.queue.length >= this.opts.maxQueuedFrames)
      return Promise.reject(new RpcError('OVERLOADED', `the send queue is full (${this.queue.length} frames waiting for the socket to drain)`));
    this.queue.push(data);
    this.scheduleFlush();
    return Promise.resolve();
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.closedReason) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      while (this.queue.length > 0 && this.transport.bufferedAmount() <= this.opts.highWaterMark) {
        const data = this.queue.shift()!;
        try {
          this.transport.send(data);
        } catch {
          this.close('send failed');
          return;
        }
      }
      if (this.queue.length > 0) this.scheduleFlush();
    }, 5);
  }
}

/** Builds a raw envelope (used for the handshake, before a peer exists). */
export function frame<T extends MessageType>(type: T, payload: Payload<T>, extra: { id?: string; replyTo?: string; v?: number } = {}): string {
  return JSON.stringify({
    v: extra.v ?? CURRENT_PROTOCOL_VERSION,
    id: extra.id ?? `h${Math.random().toString(36).slice(2, 10)}`,
    ...(extra.replyTo ? { replyTo: extra.replyTo } : {}),
    type,
    ts: Date.now(),
    payload,
  });
}
