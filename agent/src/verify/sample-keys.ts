/**
 * A few of the keys a verification found missing, extra or different, per
 * table, so a user can look at the rows (the counts alone say only how many).
 * Bounded: at most MAX_SAMPLE_KEYS per kind, each value cut at 64 characters.
 */
import type { KeyValue } from '../connectors/spi';

export const MAX_SAMPLE_KEYS = 20;
export interface SampleKeys {
  missing: string[];
  extra: string[];
  different: string[];
}

export const emptySampleKeys = (): SampleKeys => ({ missing: [], extra: [], different: [] });

/** A key as text: its column values in key order, comma-separated (NULL for null). */
export function keyText(k: KeyValue): string {
  return k.map((v) => (v === null ? 'NULL' : v.length > 64 ? `${v.slice(0, 63)}…` : v)).join(', ');
}

export function addSampleKeys(into: SampleKeys, diff: { missing: KeyValue[]; extra: KeyValue[]; different: KeyValue[] }): void {
  for (const kind of ['missing', 'extra', 'different'] as const) {
    for (const k of diff[kind]) {
      if (into[kind].length >= MAX_SAMPLE_KEYS) break;
      into[kind].push(keyText(k));
    }
  }
}
