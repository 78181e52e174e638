/**
 * An exact canonical form of a JSON text, computed in the agent: the second opinion for JSON
 * values whose in-database canonical text cannot be identical across engines (MariaDB keeps a
 * string's escapes as written, `\u00e9` or `\/`, where jsonb keeps the decoded character).
 * Numbers are never converted to a double: `18446744073709551615` and `1.0e2` keep every digit and
 * compare by value (`100` = `1.0e2` = `1E+2`); strings are decoded; object keys sorted, the last
 * of duplicate keys wins (as jsonb does); no whitespace. Throws on invalid JSON.
 */

/** `[-]digits` with an exponent: the decimal value of a JSON number, canonical (`0` for any zero). */
export function canonicalNumber(s: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m) throw new SyntaxError(`not a JSON number: ${s.slice(0, 40)}`);
  const digits = (m[2]! + (m[3] ?? '')).replace(/^0+/, '');
  if (digits === '') return '0';
  const lead = (m[2]! + (m[3] ?? '')).length - digits.length;
  const exp = BigInt(m[4] ?? '0') + BigInt(m[2]!.length - 1 - lead);
  const d = digits.replace(/0+$/, '');
  return `${m[1]}${d}e${exp.toString()}`;
}

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i]!)) this.i++;
  }

  private fail(what: string): never {
    throw new SyntaxError(`invalid JSON at ${this.i}: ${what}`);
  }

  value(): string {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return JSON.stringify(this.string());
    for (const lit of ['true', 'false', 'null']) {
      if (this.s.startsWith(lit, this.i)) {
        this.i += lit.length;
        return lit;
      }
    }
    const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 4096));
    if (!m) this.fail('unexpected character');
    this.i += m[0].length;
    return canonicalNumber(m[0]);
  }

  private string(): string {
    // JSON.parse decodes every escape exactly; find the closing quote first.
    const start = this.i;
    this.i++;
    while (this.i < this.s.length && this.s[this.i] !== '"') this.i += this.s[this.i] === '\\' ? 2 : 1;
    if (this.i >= this.s.length) this.fail('unterminated string');
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }

  private object(): string {
    this.i++;
    const entries = new Map<string, string>();
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return '{}';
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected a key');
      const k = this.string();
      this.ws();
      if (this.s[this.i++] !== ':') this.fail('expected :');
      entries.set(k, this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') break;
      if (c !== ',') this.fail('expected , or }');
    }
    const keys = [...entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${entries.get(k)!}`).join(',')}}`;
  }

  private array(): string {
    this.i++;
    const items: string[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return '[]';
    }
    for (;;) {
      items.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') break;
      if (c !== ',') this.fail('expected , or ]');
    }
    return `[${items.join(',')}]`;
  }
}

/** The exact canonical form of a JSON text. */
export function canonicalJson(text: string): string {
  const p = new Parser(text);
  const v = p.value();
  p.i = skipWs(text, p.i);
  if (p.i !== text.length) throw new SyntaxError('trailing characters after the JSON value');
  return v;
}

function skipWs(s: string, i: number): number {
  while (i < s.length && ' \t\r\n'.includes(s[i]!)) i++;
  return i;
}

/** Whether two JSON texts hold the same value (false when either is not valid JSON and they differ as text). */
export function sameJson(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  if (a === b) return true;
  try {
    return canonicalJson(a) === canonicalJson(b);
  } catch {
    return false;
  }
}
