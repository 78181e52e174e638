import { describe, expect, it } from 'vitest';
import { CopyTextParser, encodeMysqlLoadData, encodePgCopyText, unescapeCopyField } from './copy-text';
import type { Row } from './spi';

describe('COPY text codec', () => {
  const rows: Row[] = [
    ['1', 'plain', null],
    ['2', 'tab\there\nnew\\line \\N', Buffer.from([0, 255, 10])],
    ['3', '', 'héllo 🎉'],
  ];

  it('round-trips PG COPY text, keeping NULL apart from the string \\N', () => {
    const buf = Buffer.concat([...encodePgCopyText(rows)]);
    const p = new CopyTextParser();
    const out: (string | null)[][] = [];
    // feed in awkward pieces to exercise the line carry-over
    for (let i = 0; i < buf.length; i += 7) p.push(buf.subarray(i, i + 7), (f) => out.push(f));
    expect(p.pending).toBe(false);
    expect(out).toEqual([
      ['1', 'plain', null],
      ['2', 'tab\there\nnew\\line \\N', '\\x00ff0a'],
      ['3', '', 'héllo 🎉'],
    ]);
  });

  it('decodes octal and named escapes', () => {
    expect(unescapeCopyField('a\\101\\b\\f\\v\\\\')).toBe('aA\b\f\v\\');
  });

  it('encodes LOAD DATA rows with \\N, escapes and hex for bytes', () => {
    const text = Buffer.concat([...encodeMysqlLoadData([['a\0b', null, Buffer.from('hi')]])]).toString('utf8');
    expect(text).toBe('a\\0b\t\\N\t6869\n');
  });

  it('splits output into bounded chunks', () => {
    const many: Row[] = Array.from({ length: 1000 }, (_, i) => [String(i), 'x'.repeat(100)]);
    const chunks = [...encodePgCopyText(many, 10_000)];
    expect(chunks.length).toBeGreaterThan(5);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(10_200);
  });
});
