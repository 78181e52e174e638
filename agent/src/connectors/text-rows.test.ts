import { describe, expect, it } from 'vitest';
import { encodeMysqlLoadData, encodePgCopyText } from './copy-text';
import { encodeTextRows, textRowsToRows, textRowsValue, type TextRows } from './text-rows';
import type { Row } from './spi';

/** TextRows holding `rows` as bytes (Buffers in binary columns). */
function pack(rows: Row[], binary: boolean[]): TextRows {
  const columns = binary.length;
  const parts: Buffer[] = [];
  const starts = new Int32Array(rows.length * columns);
  const lens = new Int32Array(rows.length * columns);
  let o = 7; // values need not start at 0
  parts.push(Buffer.from('garbage'));
  rows.forEach((row, r) =>
    row.forEach((v, c) => {
      if (v === null) {
        lens[r * columns + c] = -1;
        return;
      }
      const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
      starts[r * columns + c] = o;
      lens[r * columns + c] = b.length;
      parts.push(b);
      o += b.length;
    }),
  );
  return { count: rows.length, columns, buf: Buffer.concat(parts), starts, lens, binary, values: binary.map(() => undefined) };
}

const texts = ['', 'plain', 'tab\there', 'new\nline', 'cr\rx', 'back\\slash', 'nul\0byte', 'ünïcødé 😀', '\\N', 'x'.repeat(5000)];
const bins = [Buffer.alloc(0), Buffer.from([0, 9, 10, 13, 0x5c, 0xff]), Buffer.from('abc')];

function sampleRows(n: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < n; i++)
    rows.push([String(i), i % 4 === 0 ? null : texts[i % texts.length]!, i % 5 === 0 ? null : bins[i % bins.length]!, texts[(i * 7) % texts.length]!]);
  return rows;
}
const binary = [false, false, true, false];

describe('TextRows', () => {
  it('decodes to the rows it holds', () => {
    const rows = sampleRows(200);
    const t = pack(rows, binary);
    expect(textRowsToRows(t)).toEqual(rows);
    expect(textRowsValue(t, 5, 3)).toBe(rows[5]![3]);
  });

  it('encodes the same PG COPY text and LOAD DATA bytes as the row encoders, across chunk boundaries', () => {
    const rows = sampleRows(3000);
    const t = pack(rows, binary);
    const cat = (it: Iterable<Buffer>) => Buffer.concat([...it]);
    expect(cat(encodeTextRows(t, false, undefined, 4096)).equals(cat(encodePgCopyText(rows)))).toBe(true);
    expect(cat(encodeTextRows(t, true)).equals(cat(encodeMysqlLoadData(rows)))).toBe(true);
  });

  it('writes converted values instead of the bytes, and text columns as hex where asked', () => {
    const rows = sampleRows(50);
    const t = pack(rows, binary);
    const converted = rows.map((r) => (r[1] === null ? null : `<${r[1] as string}>`));
    t.values[1] = converted;
    const expected = rows.map((r, i) => [r[0]!, converted[i]!, r[2]!, r[3]!]);
    const cat = (it: Iterable<Buffer>) => Buffer.concat([...it]);
    expect(cat(encodeTextRows(t, false)).equals(cat(encodePgCopyText(expected)))).toBe(true);
    // a MySQL target's binary column: text bytes travel as hex, as prepareRows makes them Buffers
    const asBytes = expected.map((r) => [r[0]!, r[1]!, r[2]!, r[3] === null ? null : Buffer.from(r[3] as string, 'utf8')]);
    expect(cat(encodeTextRows(t, true, [false, false, false, true])).equals(cat(encodeMysqlLoadData(asBytes)))).toBe(true);
  });
});
