import { describe, expect, it } from 'vitest';
import { advanceTargetEnds } from './records';

describe('advanceTargetEnds', () => {
  it('moves each partition past its last produced record, keeps the others, never moves back, ignores empty results', () => {
    const before = { t: { '0': '10', '1': '5' } };
    const after = advanceTargetEnds(before, [
      { topic: 't', partition: 0, baseOffset: 12n, count: 3 },
      { topic: 't', partition: 1, baseOffset: 2n, count: 1 },
      { topic: 'u', partition: 2, baseOffset: 0n, count: 7 },
      { topic: 'u', partition: 3, baseOffset: 4n, count: 0 },
    ]);
    expect(after).toEqual({ t: { '0': '15', '1': '5' }, u: { '2': '7' } });
    expect(before).toEqual({ t: { '0': '10', '1': '5' } });
  });
});
