import { describe, expect, it } from 'vitest';
import { TextBatchParser, TextRowParser } from './row-reader';
import { textRowsToRows } from '../text-rows';
import type { ColumnType } from '../spi';

/** A text-protocol row payload: length-coded strings, 0xfb for NULL. */
function payload(values: (Buffer | string | null)[]): Buffer {
  const parts: Buffer[] = [];
  for (const v of values) {
    if (v === null) {
      parts.push(Buffer.from([0xfb]));
      continue;
    }
    const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    const n = b.length;
    if (n < 251) parts.push(Buffer.from([n]));
    else if (n < 0x10000) parts.push(Buffer.from([0xfc, n & 0xff, n >> 8]));
    else if (n < 0x1000000) parts.push(Buffer.from([0xfd, n & 0xff, (n >> 8) & 0xff, n >> 16]));
    else {
      const h = Buffer.alloc(9);
      h[0] = 0xfe;
      h.writeUInt32LE(n, 1);
      parts.push(h);
    }
    parts.push(b);
  }
  return Buffer.concat(parts);
}

describe('TextRowParser', () => {
  it('reads every length encoding, NULLs, text, binary and BIT values exactly', () => {
    const long = 'ü'.repeat(200); // 400 bytes: 0xfc length
    const longer = 'x'.repeat(70_000); // 0xfd length
    const huge = 'y'.repeat(0x1000000 + 3); // 0xfe length
    const bin = Buffer.from([0, 1, 0xfb, 0xff, 0x5c, 0x09]);
    const parser = new TextRowParser([
      { kind: 'int', bits: 64 },
      { kind: 'varchar' },
      { kind: 'text' },
      { kind: 'text' },
      { kind: 'blob' },
      { kind: 'bit', length: 10 },
      { kind: 'datetime' },
      { kind: 'json' },
      { kind: 'text' },
    ]);
    const head = Buffer.from([1, 2, 3, 4]); // the row starts at the packet's offset
    const body = payload(['-42', long, longer, huge, bin, Buffer.from([0x02, 0x05]), null, '{"a": "😀"}', '']);
    const packet = { buffer: Buffer.concat([head, body]), offset: 4 };
    const row = parser.next(packet);
    expect(row).toEqual(['-42', long, longer, huge, bin, '1000000101', null, '{"a": "😀"}', '']);
    expect(Buffer.isBuffer(row[4])).toBe(true);
    expect(packet.offset).toBe(packet.buffer.length);
    expect(parser.bytes).toBe(3 + 1 + 400 + 1 + 70_000 + 1 + huge.length + 1 + 6 + 1 + 2 + 1 + 1 + Buffer.byteLength('{"a": "😀"}') + 1 + 1);
  });

  it('copies binary values out of the packet buffer', () => {
    const parser = new TextRowParser([{ kind: 'varbinary' }]);
    const packet = { buffer: payload([Buffer.from('abc')]), offset: 0 };
    const row = parser.next(packet);
    packet.buffer.fill(0);
    expect(row[0]).toEqual(Buffer.from('abc'));
  });
});

describe('TextBatchParser', () => {
  it('keeps the rows as bytes that decode to what TextRowParser reads, growing its buffers', () => {
    const types: ColumnType[] = [{ kind: 'int' }, { kind: 'text' }, { kind: 'varbinary' }, { kind: 'bit', length: 3 }];
    const rowParser = new TextRowParser(types);
    const batch = new TextBatchParser(types, 64); // tiny: the buffer and the offset arrays must grow
    const expected = [];
    for (let i = 0; i < 600; i++) {
      const values = [String(i), i % 3 ? null : 'ü\t'.repeat(i % 50), i % 4 ? Buffer.from([i & 255, 0]) : null, i % 5 ? Buffer.from([i & 7]) : null];
      const buffer = Buffer.concat([Buffer.from([9, 9]), payload(values)]);
      expected.push(rowParser.next({ buffer, offset: 2 }));
      batch.next({ buffer, offset: 2, end: buffer.length });
    }
    expect(batch.bytes).toBe(rowParser.bytes);
    const t = batch.take();
    expect(t.count).toBe(600);
    expect(t.binary).toEqual([false, false, true, false]);
    expect(textRowsToRows(t)).toEqual(expected);
    expect(batch.take().count).toBe(0);
  });
});
