/**
 * The fault-injection suite's quick profile in CI (`npm run chaos` runs it on demand, `-- --long`
 * the long one, on all four pairs): MySQL->PG and PG->MySQL full + CDC jobs under a live random
 * write load survive kill -9 of agents (full load and CDC), kill -9 of the api process, an
 * agent<->api cut longer than the lease, an agent<->database cut, and restarts of the source
 * servers, the target servers and the control plane's Redis (private instances of the run), with
 * no row lost, extra or different after each fault, and Sluice's own verification agrees with the
 * independent comparer.
 */
import { describe, expect, it } from 'vitest';
import { runChaos } from '../chaos/chaos';
import { FAULT_KINDS } from '../chaos/faults';
import { failures } from '../chaos/run';

describe('chaos (quick profile)', () => {
  it('loses, adds and changes no row under every fault kind, and verification agrees', { timeout: 600_000 }, async () => {
    const r = await runChaos('quick', 4242);
    expect(failures(r)).toEqual([]);
    expect(new Set(r.rows.map((x) => x.fault))).toEqual(new Set(FAULT_KINDS));
    expect(new Set(r.rows.map((x) => x.pair))).toEqual(new Set(['MySQL->PG', 'PG->MySQL']));
    // The source really went down under the live write load (its statements failed while it was stopped).
    for (const w of r.workload) expect(w.errorsWhileSourceDown).toBeGreaterThan(0);
    for (const f of r.final) {
      expect(f.rows).toBeGreaterThan(0);
      expect(f.verify.tables).toBe(3);
    }
  });
});
