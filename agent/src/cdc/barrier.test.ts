import { describe, expect, it } from 'vitest';
import { positionReached } from './barrier';

describe('positionReached', () => {
  it('compares PG LSNs numerically', () => {
    expect(positionReached({ v: 1, kind: 'pg', lsn: '0/10' }, { v: 1, kind: 'pg', lsn: '0/F' })).toBe(true);
    expect(positionReached({ v: 1, kind: 'pg', lsn: '1/0' }, { v: 1, kind: 'pg', lsn: '0/FFFFFFFF' })).toBe(true);
    expect(positionReached({ v: 1, kind: 'pg', lsn: '0/A' }, { v: 1, kind: 'pg', lsn: '0/B' })).toBe(false);
    expect(positionReached(null, { v: 1, kind: 'pg', lsn: '0/1' })).toBe(false);
  });

  it('uses MariaDB GTID positions per domain', () => {
    const b = { v: 1 as const, kind: 'mysql' as const, gtidSet: '0-1-100,1-2-5' };
    expect(positionReached({ v: 1, kind: 'mysql', gtidSet: '0-1-100,1-2-7' }, b)).toBe(true);
    expect(positionReached({ v: 1, kind: 'mysql', gtidSet: '0-1-99,1-2-7' }, b)).toBe(false);
    expect(positionReached({ v: 1, kind: 'mysql', gtidSet: '0-1-100' }, b)).toBe(false);
  });

  it('uses MySQL GTID sets', () => {
    const u = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
    expect(positionReached({ v: 1, kind: 'mysql', gtidSet: `${u}:1-30` }, { v: 1, kind: 'mysql', gtidSet: `${u}:1-27` })).toBe(true);
    expect(positionReached({ v: 1, kind: 'mysql', gtidSet: `${u}:1-20` }, { v: 1, kind: 'mysql', gtidSet: `${u}:1-27` })).toBe(false);
  });

  it('falls back to file/position without GTIDs, and never mixes engines', () => {
    expect(positionReached({ v: 1, kind: 'mysql', file: 'bin.000002', pos: 4 }, { v: 1, kind: 'mysql', file: 'bin.000001', pos: 900 })).toBe(true);
    expect(positionReached({ v: 1, kind: 'mysql', file: 'bin.000001', pos: 800 }, { v: 1, kind: 'mysql', file: 'bin.000001', pos: 900 })).toBe(false);
    expect(positionReached({ v: 1, kind: 'pg', lsn: '9/0' }, { v: 1, kind: 'mysql', gtidSet: '0-1-1' })).toBe(false);
  });
});
