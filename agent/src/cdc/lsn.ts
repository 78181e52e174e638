/** PostgreSQL LSNs ('16/B374D848') as BigInt, for exact comparison. */
export function lsnToBig(lsn: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn.trim());
  if (!m) throw new Error(`not an LSN: '${lsn}' (an LSN looks like 16/B374D848)`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

export function bigToLsn(v: bigint): string {
  return `${(v >> 32n).toString(16).toUpperCase()}/${(v & 0xffffffffn).toString(16).toUpperCase()}`;
}

export function lsnCompare(a: string, b: string): number {
  const x = lsnToBig(a);
  const y = lsnToBig(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function lsnMax(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return lsnCompare(a, b) >= 0 ? a : b;
}
