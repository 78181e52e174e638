/**
 * Moving records: collect fetched batches into one transaction's worth (bounded by records, bytes and a
 * short linger), cut at T0 in the full phase, and turn them into a RecordWrite (target partition per
 * record: the same, or murmur2 of the key). The caller writes one collection while the next is read.
 */
import type { KafkaRecord } from '../../connectors/changes';
import { RECORD_MEMORY_BYTES } from '../../connectors/kafka/client/types';
import { keyPartition } from '../../connectors/kafka/murmur2';
import type { RecordPart, RecordStream, RecordWrite } from '../../connectors/records';
import type { JobState, PartState } from './state';

export interface Limits {
  maxRecords: number;
  /** Memory of one collection: payload plus RECORD_MEMORY_BYTES per record (two are alive: one written, one collected). */
  maxBytes: number;
  /** How long to wait for more once something was collected. */
  lingerMs: number;
  /** How long to wait when nothing came (the loop then does its housekeeping). */
  idleMs: number;
}

export const DEFAULT_LIMITS: Limits = { maxRecords: 100_000, maxBytes: 6 << 20, lingerMs: 30, idleMs: 250 };

export interface Collected {
  parts: Map<PartState, { records: KafkaRecord[]; next: bigint }>;
  records: number;
  bytes: number;
}

/** Reads up to the limits. `cutAtT0`: records at or past a partition's T0 are left, and the partition is paused there. */
export async function collect(stream: RecordStream, state: JobState, limits: Limits, cutAtT0: boolean): Promise<Collected> {
  const c: Collected = { parts: new Map(), records: 0, bytes: 0 };
  const lingerUntil = () => Date.now() + limits.lingerMs;
  let deadline = 0;
  while (c.records < limits.maxRecords && c.bytes + c.records * RECORD_MEMORY_BYTES < limits.maxBytes) {
    const wait = c.parts.size ? deadline - Date.now() : limits.idleMs;
    if (wait <= 0) break;
    const b = await stream.next(wait);
    if (!b) break;
    const st = state.part(b.topic, b.partition);
    if (!st) continue;
    if (b.highWatermark > st.end) st.end = b.highWatermark;
    const entry = c.parts.get(st) ?? { records: [], next: st.next };
    let records = b.records;
    let next = b.next;
    if (cutAtT0 && next >= st.t0) {
      records = records.filter((r) => BigInt(r.offset) < st.t0);
      next = st.t0;
      stream.pause(st.topic, [st.partition]);
    }
    if (next <= entry.next) continue;
    if (!c.parts.size) deadline = lingerUntil();
    for (const r of records) entry.records.push(r);
    entry.next = next;
    c.parts.set(st, entry);
    c.records += records.length;
    c.bytes += b.bytes;
  }
  return c;
}

/** The transaction for a collection: records per source partition with their target partitions, and the position after. */
export function toWrite(c: Collected, state: JobState): RecordWrite {
  const parts: RecordPart[] = [];
  const nexts = new Map<PartState, bigint>();
  for (const [st, e] of c.parts) {
    nexts.set(st, e.next);
    if (!e.records.length) continue;
    const plan = state.topics.get(st.topic)!.plan;
    let partitions: number | Int32Array = st.partition;
    if (plan.partitioning === 'hash') {
      const n = plan.targetPartitions;
      const arr = new Int32Array(e.records.length);
      for (let i = 0; i < e.records.length; i++) {
        const k = e.records[i]!.key;
        arr[i] = k ? keyPartition(k, n) : st.partition % n;
      }
      partitions = arr;
    }
    parts.push({ source: st.topic, sourcePartition: st.partition, target: plan.target, records: e.records, partitions, maxRecordBytes: plan.maxRecordBytes });
  }
  return { parts, position: state.position(nexts) };
}

/** After the transaction committed: the partitions move on. */
export function committed(c: Collected, state: JobState): void {
  for (const [st, e] of c.parts) {
    st.next = e.next;
    const last = e.records[e.records.length - 1];
    if (last) st.lastTs = Number(last.timestamp);
  }
  state.records += c.records;
  state.bytes += c.bytes;
}
