/**
 * The Kafka -> database job: the topics the job selects, decoded in the job's
 * format (or plain JSON by job.kafka.topicTables), applied to MySQL or
 * PostgreSQL by the CDC loop (batched, folded per key, upserts and deletes)
 * with the Kafka offsets stored in `_sluice_checkpoints` in the same target
 * transaction. Resume comes from that checkpoint; without one the job starts
 * at job.kafka.start. Progress carries `kafka` (per partition lag, dead letters).
 */
import type { CdcPosition } from '../../changes';
import { ConnectorError } from '../../connector-error';
import { positionOfKind, type KafkaPosition } from '../../position';
import type { Applier, Target } from '../../spi';
import { CdcLoop, type CdcLoopSpec } from '../../../cdc/cdc-loop';
import { SchemaEvolution } from '../../../cdc/schema-evolution';
import type { EngineHooks, EngineProgress, EngineResult, EngineTaskInput } from '../../../engine/hooks';
import { kafkaJobSchema, type KafkaJobOptions, type KafkaProgress } from '../../../protocol';
import { deadLetterTable } from './dead-letter';
import { KafkaChangeSource, type RecordStreamLike } from './kafka-change-source';
import { TargetTables } from './target-tables';

/** What the job needs of the Kafka source (the records capability). */
export interface KafkaReadSide {
  /** The topics the job reads (selection applied) with their partition counts. */
  topics(): Promise<{ topic: string; partitions: number }[]>;
  offsetsAt(topic: string, spec: 'earliest' | 'latest' | { timestamp: number }): Promise<Map<number, bigint>>;
  open(assignments: { topic: string; partition: number; offset: bigint }[]): Promise<RecordStreamLike>;
  classifyError(e: unknown, what: string): ConnectorError;
}

export const KAFKA_TO_DB_STREAM = 'kafka';
/** How often a live job looks for new topics (and partitions) matching it: as often as a Kafka -> Kafka job. */
export const TOPIC_REFRESH_MS = 10_000;

const LOOP: CdcLoopSpec = {
  stream: KAFKA_TO_DB_STREAM,
  batchMaxChanges: 20_000,
  batchMaxBytes: 32 << 20,
  progressEveryMs: 1000,
  idleCheckpointMs: 1000,
  checkpointEveryMs: 1000,
};

function startSpec(k: KafkaJobOptions): 'earliest' | 'latest' | { timestamp: number } {
  if (k.start.from !== 'timestamp') return k.start.from;
  const ts = k.start.timestamp;
  return { timestamp: typeof ts === 'number' ? ts : Date.parse(ts) };
}

/** Mode full's T0: the end offset of every partition now (kept from the stored position on a resume). */
async function captureT0(side: KafkaReadSide, start: KafkaPosition): Promise<Record<string, Record<string, string>>> {
  const t0: Record<string, Record<string, string>> = {};
  for (const topic of Object.keys(start.offsets)) {
    const ends = await side.offsetsAt(topic, 'latest');
    t0[topic] = Object.fromEntries([...ends].map(([p, o]) => [String(p), o.toString()]));
  }
  return t0;
}

/** The start position: the stored offsets, plus job.kafka.start for partitions not seen before. */
async function startPosition(side: KafkaReadSide, k: KafkaJobOptions, stored: KafkaPosition | null): Promise<KafkaPosition> {
  const offsets: Record<string, Record<string, string>> = {};
  for (const { topic, partitions } of await side.topics()) {
    const have = stored?.offsets[topic] ?? {};
    const missing = [...Array(partitions).keys()].filter((p) => have[String(p)] === undefined);
    const initial = missing.length ? await side.offsetsAt(topic, startSpec(k)) : new Map<number, bigint>();
    offsets[topic] = { ...have };
    for (const p of missing) offsets[topic][String(p)] = (initial.get(p) ?? 0n).toString();
  }
  return { v: 1, kind: 'kafka', offsets };
}

