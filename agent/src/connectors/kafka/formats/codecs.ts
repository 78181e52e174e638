/**
 * Small exact codecs the formats share: Kafka Connect Decimal bytes (two's
 * complement big-endian unscaled value), Debezium Bits (little-endian),
 * PostgreSQL 1-D array literals, PostgreSQL intervals as ISO 8601, money text.
 */

/** '12345.67', scale 4 -> 123456700n. Throws on text that is not a plain decimal. */
export function unscaled(text: string, scale: number): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m || (m[2] === '' && !m[3])) throw new Error(`'${text.slice(0, 40)}' is not a decimal number`);
  const frac = m[3] ?? '';
  if (frac.length > scale && /[1-9]/.test(frac.slice(scale))) throw new Error(`'${text.slice(0, 40)}' has more than ${scale} decimals`);
  const digits = `${m[2] || '0'}${frac.padEnd(scale, '0').slice(0, scale)}`;
  const n = BigInt(digits);
  return m[1] === '-' ? -n : n;
}

/** 123456700n, scale 4 -> '12345.6700' (exactly `scale` decimals). */
export function scaledText(n: bigint, scale: number): string {
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${neg ? '-' : ''}${int}${scale > 0 ? `.${frac}` : ''}`;
}

/** The decimal text's own scale ('1.50' -> 2). */
export function scaleOf(text: string): number {
  return /\.(\d*)$/.exec(text.trim())?.[1]?.length ?? 0;
}

/** Two's complement big-endian, minimal length (Java BigInteger.toByteArray). */
export function bigintToBytes(n: bigint): Buffer {
  let len = 1;
  while (n < -(1n << BigInt(8 * len - 1)) || n >= 1n << BigInt(8 * len - 1)) len++;
  const v = n < 0n ? (1n << BigInt(8 * len)) + n : n;
  return Buffer.from(v.toString(16).padStart(len * 2, '0'), 'hex');
}

export function bytesToBigint(b: Buffer): bigint {
  if (b.length === 0) return 0n;
  const v = BigInt(`0x${b.toString('hex')}`);
  return (b[0]! & 0x80) !== 0 ? v - (1n << BigInt(8 * b.length)) : v;
}

/** '0101…' -> Debezium Bits bytes: little-endian, `numBytes` long. */
export function bitsToBytes(bits: string, numBytes: number): Buffer {
  if (!/^[01]*$/.test(bits)) throw new Error(`'${bits.slice(0, 40)}' is not a bit string`);
  let v = bits === '' ? 0n : BigInt(`0b${bits}`);
  const out = Buffer.alloc(numBytes);
  for (let i = 0; i < numBytes; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Little-endian bytes -> '0101…' of exactly `length` digits (null: the shortest form, '' for no bytes). */
export function bytesToBits(b: Buffer, length: number | null): string {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  if (length === null) return b.length === 0 ? '' : v.toString(2);
  return v
    .toString(2)
    .padStart(length, '0')
    .slice(-length || undefined);
}

// ---------------------------------------------------------------- PostgreSQL arrays

/** A 1-D PostgreSQL array literal -> its elements (NULL -> null). Throws on nested arrays. */
export function parsePgArray(text: string): (string | null)[] {
  const s = text.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) throw new Error('not an array literal');
  const out: (string | null)[] = [];
  let i = 1;
  const end = s.length - 1;
  if (i === end) return out;
  while (i <= end) {
    if (s[i] === '{') throw new Error('multi-dimensional arrays are not supported');
    if (s[i] === '"') {
      let v = '';
      i++;
      while (i < end && s[i] !== '"') {
        if (s[i] === '\\') i++;
        v += s[i];
        i++;
      }
      i++; // closing quote
      out.push(v);
    } else {
      let j = i;
      while (j < end && s[j] !== ',') j++;
      const raw = s.slice(i, j).trim();
      out.push(raw.toUpperCase() === 'NULL' ? null : raw);
      i = j;
    }
    if (s[i] === ',') i++;
    else if (i >= end) break;
  }
  return out;
}

/** Elements -> a PostgreSQL array literal (quoted where PostgreSQL would quote). */
export function formatPgArray(items: (string | null)[]): string {
  const q = (v: string | null): string => {
    if (v === null) return 'NULL';
    if (v === '' || /[{}",\\\s]/.test(v) || v.toUpperCase() === 'NULL') return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    return v;
  };
  return `{${items.map(q).join(',')}}`;
}

// ---------------------------------------------------------------- intervals and money

/** PostgreSQL interval text (IntervalStyle postgres) -> ISO 8601 duration, as Debezium's Interval does. */
export function pgIntervalToIso(text: string): string {
  const s = text.trim();
  if (/^-?P/.test(s)) return s;
  let y = 0;
  let mo = 0;
  let d = 0;
  for (const m of s.matchAll(/([+-]?\d+) (year|mon|day)s?/g)) {
    const n = Number(m[1]);
    if (m[2] === 'year') y += n;
    else if (m[2] === 'mon') mo += n;
    else d += n;
  }
  let time = '';
  const t = /([+-])?(\d+):(\d\d):(\d\d)(?:\.(\d+))?/.exec(s.replace(/[+-]?\d+ (?:year|mon|day)s?/g, ''));
  if (t) {
    const sign = t[1] === '-' ? '-' : '';
    const h = Number(t[2]);
    const mi = Number(t[3]);
    const frac = (t[5] ?? '').replace(/0+$/, '');
    const sec = `${Number(t[4])}${frac ? `.${frac}` : ''}`;
    if (h) time += `${sign}${h}H`;
    if (mi) time += `${sign}${mi}M`;
    if (sec !== '0') time += `${sign}${sec}S`;
  }
  let out = 'P';
  if (y) out += `${y}Y`;
  if (mo) out += `${mo}M`;
  if (d) out += `${d}D`;
  if (time) out += `T${time}`;
  return out === 'P' ? 'PT0S' : out;
}

/** PostgreSQL money text ('-$1,234.56', '12.34') -> a plain decimal ('-1234.56'). */
export function moneyToDecimal(text: string): string {
  const neg = /^\s*-|\(/.test(text);
  const digits = text.replace(/[^\d.]/g, '');
  if (!/^\d+(\.\d+)?$/.test(digits)) throw new Error(`'${text.slice(0, 40)}' is not a money amount`);
  return neg ? `-${digits}` : digits;
}
