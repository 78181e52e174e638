import { describe, expect, it } from 'vitest';
import { describePosition, parsePosition, positionOfKind, positionPrecedes, withQuarantined } from './position';

describe('source positions', () => {
  it('reads the checkpoints earlier agents stored (PG, mid-transaction, quarantined)', () => {
    // Stored by the CDC task before the single position type existed (target `_sluice_checkpoints` / control plane).
    const old =
      '{"v":1,"kind":"pg","lsn":"0/1A2B3C8","slot":"sluice_abc","publication":"sluice_abc","txLsn":"0/1A2B400","seq":50000,"quarantined":{"public.t":"unsupported schema change (x)"}}';
    const p = parsePosition(old);
    expect(p).toEqual(JSON.parse(old));
    expect(positionOfKind(old, 'pg')?.slot).toBe('sluice_abc');
    expect(describePosition(p)).toBe('lsn 0/1A2B3C8 (+50000 of tx 0/1A2B400)');
  });

  it('reads a MySQL checkpoint, a plan-time T0 without v, and keeps fields a newer agent added', () => {
    const old = { v: 1, kind: 'mysql', file: 'mysql-bin.000003', pos: 1234, gtidSet: '0-1-55', txGtid: '0-1-56', seq: 7 };
    expect(parsePosition(old)).toEqual(old);
    expect(parsePosition({ kind: 'mysql', gtidSet: '' })).toEqual({ v: 1, kind: 'mysql', gtidSet: '' });
    expect(parsePosition({ kind: 'pg', lsn: '0/10', futureField: { a: 1 } })).toEqual({ v: 1, kind: 'pg', lsn: '0/10', futureField: { a: 1 } });
    // a pos stored as text (older MySQL JSON columns) still reads as a number
    expect(parsePosition({ v: 1, kind: 'mysql', file: 'b.1', pos: '99' })).toMatchObject({ pos: 99 });
  });

  it('reads a Kafka position: next offset per topic and partition', () => {
    const p = parsePosition({ v: 1, kind: 'kafka', offsets: { orders: { '0': '42', '1': '9007199254740993' } } });
    expect(p.kind).toBe('kafka');
    expect(describePosition(p)).toBe('2 partitions');
    expect(() => parsePosition({ v: 1, kind: 'kafka', offsets: { t: { '0': -1 } } })).toThrow(/offsets/);
  });

  it('refuses what is not a position, and another kind is not mistaken for ours', () => {
    expect(() => parsePosition({ v: 1, kind: 'oracle' })).toThrow(/not a source position/);
    expect(() => parsePosition({ v: 2, kind: 'pg' })).toThrow(/not a source position/);
    expect(positionOfKind({ v: 1, kind: 'mysql', file: 'f', pos: 4 }, 'pg')).toBeNull();
    expect(positionOfKind(undefined, 'pg')).toBeNull();
    expect(positionOfKind({ v: 1, kind: 'pg', lsn: 7 }, 'pg')).toBeNull();
  });

  it('sets and clears the quarantine list without touching the rest', () => {
    const p = parsePosition({ kind: 'pg', lsn: '0/1' });
    const q = withQuarantined(p, { 'public.t': 'why' });
    expect(q).toEqual({ v: 1, kind: 'pg', lsn: '0/1', quarantined: { 'public.t': 'why' } });
    expect(withQuarantined(q, {})).toEqual({ v: 1, kind: 'pg', lsn: '0/1' });
  });

  it('records the source identity as optional fields (older positions still read)', () => {
    const pg = { v: 1, kind: 'pg', lsn: '0/10', slot: 's', systemId: '7441234567890123456', timeline: 2 };
    expect(parsePosition(pg)).toEqual(pg);
    const my = { v: 1, kind: 'mysql', gtidSet: '0-1-5', serverId: 1, domainId: 0, serverUuid: '3e11fa47-71ca-11e1-9e33-c80aa9429562' };
    expect(parsePosition(my)).toEqual(my);
  });

  it('orders positions of one source, and says when it cannot', () => {
    const pg = (lsn: string, slot = 's') => parsePosition({ kind: 'pg', lsn, slot });
    expect(positionPrecedes(pg('0/5'), pg('0/90'))).toBe(true);
    expect(positionPrecedes(pg('1/0'), pg('0/FFFFFFFF'))).toBe(false);
    expect(positionPrecedes(pg('0/5'), pg('0/5'))).toBe(false);
    expect(positionPrecedes(pg('0/5', 'a'), pg('0/90', 'b'))).toBeNull();
    const my = (gtidSet: string, file?: string, pos?: number) => parsePosition({ kind: 'mysql', gtidSet, ...(file ? { file, pos } : {}) });
    expect(positionPrecedes(my('0-1-5'), my('0-1-9'))).toBe(true);
    expect(positionPrecedes(my('0-1-5,1-2-9'), my('0-1-9,1-2-3'))).toBe(false);
    expect(positionPrecedes(my('0-1-5'), my('0-1-5,1-2-3'))).toBe(true);
    // MySQL uuid sets fall back to file/pos
    expect(positionPrecedes(my('u:1-5', 'bin.000002', 4), my('u:1-9', 'bin.000003', 4))).toBe(true);
    expect(positionPrecedes(my('u:1-5'), my('u:1-9'))).toBeNull();
    expect(positionPrecedes(pg('0/5'), my('0-1-5'))).toBeNull();
  });
});
