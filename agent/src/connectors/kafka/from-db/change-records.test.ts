import { describe, expect, it } from 'vitest';
import { kafkaJobSchema } from '../../../protocol';
import type { SourceTable, SourceTx } from '../../changes';
import { decodeRecord } from '../formats';
import { ChangeEncoder } from './change-records';

const orders: SourceTable = {
  key: 'shop.orders',
  schema: 'shop',
  name: 'orders',
  keyColumns: ['id'],
  columns: [
    { name: 'id', type: 'bigint(20) unsigned' },
    { name: 'flags', type: 'bit(12)' },
    { name: 'total', type: 'decimal(65,30)' },
  ],
};
const tx: SourceTx = {
  kind: 'tx',
  id: '0-1-9',
  commitTimeMs: 1_700_000_000_000,
  position: { v: 1, kind: 'mysql', gtidSet: '0-1-9' },
  changes: [
    { op: 'insert', table: 'shop.orders', after: { id: '18446744073709551615', flags: '000000000101', total: '-1.000000000000000000000000000001' } },
    { op: 'update', table: 'shop.orders', before: { id: '1', flags: '0', total: '0' }, after: { id: '2', flags: '1', total: '0' } },
    { op: 'delete', table: 'shop.orders', before: { id: '3' } },
  ],
};

describe('ChangeEncoder', () => {
  it('writes a transaction as BEGIN, changes (key change = delete + tombstone + create), END, each on its topic', () => {
    const k = kafkaJobSchema.parse({ format: 'debezium', prefix: 'app', transactionMarkers: true });
    const enc = new ChangeEncoder(k, 'mysql', 'shop', () => 5);
    const recs = enc.encodeTx(tx, () => orders);
    expect(recs.map((r) => r.topic)).toEqual(['app.transaction', ...Array(6).fill('app.shop.orders'), 'app.transaction']);
    const decoded = recs.map((r) => decodeRecord('debezium', r.key, r.value)[0]!);
    expect(decoded.map((d) => (d.kind === 'change' ? d.op : d.kind === 'marker' ? d.marker.status : d.kind))).toEqual([
      'BEGIN',
      'c',
      'd',
      'tombstone',
      'c',
      'd',
      'tombstone',
      'END',
    ]);
    expect(decoded[7]).toMatchObject({ marker: { eventCount: 3, collections: [{ name: 'shop.orders', count: 3 }] } });
    expect(recs[1]!.value!.toString()).toContain('"id":18446744073709551615');
    expect(recs[1]!.value!.toString()).toContain('"total":"-1.000000000000000000000000000001"');
    expect(recs[1]!.value!.toString()).toContain('"transaction":{"id":"0-1-9","total_order":1,"data_collection_order":1}');
    expect(enc.topicsFor([orders])).toEqual(['app.shop.orders', 'app.transaction']);
  });

  it('writes snapshot rows as op r, BIT read as bytes as its bit string, the last one marked', () => {
    const k = kafkaJobSchema.parse({ format: 'sluice', topicTemplate: 'cdc-{table}' });
    const enc = new ChangeEncoder(k, 'mysql', 'shop', () => 5);
    const recs = enc.encodeSnapshot(
      orders,
      ['id', 'flags', 'total'],
      [
        ['1', Buffer.from([0x0a, 0xaa]), '2'],
        ['2', null, null],
      ],
      null,
      true,
    );
    expect(recs.map((r) => r.topic)).toEqual(['cdc-orders', 'cdc-orders']);
    const [a, b] = recs.map((r) => decodeRecord('sluice', r.key, r.value)[0]!);
    expect(a).toMatchObject({ op: 'r', after: { id: '1', flags: '101010101010', total: '2' } });
    expect(JSON.parse(recs[1]!.value!.toString()).source.snapshot).toBe('last');
    expect(b).toMatchObject({ op: 'r', after: { id: '2', flags: null } });
  });
});
