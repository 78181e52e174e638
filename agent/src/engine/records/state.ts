/**
 * Where a records job stands, per source partition: the next offset committed on the target (with the
 * checkpoint), T0, the start, and the last end offset seen. Builds the KafkaPosition committed with
 * each transaction and the progress (`progress.kafka`, and tables/cdc lines for the CLI).
 */
import type { KafkaPosition } from '../../connectors/position';
import type { TargetEnds } from '../../connectors/records';
import type { KafkaProgress } from '../../protocol/kafka-shapes';
import type { EngineProgress } from '../hooks';
import type { TopicPlan } from './plan';

export interface PartState {
  topic: string;
  partition: number;
  /** The next source offset to copy (everything before it is committed on the target). */
  next: bigint;
  start: bigint;
  /** End offset at T0: the full phase copies up to here. */
  t0: bigint;
  /** The partition's end as last seen (fetch high watermark or list offsets). */
  end: bigint;
  /** Timestamp (ms) of the last record copied. */
  lastTs: number;
}

export type Offsets = Record<string, Record<string, string>>;

export class JobState {
  readonly topics = new Map<string, { plan: TopicPlan; parts: Map<number, PartState> }>();
  records = 0;
  /** Where the job's committed records end on the target (KafkaPosition.targetEnds). */
  targetEnds: TargetEnds = {};
  bytes = 0;
  private rate = { at: Date.now(), records: 0, bytes: 0, rps: 0, bps: 0 };

  add(plan: TopicPlan, parts: PartState[]): void {
    this.topics.set(plan.source, { plan, parts: new Map(parts.map((p) => [p.partition, p])) });
  }

  part(topic: string, partition: number): PartState | undefined {
    return this.topics.get(topic)?.parts.get(partition);
  }

  all(): PartState[] {
    return [...this.topics.values()].flatMap((t) => [...t.parts.values()]);
  }

  /** Every partition has copied up to its T0. */
  fullDone(): boolean {
    return this.all().every((p) => p.next >= p.t0);
  }

  private map(f: (p: PartState) => bigint): Offsets {
    const out: Offsets = {};
    for (const [topic, t] of this.topics) {
      const m: Record<string, string> = {};
      for (const p of t.parts.values()) m[String(p.partition)] = f(p).toString();
      out[topic] = m;
    }
    return out;
  }

  /** The position with some partitions moved to `nexts` (topic -> partition -> next). */
  position(nexts?: Map<PartState, bigint>): KafkaPosition {
    const ends = Object.keys(this.targetEnds).length ? { targetEnds: this.targetEnds } : {};
    return { v: 1, kind: 'kafka', offsets: this.map((p) => nexts?.get(p) ?? p.next), t0: this.map((p) => p.t0), ...ends };
  }

  t0(): Offsets {
    return this.map((p) => p.t0);
  }

  progress(phase: 'full' | 'live'): EngineProgress {
    const now = Date.now();
    const dt = (now - this.rate.at) / 1000;
    if (dt >= 1) {
      this.rate = { at: now, records: this.records, bytes: this.bytes, rps: (this.records - this.rate.records) / dt, bps: (this.bytes - this.rate.bytes) / dt };
    }
    const kafka: KafkaProgress = { phase, topics: [], recordsPerSecond: Math.max(0, this.rate.rps), bytesPerSecond: Math.max(0, this.rate.bps) };
    const tables: EngineProgress['tables'] = [];
    let lagTotal = 0n;
    for (const [topic, t] of this.topics) {
      let done = 0n;
      let total = 0n;
      const partitions = [...t.parts.values()].map((p) => {
        const end = p.end > p.next ? p.end : p.next;
        const lag = end - p.next;
        lagTotal += lag;
        done += (p.next < p.t0 ? p.next : p.t0) - p.start;
        total += p.t0 > p.start ? p.t0 - p.start : 0n;
        return {
          partition: p.partition,
          t0: p.t0.toString(),
          next: p.next.toString(),
          end: end.toString(),
          copied: (p.next - p.start).toString(),
          lagMessages: lag.toString(),
          lagSeconds: lag > 0n && p.lastTs ? Math.max(0, (now - p.lastTs) / 1000) : 0,
        };
      });
      kafka.topics.push({ topic, target: t.plan.target, partitions });
      const d = Number(done < 0n ? 0n : done);
      tables.push({
        table: topic,
        rowsDone: d,
        rowsTotal: Number(total),
        bytesDone: 0,
        rowsPerSec: 0,
        etaSeconds: null,
        phase: phase === 'live' ? 'cdc' : d >= Number(total) ? 'done' : 'loading',
      });
    }
    return {
      phase: phase === 'full' ? 'loading' : 'cdc',
      tables,
      kafka,
      ...(phase === 'live'
        ? { cdc: { eventsPerSec: kafka.recordsPerSecond ?? 0, lagP50Ms: 0, lagP99Ms: 0, backlog: Number(lagTotal), events: this.records } }
        : {}),
    };
  }
}
