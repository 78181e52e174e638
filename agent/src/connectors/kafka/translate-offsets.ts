/**
 * Exact consumer-group offset translation for a Kafka -> Kafka job (issue 16, item 4), the pure part.
 *
 * The Kafka target writes, in the same transaction as the records, runs of offset syncs to the topic
 * `__sluice_offset_syncs` on the target (writer.ts; the contract is in docs/kafka-switch-over.md): a run says that source
 * offsets s..s+n-1 of (t, p) became target offsets o..o+n-1 of (d, q), both contiguous. Every mirrored record
 * is in exactly one run, so, unlike MirrorMaker 2 (a sync every 100 records), the translation is exact:
 *
 *   a group's committed offset C on source (t, p) maps to the target offset of the first mirrored record whose
 *   source offset is >= C. A run containing C gives o + (C - s); a C in a source gap (compaction, transaction
 *   markers) gives the `o` of the next run. When every mirrored record is < C and the job has copied up to C
 *   (its checkpoint's next offset >= C), the answer is just after the last mirrored record (a consumer placed
 *   there skips the transaction marker that follows it); when the job has not copied up to C yet, the
 *   partition is `pending` and the next pass translates it.
 *
 * Offsets are int64: bigint here, decimal text in JSON, never a JS number.
 */
import { z } from 'zod';

const offsetText = z.string().regex(/^\d{1,19}$/, 'an offset is a non-negative integer in decimal text');

/** One value of `__sluice_offset_syncs` (key: the job id). */
export const offsetSyncMessageSchema = z.object({
  v: z.literal(1),
  jobId: z.string().min(1),
  runs: z.array(
    z.object({
      t: z.string().min(1),
      p: z.number().int().min(0),
      s: offsetText,
      d: z.string().min(1),
      q: z.number().int().min(0),
      o: offsetText,
      n: z.number().int().min(1),
    }),
  ),
});

export interface OffsetSyncRun {
  sourceTopic: string;
  sourcePartition: number;
  /** First source offset of the run. */
  sourceOffset: bigint;
  targetTopic: string;
  targetPartition: number;
  /** First target offset of the run. */
  targetOffset: bigint;
  count: bigint;
}

/** The runs in one `__sluice_offset_syncs` value; null when it is not one (or is another job's). */
export function parseOffsetSyncs(value: Buffer | string | null, jobId: string): OffsetSyncRun[] | null {
  if (value === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    return null;
  }
  const r = offsetSyncMessageSchema.safeParse(json);
  if (!r.success || r.data.jobId !== jobId) return null;
  return r.data.runs.map((x) => ({
    sourceTopic: x.t,
    sourcePartition: x.p,
    sourceOffset: BigInt(x.s),
    targetTopic: x.d,
    targetPartition: x.q,
    targetOffset: BigInt(x.o),
    count: BigInt(x.n),
  }));
}

export const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/**
 * What translation needs to remember of one source partition while the syncs stream by, for the committed
 * offsets asked about: the run containing C, the first run after C, and the last run. O(groups) memory,
 * however many runs the topic holds.
 */
interface PartitionScan {
  containing: OffsetSyncRun | null;
  next: OffsetSyncRun | null;
  first: OffsetSyncRun | null;
  last: OffsetSyncRun | null;
  targetPartitions: Set<number>;
}

/** Translation of one (source topic, partition) of a group. */
export type PartitionTranslation =
  | {
      status: 'exact';
      sourceTopic: string;
      partition: number;
      sourceOffset: bigint;
      targetTopic: string;
      targetPartition: number;
      targetOffset: bigint;
      /** How it was found: in a run, at the next run after a source gap, or after the last mirrored record. */
      via: 'run' | 'gap' | 'end';
      /**
       * Source offsets [sourceOffset, sourceOffset + unmirrored) come before the job's first mirrored record of the
       * partition (the job started later, or they were deleted): a consumer moved to the target won't see them.
       */
      unmirrored: bigint;
    }
  | { status: 'pending'; sourceTopic: string; partition: number; sourceOffset: bigint; reason: string }
  | { status: 'inexact'; sourceTopic: string; partition: number; sourceOffset: bigint; reason: string };

