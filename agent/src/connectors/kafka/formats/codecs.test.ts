import { describe, expect, it } from 'vitest';
import {
  bigintToBytes,
  bitsToBytes,
  bytesToBigint,
  bytesToBits,
  formatPgArray,
  moneyToDecimal,
  parsePgArray,
  pgIntervalToIso,
  scaledText,
  unscaled,
} from './codecs';
import { JNum, parseExactJson, stringifyExact } from './exact-json';
import { dateToDays, daysToDate, microsToMillis, microsToParts, microsToTime, timestampEpochText, timestampToMicros, timeToMicros } from './temporal';

describe('exact JSON', () => {
  it('keeps every number as its text and round-trips', () => {
    const text =
      '{"u":18446744073709551615,"d":-99999999999999999999.999999999999999999999999999999,"e":1.7976931348623157e308,"a":[0,-0.5,"x",null,true],"o":{}}';
    const v = parseExactJson(text);
    expect(v instanceof Map && v.get('u')).toEqual(new JNum('18446744073709551615'));
    expect(stringifyExact(v)).toBe(text);
  });
  it('rejects what JSON rejects', () => {
    for (const bad of ['{', '[1,]', '{"a" 1}', '01', '"\u0001"', 'nul', '1 2']) expect(() => parseExactJson(bad)).toThrow();
  });
});

describe('Connect Decimal bytes', () => {
  it.each([
    ['0', 0, 'AA=='],
    ['18446744073709551615', 0, 'AP//////////'],
    ['-1', 0, '/w=='],
    ['128', 0, 'AIA='],
    ['-128', 0, 'gA=='],
    ['12345.6789012345', 10, undefined],
    ['-99999999999999999999999999999999999.999999999999999999999999999999', 30, undefined],
  ])('%s at scale %i round-trips exactly', (text, scale, b64) => {
    const bytes = bigintToBytes(unscaled(text, scale));
    if (b64) expect(bytes.toString('base64')).toBe(b64);
    expect(scaledText(bytesToBigint(bytes), scale)).toBe(text);
  });
  it('pads to the scale and refuses lost digits', () => {
    expect(scaledText(unscaled('1.5', 3), 3)).toBe('1.500');
    expect(() => unscaled('1.2345', 2)).toThrow(/more than 2 decimals/);
  });
});

describe('bits, arrays, intervals, money', () => {
  it('Debezium Bits are little-endian', () => {
    expect(bitsToBytes('101010101010', 2)).toEqual(Buffer.from([0xaa, 0x0a]));
    expect(bytesToBits(Buffer.from([0xaa, 0x0a]), 12)).toBe('101010101010');
    expect(bytesToBits(Buffer.from([0x05]), null)).toBe('101');
    expect(bytesToBits(Buffer.alloc(0), null)).toBe('');
  });
  it('PostgreSQL array literals', () => {
    expect(parsePgArray('{"a b","c,d",NULL,"x\\"y",plain}')).toEqual(['a b', 'c,d', null, 'x"y', 'plain']);
    expect(formatPgArray(['a b', 'c,d', null, 'x"y', 'plain', ''])).toBe('{"a b","c,d",NULL,"x\\"y",plain,""}');
    expect(parsePgArray('{}')).toEqual([]);
    expect(() => parsePgArray('{{1},{2}}')).toThrow(/multi-dimensional/);
  });
  it('intervals as ISO 8601, money as a decimal', () => {
    expect(pgIntervalToIso('1 year 2 mons 3 days 04:05:06')).toBe('P1Y2M3DT4H5M6S');
    expect(pgIntervalToIso('-1 days')).toBe('P-1D');
    expect(pgIntervalToIso('00:00:01.500')).toBe('PT1.5S');
    expect(pgIntervalToIso('00:00:00')).toBe('PT0S');
    expect(moneyToDecimal('-$92,233,720,368,547,758.08')).toBe('-92233720368547758.08');
  });
});

describe('temporal', () => {
  it('dates to epoch days and back, across the whole range', () => {
    for (const [d, n] of [
      ['1970-01-01', 0],
      ['2024-02-29', 19782],
      ['1000-01-01', -354285],
      ['9999-12-31', 2932896],
      ['0001-01-01', -719162],
    ] as const) {
      expect(dateToDays(d)).toBe(n);
      expect(daysToDate(n)).toBe(d);
    }
  });
  it('timestamps with offsets to UTC microseconds', () => {
    expect(timestampToMicros('2024-02-29 13:14:15.123456+05:30')).toBe(timestampToMicros('2024-02-29 07:44:15.123456'));
    expect(microsToParts(timestampToMicros('1000-01-01 00:00:00.000001'))).toEqual(['1000-01-01', '00:00:00', '000001']);
    expect(microsToParts(-1n)).toEqual(['1969-12-31', '23:59:59', '999999']);
  });
  it('MySQL times beyond a day and negative', () => {
    expect(microsToTime(timeToMicros('-838:59:59.000000'), { pad: 6 })).toBe('-838:59:59.000000');
    expect(microsToTime(timeToMicros('24:00:00'), 'trim')).toBe('24:00:00');
    expect(microsToTime(timeToMicros('13:14:15.120'), 'trim')).toBe('13:14:15.12');
  });
});

describe('timestampEpochText', () => {
  it('gives what the BigInt path gives, for any zone-less timestamp', () => {
    const cases = ['1970-01-01 00:00:00', '1970-01-01 00:00:00.000001', '1969-12-31 23:59:59.999999', '1969-12-31 23:59:59', '1969-12-31 23:59:59.5'];
    cases.push('1000-01-01 00:00:00.000001', '9999-12-31 23:59:59.999999', '0001-01-01 00:00:00', '2024-02-29T13:14:15.123456789', '1970-01-01 00:00:00.0005');
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const p = (n: number, w: number) => String(n).padStart(w, '0');
    for (let i = 0; i < 3000; i++) {
      const frac = rnd(3) === 0 ? '' : `.${p(rnd(1000000000), 9).slice(0, 1 + rnd(9))}`;
      cases.push(`${p(1 + rnd(9999), 4)}-${p(1 + rnd(12), 2)}-${p(1 + rnd(28), 2)} ${p(rnd(24), 2)}:${p(rnd(60), 2)}:${p(rnd(60), 2)}${frac}`);
    }
    for (const s of cases) {
      expect(timestampEpochText(s, false), s).toBe(String(timestampToMicros(s)));
      expect(timestampEpochText(s, true), s).toBe(String(microsToMillis(timestampToMicros(s))));
    }
  });
  it('leaves zero dates, offsets and other shapes to the caller', () => {
    for (const s of [
      '0000-00-00 00:00:00',
      '0000-01-01 00:00:00',
      '2024-00-10 00:00:00',
      '2024-01-00 00:00:00',
      '2024-01-01 00:00:00+02',
      'infinity',
      '2024-01-01',
      '2024-01-01 00:00:00.',
      '2024-01-01 00:00:00.1234567890',
    ])
      expect(timestampEpochText(s, false), s).toBeNull();
  });
});
