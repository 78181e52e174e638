import { describe, expect, it } from 'vitest';
import { capMemory } from './memory-cap';

describe('memory cap', () => {
  it('runs full collections once RSS is over the budget, and none under it', async () => {
    const over = capMemory(1, { everyMs: 10, minGapMs: 0 });
    const under = capMemory(1 << 20, { everyMs: 10, minGapMs: 0 });
    await new Promise((r) => setTimeout(r, 100));
    over.stop();
    under.stop();
    expect(over.collections()).toBeGreaterThan(0);
    expect(under.collections()).toBe(0);
  });
});