export interface TranslateInput {
  /** The group's committed offsets on the source: topic -> partition -> next offset to read. */
  committed: Map<string, Map<number, bigint>>;
  /** The job's checkpoint: topic -> partition -> next source offset to read (what it has copied). */
  checkpoint: Map<string, Map<number, bigint>>;
  /** The target topic of a source topic (the job's renames), for partitions with no run yet. */
  targetTopicOf: (sourceTopic: string) => string;
  /** The job's partitioning; with 'hash' a source partition spreads over target partitions. */
  partitioning: 'same' | 'hash' | 'auto';
}

/** Streams offset-sync runs into per-partition state for the committed offsets of one or more groups. */
export class OffsetTranslator {
  private readonly scans = new Map<string, Map<bigint, PartitionScan>>();

  /** wanted: every (topic, partition, committed offset) to translate. */
  constructor(wanted: Iterable<{ topic: string; partition: number; offset: bigint }>) {
    for (const w of wanted) {
      const k = partitionKey(w.topic, w.partition);
      let byOffset = this.scans.get(k);
      if (!byOffset) this.scans.set(k, (byOffset = new Map()));
      byOffset.set(w.offset, { containing: null, next: null, first: null, last: null, targetPartitions: new Set() });
    }
  }

  /** Feeds runs in any order (later runs for the same source offsets, e.g. a re-copy, replace earlier ones). */
  add(runs: Iterable<OffsetSyncRun>): void {
    for (const run of runs) {
      const byOffset = this.scans.get(partitionKey(run.sourceTopic, run.sourcePartition));
      if (!byOffset) continue;
      const end = run.sourceOffset + run.count;
      for (const [c, scan] of byOffset) {
        scan.targetPartitions.add(run.targetPartition);
        if (!scan.last || end >= scan.last.sourceOffset + scan.last.count) scan.last = run;
        if (!scan.first || run.sourceOffset <= scan.first.sourceOffset) scan.first = run;
        if (run.sourceOffset <= c && c < end) scan.containing = run;
        else if (run.sourceOffset > c && (!scan.next || run.sourceOffset <= scan.next.sourceOffset)) scan.next = run;
      }
    }
  }

  /** The translation of every committed offset of `input` (which must be among those given to the constructor). */
  translate(input: TranslateInput): PartitionTranslation[] {
    const out: PartitionTranslation[] = [];
    for (const [topic, parts] of input.committed) {
      for (const [partition, c] of parts) {
        const scan = this.scans.get(partitionKey(topic, partition))?.get(c);
        const copied = input.checkpoint.get(topic)?.get(partition) ?? null;
        out.push(translateOne(topic, partition, c, scan ?? null, copied, input));
      }
    }
    return out;
  }
}

function translateOne(
  topic: string,
  partition: number,
  c: bigint,
  scan: PartitionScan | null,
  copied: bigint | null,
  input: TranslateInput,
): PartitionTranslation {
  const base = { sourceTopic: topic, partition, sourceOffset: c };
  if (input.partitioning === 'hash' || (scan && scan.targetPartitions.size > 1)) {
    return {
      ...base,
      status: 'inexact',
      reason: `records of ${topic}[${partition}] go to several target partitions (partitioning by key hash), so one committed offset has no single target offset; translate groups only for jobs with partitioning 'same' (the same partition counts on both sides)`,
    };
  }
  const exact = (run: OffsetSyncRun, targetOffset: bigint, via: 'run' | 'gap' | 'end', unmirrored = 0n): PartitionTranslation => ({
    ...base,
    status: 'exact',
    targetTopic: run.targetTopic,
    targetPartition: run.targetPartition,
    targetOffset,
    via,
    unmirrored,
  });
  if (scan?.containing) {
    const r = scan.containing;
    return exact(r, r.targetOffset + (c - r.sourceOffset), 'run');
  }
  if (scan?.next) {
    // C is in a source gap (no record there: compaction, transaction markers) or before the first mirrored record.
    const r = scan.next;
    return exact(r, r.targetOffset, 'gap', scan.first === r ? r.sourceOffset - c : 0n);
  }
  if (copied === null || copied < c) {
    return {
      ...base,
      status: 'pending',
      reason: `the job has copied ${topic}[${partition}] up to source offset ${copied ?? 'none yet'}, not yet up to the group's ${c}; the next pass translates it`,
    };
  }
  if (scan?.last) {
    const r = scan.last;
    return exact(r, r.targetOffset + r.count, 'end');
  }
  return {
    ...base,
    status: 'pending',
    reason: `no record of ${topic}[${partition}] has been mirrored yet (its target is ${input.targetTopicOf(topic)}); the next pass translates it once one is`,
  };
}
