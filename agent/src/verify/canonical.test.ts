import { describe, expect, it } from 'vitest';
import { buildPairs, foldSum, pairClass, piece } from './canonical';
import { TableSql, needsBinaryCollation, repairRanges, type VerifyTableSpec } from './core';
import type { ColumnInfo, ColumnType, KeyValue } from '../connectors/spi';

const col = (name: string, type: ColumnType): ColumnInfo => ({
  name,
  ordinal: 0,
  nativeType: '',
  dataType: '',
  type,
  nullable: true,
  default: null,
  autoIncrement: false,
});

describe('pairClass', () => {
  it('follows the type mapping', () => {
    expect(pairClass({ kind: 'int', bits: 8 }, { kind: 'bool' }).cls).toBe('bool');
    expect(pairClass({ kind: 'int', bits: 64, unsigned: true }, { kind: 'decimal', precision: 20, scale: 0 }).cls).toBe('decimal');
    expect(pairClass({ kind: 'float', bits: 32 }, { kind: 'float', bits: 32 }).cls).toBe('float4');
    expect(pairClass({ kind: 'float', bits: 32 }, { kind: 'float', bits: 64 }).cls).toBe('float4');
    expect(pairClass({ kind: 'text', size: 'long' }, { kind: 'json', binaryJson: true }).cls).toBe('json');
    expect(pairClass({ kind: 'array' }, { kind: 'json' }).cls).toBe('json');
    expect(pairClass({ kind: 'uuid' }, { kind: 'char', length: 36 }).cls).toBe('uuid');
    expect(pairClass({ kind: 'timestamptz' }, { kind: 'datetime' }).cls).toBe('timestamp');
    expect(pairClass({ kind: 'timetz' }, { kind: 'time' }).cls).toBe('time');
    expect(pairClass({ kind: 'bit', varying: true }, { kind: 'varchar', length: 16 }).cls).toBe('bit');
    expect(pairClass({ kind: 'set' }, { kind: 'text' }).cls).toBe('text');
    expect(pairClass({ kind: 'year' }, { kind: 'int', bits: 16 }).cls).toBe('int');
    expect(pairClass({ kind: 'date' }, { kind: 'bool' }).note).toMatch(/no exact rule/);
  });
});

describe('row pieces', () => {
  it('length-prefixes free text and evaluates self-delimiting classes once', () => {
    expect(piece('postgres', 'v', 'text')).toBe(`coalesce(length(v)::text || ':' || v, '~')`);
    expect(piece('mysql', 'v', 'int')).toBe(`COALESCE(v, '~')`);
  });
});

describe('foldSum', () => {
  it('agrees for the signed (PG) and unsigned (MySQL) sums of the same 64-bit words', () => {
    // PG reads 'ffffffffffffffff' as -1, MySQL as 18446744073709551615
    expect(foldSum('-1')).toBe(foldSum('18446744073709551615'));
    expect(foldSum('-2')).toBe('fffffffffffffffe');
    // sums wrap mod 2^64 on both sides
    expect(foldSum((2n ** 64n + 5n).toString())).toBe(foldSum('5'));
  });
});

describe('buildPairs', () => {
  it('pairs renamed columns and reports missing ones', () => {
    const { pairs, missing } = buildPairs(
      [col('id', { kind: 'int', bits: 32 }), col('a', { kind: 'text' }), col('b', { kind: 'text' })],
      [col('id', { kind: 'int', bits: 32 }), col('aa', { kind: 'text' })],
      (n) => (n === 'a' ? 'aa' : n),
    );
    expect(pairs.map((p) => `${p.source}->${p.target}:${p.cls}`)).toEqual(['id->id:int', 'a->aa:text']);
    expect(missing).toEqual(['b']);
  });
});

describe('repairRanges', () => {
  const keys: KeyValue[] = [['1'], ['2'], ['3'], ['4'], ['5'], ['6']];
  it('covers runs of bad keys with (previous key, last bad key]', async () => {
    const r = await repairRanges([['2'], ['3'], ['5']], keys, async () => null);
    expect(r).toEqual([
      { lower: ['1'], upper: ['3'] },
      { lower: ['4'], upper: ['5'] },
    ]);
  });
  it('asks for the predecessor when a run starts at the chunk start', async () => {
    const r = await repairRanges([['1']], keys, async (k) => (k[0] === '1' ? ['0'] : null));
    expect(r).toEqual([{ lower: ['0'], upper: ['1'] }]);
  });
});

describe('TableSql', () => {
  const spec = (key: { s: ColumnType; t: ColumnType }[]): VerifyTableSpec => ({
    name: 's.t',
    source: { schema: 's', table: 't' },
    target: { schema: 'public', table: 't' },
    pairs: [],
    key: key.map((k, i) => ({ source: `k${i}`, target: `k${i}`, sourceType: k.s, targetType: k.t })),
    keyToTarget: key.map(() => (v: string | null) => v),
    chunks: [],
    rowEstimate: 0,
    notes: [],
  });
  it('expands composite key ranges so both engines can use the index', () => {
    const sql = new TableSql(
      spec([
        { s: { kind: 'int', bits: 32 }, t: { kind: 'int', bits: 32 } },
        { s: { kind: 'int', bits: 32 }, t: { kind: 'int', bits: 32 } },
      ]),
      { engine: 'mysql', flavor: 'mariadb' },
      { engine: 'postgres', flavor: 'postgres' },
    );
    expect(sql.where('source', { lower: ['1', '2'], upper: ['3', '4'] })).toBe(
      '(`k0` > 1 OR (`k0` = 1 AND `k1` > 2)) AND (`k0` < 3 OR (`k0` = 3 AND `k1` <= 4))',
    );
    expect(sql.where('target', { lower: ['1', '2'], upper: null })).toBe(`("k0" > '1' OR ("k0" = '1' AND "k1" > '2'))`);
  });
  it('compares text keys in byte order on both sides across engines', () => {
    const k = { s: { kind: 'varchar', length: 20 } as ColumnType, t: { kind: 'varchar', length: 20 } as ColumnType };
    expect(needsBinaryCollation({ source: 'a', target: 'a', sourceType: k.s, targetType: k.t }, true)).toBe(true);
    expect(needsBinaryCollation({ source: 'a', target: 'a', sourceType: k.s, targetType: k.t, sourceCollation: 'x', targetCollation: 'x' }, false)).toBe(false);
    const sql = new TableSql(spec([k]), { engine: 'mysql', flavor: 'mariadb' }, { engine: 'postgres', flavor: 'postgres' });
    expect(sql.where('source', { lower: ['M'], upper: null })).toBe(
      "CONVERT(`k0` USING utf8mb4) COLLATE utf8mb4_nopad_bin > _utf8mb4'M' COLLATE utf8mb4_nopad_bin",
    );
    expect(sql.where('target', { lower: ['M'], upper: null })).toBe(`"k0" COLLATE "C" > 'M' COLLATE "C"`);
  });
});
