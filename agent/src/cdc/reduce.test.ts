import { describe, expect, it } from 'vitest';
import { reduceChanges } from './reduce';
import type { Change } from './types';

const keys = () => ['id'];
const actions = (changes: Change[]) => [...reduceChanges(changes, keys).get('s.t')!.actions.values()];

describe('reduceChanges', () => {
  it('keeps the last image per key and drops rows deleted later in the batch', () => {
    const a = actions([
      { op: 'insert', table: 's.t', after: { id: '1', v: 'a' } },
      { op: 'update', table: 's.t', before: { id: '1' }, after: { id: '1', v: 'b' } },
      { op: 'insert', table: 's.t', after: { id: '2', v: 'x' } },
      { op: 'delete', table: 's.t', before: { id: '2', v: 'x' } },
    ]);
    expect(a).toEqual([
      { kind: 'upsert', row: { id: '1', v: 'b' } },
      { kind: 'delete', key: { id: '2' } },
    ]);
  });

  it('turns a key change into delete(old) + upsert(new), chains included', () => {
    const a = actions([
      { op: 'insert', table: 's.t', after: { id: '1', v: 'a' } },
      { op: 'update', table: 's.t', before: { id: '1' }, after: { id: '5', v: 'a' } },
      { op: 'update', table: 's.t', before: { id: '5' }, after: { id: '9', v: 'c' } },
    ]);
    expect(a).toEqual([
      { kind: 'delete', key: { id: '1' } },
      { kind: 'delete', key: { id: '5' } },
      { kind: 'upsert', row: { id: '9', v: 'c' } },
    ]);
  });

  it('fills unchanged TOAST columns from an earlier image of the same key, else keeps them unchanged', () => {
    const filled = actions([
      { op: 'insert', table: 's.t', after: { id: '1', v: 'a', big: 'BIG' } },
      { op: 'update', table: 's.t', after: { id: '1', v: 'b' }, unchanged: ['big'] },
    ]);
    expect(filled).toEqual([{ kind: 'upsert', row: { id: '1', v: 'b', big: 'BIG' } }]);
    const kept = actions([{ op: 'update', table: 's.t', after: { id: '1', v: 'b' }, unchanged: ['big'] }]);
    expect(kept).toEqual([{ kind: 'upsert', row: { id: '1', v: 'b' }, unchanged: ['big'] }]);
  });

  it('remembers where a moved row with unchanged TOAST came from', () => {
    const a = actions([
      { op: 'update', table: 's.t', before: { id: '1' }, after: { id: '2', v: 'b' }, unchanged: ['big'] },
      { op: 'update', table: 's.t', before: { id: '2' }, after: { id: '3', v: 'c' }, unchanged: ['big'] },
    ]);
    // and every key it passed through: a target ahead of the stream (a snapshot read after T0) may hold it at 2, not at 1
    expect(a.at(-1)).toEqual({ kind: 'upsert', row: { id: '3', v: 'c' }, unchanged: ['big'], fromKey: { id: '1' }, viaKeys: [{ id: '2' }] });
    const b = actions([
      { op: 'update', table: 's.t', before: { id: '1' }, after: { id: '2', v: 'b' }, unchanged: ['big'] },
      { op: 'update', table: 's.t', after: { id: '2', v: 'b2' }, unchanged: ['big'] },
      { op: 'update', table: 's.t', before: { id: '2' }, after: { id: '3', v: 'c' }, unchanged: ['big'] },
      { op: 'update', table: 's.t', before: { id: '3' }, after: { id: '4', v: 'd' }, unchanged: ['big'] },
    ]);
    expect(b.at(-1)).toEqual({ kind: 'upsert', row: { id: '4', v: 'd' }, unchanged: ['big'], fromKey: { id: '1' }, viaKeys: [{ id: '2' }, { id: '3' }] });
    // a single move has no via keys
    const c = actions([{ op: 'update', table: 's.t', before: { id: '1' }, after: { id: '2', v: 'b' }, unchanged: ['big'] }]);
    expect(c.at(-1)).toEqual({ kind: 'upsert', row: { id: '2', v: 'b' }, unchanged: ['big'], fromKey: { id: '1' } });
  });

  it('a truncate forgets earlier changes of that table only', () => {
    const plans = reduceChanges(
      [
        { op: 'insert', table: 's.t', after: { id: '1' } },
        { op: 'insert', table: 's.u', after: { id: '1' } },
        { op: 'truncate', table: 's.t' },
        { op: 'insert', table: 's.t', after: { id: '2' } },
      ],
      keys,
    );
    expect(plans.get('s.t')!.truncate).toBe(true);
    expect([...plans.get('s.t')!.actions.values()]).toEqual([{ kind: 'upsert', row: { id: '2' } }]);
    expect(plans.get('s.u')!.truncate).toBe(false);
  });

  it('distinguishes NULL, text and bytes in composite keys', () => {
    const plans = reduceChanges(
      [
        { op: 'insert', table: 's.t', after: { a: null, b: '1' } },
        { op: 'insert', table: 's.t', after: { a: 'null', b: '1' } },
        { op: 'insert', table: 's.t', after: { a: Buffer.from('x'), b: '1' } },
        { op: 'insert', table: 's.t', after: { a: 'x', b: '1' } },
      ],
      () => ['a', 'b'],
    );
    expect(plans.get('s.t')!.actions.size).toBe(4);
  });
});
