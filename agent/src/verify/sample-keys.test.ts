import { describe, expect, it } from 'vitest';
import { MAX_SAMPLE_KEYS, addSampleKeys, emptySampleKeys, keyText } from './sample-keys';

describe('verification sample keys', () => {
  it('formats composite keys and bounds how many are kept', () => {
    expect(keyText(['1', null, 'x'.repeat(70)])).toBe(`1, NULL, ${'x'.repeat(63)}…`);
    const s = emptySampleKeys();
    addSampleKeys(s, { missing: [['10'], ['20']], extra: [], different: [['40']] });
    addSampleKeys(s, { missing: Array.from({ length: 30 }, (_, i) => [String(i)]), extra: [['7']], different: [] });
    expect(s.missing).toHaveLength(MAX_SAMPLE_KEYS);
    expect(s.missing.slice(0, 3)).toEqual(['10', '20', '0']);
    expect(s.extra).toEqual(['7']);
    expect(s.different).toEqual(['40']);
  });
});
