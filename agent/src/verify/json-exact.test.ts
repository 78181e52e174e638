import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalNumber, sameJson } from './json-exact';

describe('exact JSON canonical form', () => {
  it('keeps every digit of big integers and compares numbers by value', () => {
    expect(canonicalNumber('18446744073709551615')).toBe('18446744073709551615e19');
    expect(canonicalNumber('18446744073709551614')).not.toBe(canonicalNumber('18446744073709551615'));
    expect(canonicalNumber('100')).toBe(canonicalNumber('1.0e2'));
    expect(canonicalNumber('1E+2')).toBe(canonicalNumber('100.000'));
    expect(canonicalNumber('-0.0')).toBe('0');
    expect(canonicalNumber('0.00015')).toBe(canonicalNumber('1.5e-4'));
    expect(canonicalNumber('-123456789012345678901234567890')).toBe('-12345678901234567890123456789e29');
  });

  it('decodes string escapes, sorts keys, last duplicate wins, ignores whitespace', () => {
    expect(canonicalJson('"\\u00e9 \\/ é"')).toBe(canonicalJson('"é / é"'));
    expect(canonicalJson('{ "b": 1, "a": [1, 2.50, {"é": null}] }')).toBe('{"a":[1e0,25e0,{"é":null}],"b":1e0}');
    expect(canonicalJson('{"a": 1, "a": 2}')).toBe(canonicalJson('{"a": 2}'));
    expect(canonicalJson('"a\\"b\\\\c\\u0001"')).toBe(JSON.stringify('a"b\\c\u0001'));
  });

  it('a real difference stays a difference; invalid JSON is never equal to another text', () => {
    expect(sameJson('{"big": 18446744073709551615}', '{"big":1.8446744073709551615E19}')).toBe(true);
    expect(sameJson('{"big": 18446744073709551615}', '{"big": 18446744073709551614}')).toBe(false);
    expect(sameJson('"ünï"', '"\\u00fcn\\u00ef"')).toBe(true);
    expect(sameJson('"ünï"', '"uni"')).toBe(false);
    expect(sameJson('{', '{ ')).toBe(false);
    expect(sameJson(null, 'null')).toBe(false);
    expect(() => canonicalJson('[1] x')).toThrow(SyntaxError);
  });
});
