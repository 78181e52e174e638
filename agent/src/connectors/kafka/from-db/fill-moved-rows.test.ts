import { describe, expect, it } from 'vitest';
import { kafkaJobSchema } from '../../../protocol';
import type { CdcRow, SourceTable, SourceTx } from '../../changes';
import { decodeRecord } from '../formats';
import { ChangeEncoder } from './change-records';
import { fillMovedRows, movedWithGaps } from './fill-moved-rows';

const items: SourceTable = {
  key: 'public.items',
  schema: 'public',
  name: 'items',
  keyColumns: ['id'],
  columns: [
    { name: 'id', type: 'bigint' },
    { name: 'qty', type: 'integer' },
    { name: 'note', type: 'text' },
  ],
};
const tx = (): SourceTx => ({
  kind: 'tx',
  id: '0/10',
  commitTimeMs: 1,
  position: { v: 1, kind: 'pg', lsn: '0/10' },
  changes: [
    // A key move with the TOASTed note unchanged (not sent), one without a gap, one whose row is gone since.
    { op: 'update', table: 'public.items', before: { id: '1' }, after: { id: '10', qty: '5' }, unchanged: ['note'] },
    { op: 'update', table: 'public.items', before: null, after: { id: '2', qty: '6' }, unchanged: ['note'] },
    { op: 'update', table: 'public.items', before: { id: '3' }, after: { id: '30', qty: '7' }, unchanged: ['note'] },
  ],
});

describe('fillMovedRows', () => {
  it('fills the left-out columns of key-moving updates from the current row at the new key', async () => {
    const t = tx();
    expect(movedWithGaps(t, () => items).map((c) => c.after!.id)).toEqual(['10', '30']);
    const asked: { table: string; keys: CdcRow[]; columns: string[] }[] = [];
    const filled = await fillMovedRows(t, () => items, {
      currentRows: async (table, keys, columns) => {
        asked.push({ table, keys, columns });
        return keys.map((k) => (k.id === '10' ? { id: '10', note: 'long note' } : null));
      },
    });
    expect(filled).toBe(1);
    expect(asked).toEqual([{ table: 'public.items', keys: [{ id: '10' }, { id: '30' }], columns: ['note'] }]);
    expect(t.changes[0]).toEqual({ op: 'update', table: 'public.items', before: { id: '1' }, after: { id: '10', qty: '5', note: 'long note' } });
    // Same key: the reader keeps the target's value. Row gone: a later delete/move of that key follows in the stream.
    expect(t.changes[1]).toMatchObject({ unchanged: ['note'] });
    expect(t.changes[2]).toMatchObject({ unchanged: ['note'] });

    // The create of the new key is whole: no __debezium_unavailable_value for a reader to store as NULL.
    const enc = new ChangeEncoder(kafkaJobSchema.parse({ format: 'debezium', prefix: 'p' }), 'postgres', 'db', () => 5);
    const create = enc
      .encodeTx({ ...t, changes: [t.changes[0]!] }, () => items)
      .map((r) => decodeRecord('debezium', r.key, r.value)[0]!)
      .at(-1)!;
    expect(create).toMatchObject({ kind: 'change', op: 'c', after: { id: '10', qty: '5', note: 'long note' } });
    expect(create).not.toHaveProperty('unavailable');
  });

  it('does nothing without a source lookup or without gaps', async () => {
    const t = tx();
    expect(await fillMovedRows(t, () => items, {})).toBe(0);
    expect(t.changes[0]).toMatchObject({ unchanged: ['note'] });
  });

  it('a schemaless Debezium create names the columns it left out (kept on the target, never NULL)', () => {
    const enc = new ChangeEncoder(kafkaJobSchema.parse({ format: 'debezium', prefix: 'p' }), 'postgres', 'db', () => 5);
    const recs = enc.encodeTx(tx(), () => items);
    const u = decodeRecord('debezium', recs[recs.length - 1]!.key, recs[recs.length - 1]!.value)[0]!;
    expect(u).toMatchObject({ kind: 'change', op: 'c', after: { id: '30', qty: '7' }, unavailable: ['note'] });
  });
});
