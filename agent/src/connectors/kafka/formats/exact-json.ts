/**
 * JSON without JS numbers. The change formats carry 20-digit unsigned
 * bigints, DECIMAL(65,30) and microsecond epochs as JSON numbers, which
 * JSON.parse would round. `parseExactJson` keeps every number as its exact
 * text (JNum); objects are Maps (key order kept, no prototype keys). The
 * writer side (`jNum`, `jStr`, `jObj`) builds JSON text by hand from exact text.
 */

/** A JSON number kept as its exact text. */
export class JNum {
  constructor(readonly text: string) {}
}
export type JVal = null | boolean | string | JNum | JVal[] | JObj;
export type JObj = Map<string, JVal>;

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** True when `s` is a valid JSON number text. */
export function isJsonNumber(s: string): boolean {
  return NUMBER.test(s);
}

export class JsonSyntaxError extends Error {}

export function parseExactJson(text: string): JVal {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at offset ${i}`);
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    let simple = true;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        simple = false;
        i += 2;
      } else if (text.charCodeAt(i) < 0x20) fail('control character in string');
      else i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    const raw = text.slice(start, i);
    return simple ? raw.slice(1, -1) : (JSON.parse(raw) as string);
  };
  const value = (depth: number): JVal => {
    if (depth > 512) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: JObj = new Map();
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const k = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        obj.set(k, value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return obj;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: JVal[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return arr;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) return ((i += 4), true);
    if (text.startsWith('false', i)) return ((i += 5), false);
    if (text.startsWith('null', i)) return ((i += 4), null);
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 2048));
    if (!m) return fail('unexpected character');
    i += m[0].length;
    return new JNum(m[0]);
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('trailing characters');
  return v;
}

/** Serialises a parsed value back to JSON text (numbers as their exact text). */
export function stringifyExact(v: JVal): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof JNum) return v.text;
  if (Array.isArray(v)) return `[${v.map(stringifyExact).join(',')}]`;
  return `{${[...v].map(([k, x]) => `${JSON.stringify(k)}:${stringifyExact(x)}`).join(',')}}`;
}

// ---------------------------------------------------------------- writing

/** JSON text of a string. */
export const jStr = (s: string): string => JSON.stringify(s);

/** JSON text of a number given as exact text; throws when the text is not a JSON number. */
export function jNum(text: string): string {
  if (!NUMBER.test(text)) throw new Error(`'${text.slice(0, 40)}' is not a JSON number`);
  return text;
}

/** JSON object text from already-serialised member values (undefined members are left out). */
export function jObj(members: [string, string | undefined][]): string {
  return `{${members
    .filter((m): m is [string, string] => m[1] !== undefined)
    .map(([k, v]) => `${jStr(k)}:${v}`)
    .join(',')}}`;
}

export function jArr(items: string[]): string {
  return `[${items.join(',')}]`;
}

// ---------------------------------------------------------------- reading helpers

export function isObj(v: JVal | undefined): v is JObj {
  return v instanceof Map;
}

/** A member of an object, or undefined when `v` is not an object. */
export function member(v: JVal | undefined, key: string): JVal | undefined {
  return v instanceof Map ? v.get(key) : undefined;
}

export function memberStr(v: JVal | undefined, key: string): string | undefined {
  const m = member(v, key);
  return typeof m === 'string' ? m : undefined;
}

/** A scalar as text: strings as they are, numbers as exact text, booleans as 'true'/'false'. */
export function scalarText(v: JVal | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof JNum) return v.text;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}
