/**
 * The fault-injection suite's quick profile in CI (`npm run chaos` runs it on demand, `-- --long`
 * the long one): MySQL->PG and PG->MySQL full + CDC jobs under a live random write load survive
 * kill -9 of agents (full load and CDC), kill -9 of the api process, an agent<->api cut longer than
 * the lease and an agent<->database cut, with no row lost, extra or different after each fault, and
 * Sluice's own verification agrees with the independent comparer.
 */
import { describe, expect, it } from 'vitest';
import { runChaos } from '../chaos/chaos';
import { failures } from '../chaos/run';

describe('chaos (quick profile)', () => {
  it('loses, adds and changes no row under every fault kind, and verification agrees', { timeout: 400_000 }, async () => {
    const r = await runChaos('quick', 4242);
    expect(failures(r)).toEqual([]);
    expect(new Set(r.rows.map((x) => x.fault))).toEqual(new Set(['agent-kill-full', 'agent-kill-cdc', 'api-kill', 'cut-agent-api', 'cut-agent-db']));
    expect(new Set(r.rows.map((x) => x.pair))).toEqual(new Set(['MySQL->PG', 'PG->MySQL']));
    for (const f of r.final) {
      expect(f.rows).toBeGreaterThan(0);
      expect(f.verify.tables).toBe(3);
    }
  });
});
