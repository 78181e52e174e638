import { describe, expect, it } from 'vitest';
import { rangeGuard, roundDecimal } from './value-guards';
import { RowRejected, withPolicy, type ColumnPolicy } from './value-policy';

const g = (from: 'mysql' | 'postgres', to: 'mysql' | 'postgres', s: Parameters<typeof rangeGuard>[2], t: Parameters<typeof rangeGuard>[3]) =>
  rangeGuard(from, to, s, t)!;

describe('range guards', () => {
  it('MySQL TIME -> PG time: negatives and durations past 24:00:00', () => {
    const t = g('mysql', 'postgres', { kind: 'time', fsp: 6 }, { kind: 'time', fsp: 6 });
    for (const v of ['00:00:00', '24:00:00', '23:59:59.999999', '-00:00:00.000000', '12:00:00']) expect(t.outside(v)).toBeNull();
    for (const v of ['-838:59:59.000000', '838:59:59', '-00:00:01.500000', '24:00:00.000001', '25:00:00']) expect(t.outside(v)).not.toBeNull();
    expect([t.clamp('-838:59:59'), t.clamp('838:59:59')]).toEqual(['00:00:00', '24:00:00']);
  });

  it('PG date/timestamp/timestamptz -> MySQL: BC, infinities and years after 9999', () => {
    const d = g('postgres', 'mysql', { kind: 'date' }, { kind: 'date' });
    expect(d.outside('0001-01-01')).toBeNull();
    expect(d.outside('9999-12-31')).toBeNull();
    for (const v of ['4713-01-01 BC', 'infinity', '-infinity', '10000-01-01']) expect(d.outside(v)).not.toBeNull();
    expect([d.clamp('4713-01-01 BC'), d.clamp('infinity')]).toEqual(['0001-01-01', '9999-12-31']);
    const tz = g('postgres', 'mysql', { kind: 'timestamptz', fsp: 6 }, { kind: 'datetime', fsp: 3 });
    expect(tz.outside('294276-12-31 23:59:59.999999+00')).toMatch(/after 9999-12-31/);
    expect(tz.outside('0044-03-15 12:00:00+00 BC')).toMatch(/before 0001-01-01/);
    expect(tz.clamp('infinity')).toBe('9999-12-31 23:59:59.999+00');
    expect(tz.clamp('-infinity')).toBe('0001-01-01 00:00:00+00');
  });

  it('PG floats and numerics -> MySQL', () => {
    const f = g('postgres', 'mysql', { kind: 'float', bits: 32 }, { kind: 'float', bits: 32 });
    expect(f.outside('3.4e38')).toBeNull();
    expect([f.clamp('NaN'), f.clamp('-Infinity')]).toEqual([null, '-3.4028234663852886e38']);
    const n = g('postgres', 'mysql', { kind: 'decimal' }, { kind: 'decimal', precision: 65, scale: 30 });
    expect(n.outside('123456789012345678901234567890.123456789')).toBeNull();
    expect(n.outside('1'.repeat(36))).toMatch(/more than 35 integer digits/);
    expect(n.outside(`0.${'1'.repeat(31)}`)).toMatch(/more than 30 fractional/);
    expect(n.outside('1.5000000000000000000000000000000000')).toBeNull();
    expect(n.clamp(`-${'9'.repeat(40)}`)).toBe(`-${'9'.repeat(35)}.${'9'.repeat(30)}`);
    expect(n.clamp(`0.${'0'.repeat(29)}15`)).toBe(`0.${'0'.repeat(29)}2`);
    expect(roundDecimal('-1.25', 1)).toBe('-1.3');
    expect(roundDecimal('0.04', 1)).toBe('0.0');
  });

  it('same engine and lossless pairs have no guard', () => {
    expect(rangeGuard('postgres', 'postgres', { kind: 'date' }, { kind: 'date' })).toBeUndefined();
    expect(rangeGuard('mysql', 'postgres', { kind: 'date' }, { kind: 'date' })).toBeUndefined();
    expect(rangeGuard('postgres', 'mysql', { kind: 'int', bits: 32 }, { kind: 'int', bits: 32 })).toBeUndefined();
  });
});

describe('policies', () => {
  const guard = g('postgres', 'mysql', { kind: 'date' }, { kind: 'date' });
  const cp = (policy: ColumnPolicy['policy']): ColumnPolicy => ({ policy, guard, counts: { nulled: 0, clamped: 0, rejected: 0 } });
  const where = { table: 'events', column: 'd' };

  it('fail names the table, column and value and says the table is left partly copied', () => {
    const f = withPolicy(null, cp('fail'), where);
    expect(f('2020-01-01')).toBe('2020-01-01');
    expect(() => f('4713-01-01 BC')).toThrow(/events\.d: 4713-01-01 BC is before 0001-01-01/);
    try {
      f('infinity');
    } catch (e) {
      expect((e as { code: string; fix: string }).code).toBe('VALUE_OUT_OF_RANGE');
      expect((e as { fix: string }).fix).toMatch(/left partly copied/);
    }
  });

  it('null and clamp count what they changed; dead-letter rejects the row', () => {
    const n = cp('null');
    expect(withPolicy(null, n, where)('infinity')).toBeNull();
    expect(n.counts.nulled).toBe(1);
    const c = cp('clamp');
    expect(withPolicy((v) => `<${String(v)}>`, c, where)('-infinity')).toBe('<0001-01-01>');
    expect(c.counts.clamped).toBe(1);
    expect(() => withPolicy(null, cp('dead-letter'), where)('infinity')).toThrow(RowRejected);
  });
});
