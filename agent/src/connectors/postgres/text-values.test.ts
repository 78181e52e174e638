import { describe, expect, it } from 'vitest';
import { pgArrayToJson, pgMoneyToNumeric } from './text-values';

describe('PG text values as the snapshot reads them through SQL (CDC, PG -> MySQL)', () => {
  it('turns PG array text into JSON like array_to_json', () => {
    expect(pgArrayToJson('{1,2,3}', 'number')).toBe('[1,2,3]');
    expect(pgArrayToJson('{1.50,12345678901234567890}', 'number')).toBe('[1.50,12345678901234567890]');
    expect(pgArrayToJson('{1,2}')).toBe('["1","2"]');
    expect(pgArrayToJson('{"a b","c\\"d",NULL,plain}')).toBe('["a b","c\\"d",null,"plain"]');
    expect(pgArrayToJson('{{1,2},{3,4}}', 'number')).toBe('[[1,2],[3,4]]');
    expect(pgArrayToJson('{}')).toBe('[]');
    expect(pgArrayToJson('{t,f}', 'bool')).toBe('[true,false]');
    expect(pgArrayToJson('[0:1]={5,6}', 'number')).toBe('[5,6]');
  });
  it('turns money text into numeric text', () => {
    expect(pgMoneyToNumeric('$1,234.50')).toBe('1234.50');
    expect(pgMoneyToNumeric('-$3.00')).toBe('-3.00');
    expect(pgMoneyToNumeric('($3.00)')).toBe('-3.00');
  });
});
