/** Exponential backoff with full jitter (AWS architecture blog): sleep = random(0, min(cap, base * 2^attempt)). */
export function fullJitterDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Sleeps for `ms` or until the signal aborts (resolves either way). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * While the agent holds leases, a reconnect never waits more than a quarter of the lease TTL, so a
 * short api outage (shorter than the TTL minus that) does not move healthy tasks: the agent is back
 * and extends its leases (connect.inFlight) before they expire. With no lease it uses the configured cap.
 */
export function reconnectCap(capMs: number, leaseTtlMs: number | null, heldLeases: number): number {
  if (!leaseTtlMs || heldLeases === 0) return capMs;
  return Math.max(10, Math.min(capMs, Math.floor(leaseTtlMs / 4)));
}
