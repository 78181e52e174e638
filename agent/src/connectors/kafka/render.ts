/** A record rendered for people (discovery samples): text when it is valid UTF-8, else base64, at most 1 KiB of each part. */
import { isUtf8 } from 'node:buffer';
import type { KafkaRecord } from '../changes';

const MAX = 1024;

export interface SampleRecord {
  partition: number;
  offset: string;
  timestamp?: string;
  key: string | null;
  value: string | null;
  encoding: 'utf8' | 'base64';
  headers: Record<string, string>;
  truncated: boolean;
}

export function sampleOf(r: KafkaRecord): SampleRecord {
  const parts = [r.key, r.value].filter((b): b is Buffer => b !== null);
  const text = parts.every((b) => isUtf8(b));
  const truncated = parts.some((b) => b.length > MAX);
  const show = (b: Buffer | null): string | null => (b === null ? null : text ? b.subarray(0, MAX).toString('utf8') : b.subarray(0, MAX).toString('base64'));
  const headers: Record<string, string> = {};
  for (const [name, v] of r.headers) {
    if (name in headers) continue;
    headers[name] = isUtf8(v) ? v.subarray(0, MAX).toString('utf8') : `base64:${v.subarray(0, MAX).toString('base64')}`;
  }
  return {
    partition: r.partition,
    offset: r.offset,
    timestamp: new Date(Number(r.timestamp)).toISOString(),
    key: show(r.key),
    value: show(r.value),
    encoding: text ? 'utf8' : 'base64',
    headers,
    truncated,
  };
}
