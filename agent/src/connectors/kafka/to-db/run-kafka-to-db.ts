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
import type { Target } from '../../spi';
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
    hooks.log(
      'info',
      `kafka -> ${target.engine}: ${stored ? 'resuming from the target checkpoint' : `starting at ${k.start.from}`} (${Object.keys(start.offsets).length} topics)`,
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
    );
    await source.start(start);
    const src = source;
    const withKafka: EngineHooks = {
      ...hooks,
      progress: (p: EngineProgress) => hooks.progress({ ...p, kafka: kafkaProgress(src) } as EngineProgress),
    };
    const schema = new SchemaEvolution(input, hooks, source, applier, new Map(), () => Promise.resolve(new Map()));
    const result = await new CdcLoop(input, withKafka, spec, source, applier, start as CdcPosition, schema, (e, what) => side.classifyError(e, what)).run();
    return { ...result, deadLetters: source.deadLetters(), records: source.recordsRead() };
  } finally {
    await source?.close().catch(() => undefined);
    await applier.close().catch(() => undefined);
  }
}

function kafkaProgress(src: KafkaChangeSource): KafkaProgress {
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
  return { phase: 'live', topics: [...byTopic.values()], deadLetters: src.deadLetters() };
}
