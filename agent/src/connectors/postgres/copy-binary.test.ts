import { describe, expect, it } from 'vitest';
import type { ColumnType, SnapshotTask } from '../spi';
import { BinaryCopySplitter, PG_BINARY_HEADER, PG_BINARY_TRAILER, binaryBatches, binaryColumnOk, binaryKeyOk } from './copy-binary';

/** One binary COPY tuple: (id bigint, name text, u uuid) with NULLs where given. */
function tuple(id: bigint, name: string | null, uuid: string | null): Buffer {
  const parts: Buffer[] = [Buffer.from([0, 3])];
  const field = (b: Buffer | null) => {
    const len = Buffer.alloc(4);
    len.writeInt32BE(b ? b.length : -1);
    parts.push(len);
    if (b) parts.push(b);
  };
  const i = Buffer.alloc(8);
  i.writeBigInt64BE(id);
  field(i);
  field(name === null ? null : Buffer.from(name, 'utf8'));
  field(uuid === null ? null : Buffer.from(uuid.replace(/-/g, ''), 'hex'));
  return Buffer.concat(parts);
}

const types: ColumnType[] = [{ kind: 'int', bits: 64 }, { kind: 'text' }, { kind: 'uuid' }] as ColumnType[];
const rows = Array.from({ length: 50 }, (_, n) =>
  tuple(BigInt(n + 1) * 1_000_000_007n, n % 7 ? `naïve ${n}\tx` : null, n % 5 ? `0000000${n % 10}-0000-4000-8000-00000000000${n % 10}` : null),
);
const stream = Buffer.concat([PG_BINARY_HEADER, ...rows, PG_BINARY_TRAILER]);

describe('binary COPY passthrough', () => {
  it('splits a stream cut anywhere into the same whole tuples, without the header and trailer', () => {
    for (const step of [1, 3, 19, 20, 64, 1000, stream.length]) {
      const s = new BinaryCopySplitter();
      const out: Buffer[] = [];
      let n = 0;
      for (let at = 0; at < stream.length; at += step) {
        const got = s.push(stream.subarray(at, at + step));
        n += got.rows;
        out.push(Buffer.from(got.tuples));
      }
      expect(s.ended).toBe(true);
      expect(n).toBe(50);
      expect(Buffer.concat(out).equals(Buffer.concat(rows))).toBe(true);
    }
  });

  it('decodes the last tuple key as COPY text (int, text, uuid, NULL)', () => {
    const s = new BinaryCopySplitter();
    const got = s.push(stream);
    expect(BinaryCopySplitter.key(got.tuples, got.lastStart, [0, 1, 2], types)).toEqual(['50000000350', null, '00000009-0000-4000-8000-000000000009']);
    const upTo48 = new BinaryCopySplitter().push(Buffer.concat([PG_BINARY_HEADER, ...rows.slice(0, 48)]));
    expect(BinaryCopySplitter.key(upTo48.tuples, upTo48.lastStart, [1, 2], types.slice(1))).toEqual(['naïve 47\tx', '00000007-0000-4000-8000-000000000007']);
    const one = new BinaryCopySplitter().push(Buffer.concat([PG_BINARY_HEADER, rows[0]!]));
    expect(BinaryCopySplitter.key(one.tuples, one.lastStart, [0, 1, 2], types)).toEqual(['1000000007', null, null]);
  });

  it('batches carry the rows, bytes and cursor; a stream cut before its trailer is an error', async () => {
    const task = { keyColumns: ['id'], columns: ['id', 'name', 'u'] } as unknown as SnapshotTask;
    async function* parts(b: Buffer) {
      for (let at = 0; at < b.length; at += 100) yield b.subarray(at, at + 100);
    }
    const batches = [];
    for await (const b of binaryBatches(parts(stream), task, undefined, { worker: 0, batchRows: 20, batchBytes: 1 << 20 }, [types[0]!])) batches.push(b);
    expect(batches.reduce((n, b) => n + (b.encoded?.rows ?? 0), 0)).toBe(50);
    expect(batches.at(-1)!.cursor).toMatchObject({ done: true, rows: 50, after: ['50000000350'] });
    expect(batches.every((b) => b.encoded?.format === 'pg-copy-binary')).toBe(true);
    const cut = stream.subarray(0, stream.length - 2);
    await expect(async () => {
      for await (const _ of binaryBatches(parts(cut), task, undefined, { worker: 0, batchRows: 20, batchBytes: 1 << 20 }, [types[0]!]));
    }).rejects.toThrow(/trailer/);
  });

  it('only built-in types and enums travel in binary; keys only where the cursor can be read back', () => {
    expect(binaryColumnOk({ kind: 'array', element: { kind: 'int', bits: 32 } } as ColumnType)).toBe(false);
    expect(binaryColumnOk({ kind: 'other' } as ColumnType)).toBe(false);
    expect(binaryColumnOk({ kind: 'datetime', fsp: 6 } as ColumnType)).toBe(true);
    expect(binaryKeyOk({ kind: 'datetime', fsp: 6 } as ColumnType)).toBe(false);
    expect(binaryKeyOk({ kind: 'varchar', length: 10 } as ColumnType)).toBe(true);
  });
});
