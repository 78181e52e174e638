/**
 * PostgreSQL text forms turned into what a snapshot's SQL read expression would
 * have produced (engine/type-mapping.ts `streamConvert`): for values that arrive
 * as plain text, as changes streamed by CDC do.
 */

/**
 * PG array text ('{1,"a b",NULL,{2,3}}') -> JSON text like array_to_json: numbers
 * for numeric element types, booleans for bool, strings otherwise.
 */
export function pgArrayToJson(text: string, element: 'number' | 'bool' | 'string' = 'string'): string {
  let i = 0;
  const parse = (): unknown[] => {
    if (text[i] !== '{') throw new Error(`not a PG array: ${text.slice(0, 40)}`);
    i++;
    const out: unknown[] = [];
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      if (text[i] === '{') out.push(parse());
      else if (text[i] === '"') {
        i++;
        let s = '';
        while (text[i] !== '"') {
          if (text[i] === '\\') i++;
          s += text[i];
          i++;
        }
        i++;
        out.push(s);
      } else {
        let s = '';
        while (text[i] !== ',' && text[i] !== '}') s += text[i++];
        if (s === 'NULL') out.push(null);
        else if (element === 'number' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s)) out.push(new RawNumber(s));
        else if (element === 'bool' && (s === 't' || s === 'f')) out.push(s === 't');
        else out.push(s);
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return out;
      }
      throw new Error(`malformed PG array near ${i}: ${text.slice(0, 40)}`);
    }
  };
  // Arrays with explicit bounds ('[0:1]={...}') drop the bounds, as array_to_json does.
  if (text.startsWith('[')) i = text.indexOf('=') + 1;
  // Numbers keep their exact text (no float round trip).
  const raw: string[] = [];
  const json = JSON.stringify(parse(), (_k, v: unknown) => (v instanceof RawNumber ? `\u0000n${raw.push(v.text) - 1}` : v));
  return json.replace(/"\\u0000n(\d+)"/g, (_m, n: string) => raw[Number(n)]!);
}

class RawNumber {
  constructor(readonly text: string) {}
}

/** PG money text in any lc_monetary ('$1,234.50', '-$3.00', '(3.00)') -> plain numeric text. */
export function pgMoneyToNumeric(text: string): string {
  const neg = /^-|^\(|-$/.test(text.trim());
  const digits = text.replace(/[^0-9.]/g, '');
  return neg ? `-${digits}` : digits;
}
