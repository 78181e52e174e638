/**
 * How long a task waits out transient errors (source or target unreachable, a
 * restart, a failover) before it fails for good. The budget is a time window,
 * not an attempt count: it opens at the first transient failure, counts the
 * failures inside it (they set the backoff), and closes again on healthy
 * progress (a checkpoint the control plane accepted). A task that keeps failing
 * without progress for longer than `maxWaitMs` fails; a long-lived CDC task
 * that recovers each time never uses up its budget.
 */
import { fullJitterDelay } from './backoff';

export interface WaitBudgetOptions {
  maxWaitMs: number;
  baseMs?: number;
  capMs?: number;
  random?: () => number;
}

export type WaitDecision = { wait: true; delayMs: number; failures: number; waitingSinceMs: number } | { wait: false; failures: number; waitedMs: number };

export class WaitBudget {
  private since: number | null = null;
  private failures = 0;

  constructor(private readonly o: WaitBudgetOptions) {}

  /** Whether a transient failure window is open (the task is waiting or retrying). */
  get waiting(): boolean {
    return this.since !== null;
  }

  /** A transient failure at `now`: wait `delayMs` and retry, or give up (the window is older than maxWaitMs). */
  failure(now: number): WaitDecision {
    if (this.since === null) this.since = now;
    this.failures += 1;
    const waited = now - this.since;
    if (waited >= this.o.maxWaitMs) return { wait: false, failures: this.failures, waitedMs: waited };
    const jitter = fullJitterDelay(this.failures - 1, this.o.baseMs ?? 1_000, this.o.capMs ?? 60_000, this.o.random);
    // Never past the end of the window, and never a busy loop.
    const delayMs = Math.max(Math.min(250, this.o.baseMs ?? 1_000), Math.min(jitter, this.o.maxWaitMs - waited));
    return { wait: true, delayMs, failures: this.failures, waitingSinceMs: this.since };
  }

  /** Healthy progress: the window closes and the next failure starts a fresh one. Returns whether one was open. */
  healthy(): boolean {
    const was = this.since !== null;
    this.since = null;
    this.failures = 0;
    return was;
  }
}

export interface EndpointHint {
  kind: string;
  host?: string;
  port?: number;
}

const ENGINE_WORD: Record<string, RegExp> = { mysql: /\bmysql\b|\bmariadb\b|binlog/i, postgres: /postgres|\bwal\b|replication slot/i, kafka: /kafka|broker/i };

/** Which side an error message blames, for "waiting for the source: ...": by host:port, else by engine when the two differ. */
export function endpointOf(message: string, source: EndpointHint, target?: EndpointHint): 'source' | 'target' | 'source or target' {
  const at = (e?: EndpointHint) => !!e?.host && message.includes(`${e.host}:${e.port ?? ''}`);
  const s = at(source);
  const t = at(target);
  if (s !== t) return s ? 'source' : 'target';
  if (target && source.kind !== target.kind) {
    const sw = ENGINE_WORD[source.kind]?.test(message) ?? false;
    const tw = ENGINE_WORD[target.kind]?.test(message) ?? false;
    if (sw !== tw) return sw ? 'source' : 'target';
  }
  return 'source or target';
}
