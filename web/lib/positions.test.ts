import { describe, expect, it } from 'vitest';
import { describeStream, formatPosition } from './positions';
import { formatEventsBehind, formatIn, formatLag } from './format';

describe('positions', () => {
  it('shows GTID sets, file:pos, LSNs and Kafka offsets instead of JSON', () => {
    expect(formatPosition({ v: 1, kind: 'mysql', gtidSet: '0-1-1234', file: 'mysql-bin.000003', pos: 4711 })).toBe('GTID 0-1-1234 · mysql-bin.000003:4711');
    expect(formatPosition({ v: 1, kind: 'mysql', file: 'binlog.000001', pos: 4 })).toBe('binlog.000001:4');
    expect(formatPosition({ v: 1, kind: 'pg', lsn: '16/B374D848', slot: 'sluice_abc' })).toBe('LSN 16/B374D848 · slot sluice_abc');
    expect(formatPosition({ v: 1, kind: 'kafka', offsets: { orders: { '0': '42', '1': '7' } } })).toBe('orders [0]@42 [1]@7');
    expect(formatPosition({ v: 1, bounds: [['1000'], ['2000']], rowEstimate: 2500 })).toBe(`planned 3 chunk(s), ~${(2500).toLocaleString()} rows`);
    expect(formatPosition({ v: 1, done: true, status: 'created' })).toBe('done (created)');
    expect(formatPosition(null)).toBe('—');
  });

  it('names the engine’s streams', () => {
    expect(describeStream('cdc')).toMatch(/CDC position/);
    expect(describeStream('plan:shop.orders')).toBe('shop.orders · chunk plan');
  });
});

describe('lag and time formatting', () => {
  it('lag in seconds and in events', () => {
    expect(formatLag(420)).toBe('0.4 s');
    expect(formatLag(12_400)).toBe('12 s');
    expect(formatLag(185_000)).toBe('3 min 5 s');
    expect(formatLag(null)).toBe('—');
    expect(formatEventsBehind(0)).toBe('caught up');
    expect(formatEventsBehind(1)).toBe('1 event behind');
    expect(formatEventsBehind(2500)).toMatch(/^2\.5K events behind$/);
  });

  it('time until the source purges its logs', () => {
    expect(formatIn(40)).toBe('in 40 s');
    expect(formatIn(3 * 86_400 + 5)).toBe('in 3 days');
    expect(formatIn(null)).toBe('—');
  });
});
