import { describe, expect, it } from 'vitest';
import { MAX_DIFFERENCES, MAX_VALUE_CHARS, addDifferences, renderValue } from './differences';

describe('differences rendered safely', () => {
  it('keeps NULL, escapes control characters, cuts long values with their length', () => {
    expect(renderValue('note', null)).toBeNull();
    expect(renderValue('note', 'a\nb\tc\u0001')).toBe('a\\nb\\tc\\u0001');
    const long = 'é'.repeat(500);
    const r = renderValue('note', long)!;
    expect([...r.split('…')[0]!].length).toBe(MAX_VALUE_CHARS - 1);
    expect(r).toMatch(/… \(500 characters\)$/);
  });

  it('hides the value of a column whose name says it holds a secret', () => {
    expect(renderValue('password_hash', 'hunter2')).toBe('(hidden: 7 characters)');
    expect(renderValue('api_key', 'abc')).toBe('(hidden: 3 characters)');
    expect(renderValue('name', 'hunter2')).toBe('hunter2');
  });

  it('keeps the first MAX_DIFFERENCES', () => {
    const into: { kind: 'missing'; key: string }[] = [];
    addDifferences(
      into,
      Array.from({ length: MAX_DIFFERENCES + 5 }, (_, i) => ({ kind: 'missing' as const, key: String(i) })),
    );
    expect(into.length).toBe(MAX_DIFFERENCES);
    expect(into[0]!.key).toBe('0');
  });
});