export async function runKafkaToDb(
  input: EngineTaskInput,
  hooks: EngineHooks,
  side: KafkaReadSide,
  target: Target,
  loop: Partial<CdcLoopSpec> = {},
  refreshMs = TOPIC_REFRESH_MS,
): Promise<EngineResult> {
  const k = input.job.kafka ?? kafkaJobSchema.parse({});
  const applier = target.openApplier?.();
  if (!applier)
    throw new ConnectorError(`a ${target.kind} target cannot apply changes`, {
      class: 'config',
      code: 'UNSUPPORTED_PAIR',
      retryable: false,
      fix: 'choose a MySQL or PostgreSQL target',
    });
  const spec = { ...LOOP, ...loop };
  await target.applySchema([{ op: 'createTable', table: deadLetterTable(target.engine, target.namespace, k.deadLetter.table), existing: 'upsert' }]);
  await applier.init();
  let source: KafkaChangeSource | null = null;
  try {
    const stored = positionOfKind(await applier.readCheckpoint(input.jobId, spec.stream), 'kafka') ?? positionOfKind(hooks.resume[spec.stream], 'kafka');
    const start = await startPosition(side, k, stored);
    // Mode full copies up to T0 and stops; the other modes stay live and pick up new topics.
    const full = input.job.mode === 'full';
    if (full) start.t0 = stored?.t0 ?? (await captureT0(side, start));
    const reachedT0 = new AbortController();
    hooks.log(
      'info',
      `kafka -> ${target.engine}: ${stored ? 'resuming from the target checkpoint' : `starting at ${k.start.from}`} (${Object.keys(start.offsets).length} topics)${full ? ', copying up to T0' : ''}`,
    );
    const tables = new TargetTables(target);
    const ctx = { job: input.job, kafka: k, tables, createTables: true };
    source = new KafkaChangeSource(
      (from) =>
        side.open(
          Object.entries(from.offsets).flatMap(([topic, parts]) => Object.entries(parts).map(([p, o]) => ({ topic, partition: Number(p), offset: BigInt(o) }))),
        ),
      ctx,
      k.deadLetter.table,
      (reason, rec) => hooks.log('warn', `kafka: ${rec.topic}/${rec.partition} offset ${rec.offset} -> dead letters: ${reason}`),
      full
        ? { t0: start.t0!, onT0: () => reachedT0.abort() }
        : {
            refresh: {
              everyMs: refreshMs,
              topics: () => side.topics(),
              startOf: (topic) => side.offsetsAt(topic, 'earliest'),
              onAdded: (added) =>
                hooks.event(
                  'kafka.topics_added',
                  `new topics or partitions picked up: ${added.map((a) => `${a.topic} [${a.partitions.join(', ')}]`).join('; ')}`,
                  {
                    added,
                  },
                ),
            },
          },
    );
    await source.start(start);
    const src = source;
    const withKafka: EngineHooks = {
      ...hooks,
      signal: AbortSignal.any([hooks.signal, reachedT0.signal]),
      progress: (p: EngineProgress) => hooks.progress({ ...p, kafka: kafkaProgress(src, full ? 'full' : 'live') } as EngineProgress),
    };
    const schema = new SchemaEvolution(input, hooks, source, applier, new Map(), () => Promise.resolve(new Map()));
    const result = await new CdcLoop(input, withKafka, spec, source, applier, start as CdcPosition, schema, (e, what) => side.classifyError(e, what)).run();
    if (full && reachedT0.signal.aborted && !hooks.signal.aborted) await assertAtT0(applier, input.jobId, spec.stream, start, start.t0!);
    return { ...result, deadLetters: source.deadLetters(), records: source.recordsRead() };
  } finally {
    await source?.close().catch(() => undefined);
    await applier.close().catch(() => undefined);
  }
}

/** Mode full ends only once the target's checkpoint holds T0 (the loop's last flush committed); otherwise the run is retried. */
async function assertAtT0(applier: Applier, jobId: string, stream: string, start: KafkaPosition, t0: Record<string, Record<string, string>>): Promise<void> {
  const at = positionOfKind(await applier.readCheckpoint(jobId, stream), 'kafka') ?? start;
  const short = Object.entries(t0).flatMap(([t, parts]) =>
    Object.entries(parts)
      .filter(([p, end]) => BigInt(at.offsets[t]?.[p] ?? '0') < BigInt(end))
      .map(([p, end]) => `${t}/${p} at ${at.offsets[t]?.[p] ?? 'nothing'} of ${end}`),
  );
  if (short.length)
    throw new ConnectorError(`the copy up to T0 is not committed on the target yet (${short.slice(0, 5).join('; ')})`, {
      class: 'transient',
      code: 'KAFKA_FULL_INCOMPLETE',
      retryable: true,
    });
}

function kafkaProgress(src: KafkaChangeSource, phase: KafkaProgress['phase']): KafkaProgress {
  const byTopic = new Map<string, KafkaProgress['topics'][number]>();
  const now = Date.now();
  for (const p of src.partitionStates()) {
    let t = byTopic.get(p.topic);
    if (!t) byTopic.set(p.topic, (t = { topic: p.topic, target: p.topic, partitions: [] }));
    const lag = p.highWatermark > p.next ? p.highWatermark - p.next : 0n;
    t.partitions.push({
      partition: p.partition,
      next: p.next.toString(),
      end: p.highWatermark.toString(),
      copied: p.next.toString(),
      lagMessages: lag.toString(),
      lagSeconds: lag > 0n && p.lastTimestampMs ? Math.max(0, (now - p.lastTimestampMs) / 1000) : 0,
    });
  }
  return { phase, topics: [...byTopic.values()], deadLetters: src.deadLetters() };
}
