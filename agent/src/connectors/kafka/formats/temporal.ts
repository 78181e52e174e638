/**
 * Exact calendar arithmetic for the change formats: dates, times and
 * timestamps as text <-> epoch days / milliseconds / microseconds, in integers
 * (BigInt for microseconds), never through Date or a float. Proleptic
 * Gregorian calendar (days_from_civil, H. Hinnant), years 0000-9999.
 */

export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [m <= 2 ? era * 400 + yoe + 1 : era * 400 + yoe, m, d];
}

const p2 = (n: number): string => String(n).padStart(2, '0');
const p4 = (n: number): string => String(n).padStart(4, '0');

/** A zero or partly zero MySQL date ('0000-00-00', '2024-00-10'): no calendar day. */
export function isZeroDate(s: string): boolean {
  return /^0000-|^\d{4}-00-|^\d{4}-\d\d-00/.test(s);
}

/** 'YYYY-MM-DD' -> days since 1970-01-01. */
export function dateToDays(s: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(s);
  if (!m) throw new Error(`'${s}' is not a date`);
  return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function daysToDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${p4(y)}-${p2(m)}-${p2(d)}`;
}

/** Six fraction digits from 0-9 digits. */
const frac6 = (f: string | undefined): string => (f ?? '').padEnd(6, '0').slice(0, 6);

/** How fraction digits are printed: a fixed count (MySQL pads to the column's fsp) or trimmed (PostgreSQL). */
export type FractionStyle = { pad: number } | 'trim';

export function formatFraction(six: string, style: FractionStyle): string {
  if (style === 'trim') {
    const t = six.replace(/0+$/, '');
    return t ? `.${t}` : '';
  }
  return style.pad > 0 ? `.${six.slice(0, style.pad)}` : '';
}

const TS = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d(?::?\d\d(?::?\d\d)?)?)?$/;

function offsetSeconds(tz: string | undefined): number {
  if (!tz || tz === 'Z') return 0;
  const sign = tz[0] === '-' ? -1 : 1;
  const parts = tz.slice(1).replace(/:/g, '');
  return sign * (Number(parts.slice(0, 2)) * 3600 + Number(parts.slice(2, 4) || '0') * 60 + Number(parts.slice(4, 6) || '0'));
}

/** 'YYYY-MM-DD HH:MM:SS[.ffffff][+hh[:mm]]' -> microseconds since the epoch (UTC; no offset = UTC). */
export function timestampToMicros(s: string): bigint {
  const m = TS.exec(s);
  if (!m) throw new Error(`'${s}' is not a timestamp`);
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  const secs = days * 86400 + Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]) - offsetSeconds(m[8]);
  return BigInt(secs) * 1000000n + BigInt(frac6(m[7]));
}

/** Microseconds since the epoch -> ['YYYY-MM-DD', 'HH:MM:SS', six fraction digits] in UTC. */
export function microsToParts(us: bigint): [string, string, string] {
  let secs = us / 1000000n;
  let rem = us % 1000000n;
  if (rem < 0n) {
    rem += 1000000n;
    secs -= 1n;
  }
  let days = secs / 86400n;
  let sod = secs % 86400n;
  if (sod < 0n) {
    sod += 86400n;
    days -= 1n;
  }
  const s = Number(sod);
  return [daysToDate(Number(days)), `${p2(Math.floor(s / 3600))}:${p2(Math.floor(s / 60) % 60)}:${p2(s % 60)}`, String(rem).padStart(6, '0')];
}

/** The fraction digits a timestamp text carries (for formats that keep the source's precision). */
export function fractionDigits(s: string): number {
  return /\.(\d+)/.exec(s)?.[1]?.length ?? 0;
}

/** '[-]HHH:MM:SS[.ffffff][+hh]' -> microseconds (MySQL TIME may be negative or beyond 24h; an offset is subtracted). */
export function timeToMicros(s: string): bigint {
  const m = /^(-)?(\d{1,3}):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?(Z|[+-]\d\d(?::?\d\d)?)?$/.exec(s);
  if (!m) throw new Error(`'${s}' is not a time`);
  const secs = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? '0') - offsetSeconds(m[6]);
  const us = BigInt(secs) * 1000000n + BigInt(frac6(m[5]));
  return m[1] ? -us : us;
}

/** Microseconds -> '[-]HH:MM:SS' + fraction by style (hours may exceed 23). */
export function microsToTime(us: bigint, style: FractionStyle): string {
  const neg = us < 0n;
  const a = neg ? -us : us;
  const secs = Number(a / 1000000n);
  const six = String(a % 1000000n).padStart(6, '0');
  return `${neg ? '-' : ''}${p2(Math.floor(secs / 3600))}:${p2(Math.floor(secs / 60) % 60)}:${p2(secs % 60)}${formatFraction(six, style)}`;
}

/** A time of day with an offset, as UTC wrapped to [0, 24h): '13:14:15+02' -> 11:14:15 (micros). */
export function timetzToUtcMicros(s: string): bigint {
  const day = 86400000000n;
  const us = timeToMicros(s) % day;
  return us < 0n ? us + day : us;
}

/** Milliseconds (BigInt) from microseconds, floored. */
export function microsToMillis(us: bigint): bigint {
  const q = us / 1000n;
  return us < 0n && us % 1000n !== 0n ? q - 1n : q;
}

/** Two ASCII digits at s[i], s[i+1] as a number; -1 when either is not a digit. */
function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The epoch microseconds (or, `millis`, milliseconds floored) of a zone-less timestamp text as exact decimal
 * text: what `String(timestampToMicros(s))` / `String(microsToMillis(...))` give, without BigInt. Seconds fit
 * a double exactly (|s| < 2^38 for years 0000-9999); the fraction is appended as digits, never multiplied.
 * Null for any other shape (an offset, a zero date, not a timestamp): the caller takes the BigInt path.
 */
export function timestampEpochText(s: string, millis: boolean): string | null {
  const n = s.length;
  if (n < 19 || n > 29 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  const sep = s.charCodeAt(10);
  if (sep !== 32 && sep !== 84) return null;
  const y1 = d2(s, 0);
  const y2 = d2(s, 2);
  const mo = d2(s, 5);
  const d = d2(s, 8);
  const h = d2(s, 11);
  const mi = d2(s, 14);
  const se = d2(s, 17);
  // year 0000 and zero months/days are zero dates (isZeroDate): the caller's path decides
  if (y1 < 0 || y2 < 0 || y1 + y2 === 0 || mo < 1 || d < 1 || h < 0 || mi < 0 || se < 0) return null;
  let frac = '';
  if (n > 19) {
    if (s.charCodeAt(19) !== 46 || n === 20) return null;
    for (let i = 20; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return null;
    }
    frac = s.slice(20);
  }
  const secs = daysFromCivil(y1 * 100 + y2, mo, d) * 86400 + h * 3600 + mi * 60 + se;
  const digits = millis ? 3 : 6;
  const f = frac.length >= digits ? frac.slice(0, digits) : frac.padEnd(digits, '0');
  const scale = millis ? 1000 : 1000000;
  const fv = Number(f);
  if (secs >= 0) return secs === 0 ? String(fv) : `${secs}${f}`;
  // negative: secs * scale + fv = -((|secs| - 1) * scale + (scale - fv)) when fv > 0
  if (fv === 0) return `${secs}${f}`;
  const whole = -secs - 1;
  const rest = String(scale - fv);
  return whole === 0 ? `-${rest}` : `-${whole}${rest.padStart(digits, '0')}`;
}
