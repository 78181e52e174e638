/**
 * The database -> Kafka job: a MySQL/PostgreSQL source's snapshot (full_cdc: op `r` records) and
 * change stream written to one topic per table (job.kafka.topicTemplate) in the job's format, keyed by
 * primary key and partitioned by Kafka's key hash. Topics are created before any data moves. Each Kafka
 * transaction carries its records and the job's checkpoint (the database position, in the target's
 * checkpoint topic), so a read_committed consumer sees every change once across a kill -9: a restart
 * resumes from the position committed with the last transaction. An interrupted snapshot is redone.
 */
import { ConnectorError } from '../../connector-error';
import type { KafkaRecord, SourceTable, TableKey } from '../../changes';
import type { Catalog } from '../../catalog';
import { parsePosition, describePosition, type KafkaPosition, type SourcePosition } from '../../position';
import { advanceTargetEnds, type RecordPart, type RecordTargetCapability, type RecordWriter, type TargetEnds } from '../../records';
import type { Source } from '../../spi';
import { keyPartition } from '../murmur2';
import { selectTables } from '../../../cdc/mapping';
import { proveTargetHolds } from '../../../engine/records/setup';
import type { EngineHooks, EngineResult, EngineTaskInput } from '../../../engine/hooks';
import { defaultSlotName, kafkaJobSchema } from '../../../protocol';
import { ChangeEncoder, type TopicRecord } from './change-records';
import { fillMovedRows } from './fill-moved-rows';
import { SnapshotProgress, type SnapshotMark } from './snapshot-progress';
import { TxPipeline, type TxPipelineOptions } from './tx-pipeline';

export const DB_TO_KAFKA_STREAM = 'db-kafka';
/**
 * A transaction starts once 5,000 records wait, or 200 ms after the last one started; while one is in flight,
 * what arrives is merged into the next, up to 30,000 records or 12 MiB of memory (payload plus RECORD_MEMORY_BYTES
 * a record): the job holds at most two of them (in flight and waiting), which keeps `sluice-agent run` under
 * 300 MB RSS (with 50k / 24 MiB it peaked at 316-374 MB on 1M changes), and they stay well inside the
 * producer's 20 s transaction timeout at the broker's slowest measured rate.
 */
const PIPELINE: TxPipelineOptions = { minRecords: 5000, maxRecords: 30_000, maxBytes: 12 << 20, maxAgeMs: 200 };
/** With no change to write, an idle source position is committed at most this often. */
const IDLE_COMMIT_MS = 1000;

/** Said in the dry run's warnings and when a snapshot resumes. */
const SNAPSHOT_REPEATS =
  'a snapshot interrupted by a restart resumes per chunk (after the last key written); the op r records of a table without a primary key are written again whole and may repeat, and resumed chunks are read at a later point than T0 (a consumer that applies by key converges)';

const configError = (message: string, code: string, fix: string) => new ConnectorError(message, { class: 'config', code, retryable: false, fix });

function sourceTables(cat: Catalog): Map<TableKey, SourceTable> {
  return new Map(
    cat.tables.map((t) => [
      `${t.schema}.${t.name}`,
      {
        key: `${t.schema}.${t.name}`,
        schema: t.schema,
        name: t.name,
        columns: t.columns.filter((c) => !c.generated).map((c) => ({ name: c.name, type: c.nativeType })),
        keyColumns: t.primaryKey,
      },
    ]),
  );
}

/** Creates the missing topics (one partition, broker defaults) and returns every topic's partition count and record limit. */
async function ensureTopics(tgt: RecordTargetCapability, names: string[], hooks: EngineHooks): Promise<Map<string, { partitions: number; maxBytes: number }>> {
  const have = new Set((await tgt.describeTopics(names)).map((t) => t.name));
  const missing = names.filter((n) => !have.has(n));
  if (missing.length) {
    await tgt.createTopics(missing.map((name) => ({ name, partitions: 1, configs: {} })));
    hooks.event('kafka.topics_created', `created ${missing.length} topic(s): ${missing.join(', ')}`, { topics: missing });
  }
  return new Map(
    (await tgt.describeTopics(names)).map((t) => [t.name, { partitions: t.partitions, maxBytes: Number(t.configs['max.message.bytes'] ?? 1048588) }]),
  );
}

class TxWriter {
  private seq = 0;
  /** Where the job's committed records end in each topic partition (the checkpoint's targetEnds: a resume proves them). */
  ends: TargetEnds = {};
  constructor(
    private readonly writer: RecordWriter,
    private readonly layout: Map<string, { partitions: number; maxBytes: number }>,
  ) {}

  /** One Kafka transaction: the records, then the checkpoint holding `position`. */
  async write(records: TopicRecord[], position: SourcePosition, snapshot: SnapshotMark): Promise<void> {
    const byTopic = new Map<string, TopicRecord[]>();
    const now = String(Date.now());
    for (const r of records) {
      // the encoder's records are already KafkaRecords: stamped in place, no copy per record
      r.offset = String(this.seq++);
      r.timestamp = now;
      (byTopic.get(r.topic) ?? byTopic.set(r.topic, []).get(r.topic)!).push(r);
    }
    const parts: RecordPart[] = [...byTopic].map(([topic, recs]) => {
      const l = this.layout.get(topic) ?? { partitions: 1, maxBytes: 1048588 };
      return {
        source: topic,
        sourcePartition: 0,
        target: topic,
        records: recs,
        // one partition: a number, so the writer groups the part without a per-record partition lookup
        partitions: l.partitions > 1 ? Int32Array.from(recs, (r) => (r.key ? keyPartition(r.key, l.partitions) : 0)) : 0,
        maxRecordBytes: l.maxBytes,
      };
    });
    const ckpt: KafkaPosition = {
      v: 1,
      kind: 'kafka',
      offsets: {},
      targetEnds: this.ends,
      source: position,
      snapshotDone: snapshot === true,
      ...(typeof snapshot === 'object' ? { snapshot } : {}),
    };
    this.ends = advanceTargetEnds(this.ends, await this.writer.write({ parts, position: ckpt, offsetSyncs: false }));
  }
}

export async function runDbToKafka(input: EngineTaskInput, hooks: EngineHooks, source: Source, tgt: RecordTargetCapability): Promise<EngineResult> {
  const job = input.job;
  const k = job.kafka ?? kafkaJobSchema.parse({});
  const streaming = source.streaming;
  if (!streaming && job.mode !== 'full') throw configError(`a ${source.kind} source has no change stream`, 'UNSUPPORTED', 'use mode full');
  const all = streaming ? await streaming.listStreams() : (await source.discover()).tables.map((t) => `${t.schema}.${t.name}`);
  const tables = selectTables(job, all);
  if (!tables.length) throw configError('no source tables match the job selection', 'NO_TABLES', 'check tables.include / tables.exclude');
  const catalog = await source.discover((s, t) => tables.includes(`${s}.${t}`));
  const described = sourceTables(catalog);
  const database = input.source.kind === 'postgres' ? input.source.config.database : '';
  const enc = new ChangeEncoder(k, source.engine, database);
  const topics = enc.topicsFor([...described.values()]);
  const warnings = job.mode === 'cdc' ? [] : [SNAPSHOT_REPEATS];
  if (job.options.dryRun) return { dryRun: true, tables: [...described.keys()], topics, warnings };
  hooks.log('info', `db -> kafka: ${described.size} tables into ${topics.length} topics (${k.format})`);
  const layout = await ensureTopics(tgt, topics, hooks);
  const writer = await tgt.openWriter({ jobId: input.jobId, stream: DB_TO_KAFKA_STREAM });
  const names = { jobId: input.jobId, slot: defaultSlotName(input.jobId), publication: defaultSlotName(input.jobId) };
  const out = new TxWriter(writer, layout);
  let events = 0;
  let snapshotRows = 0;
  try {
    // Read behind the writer's barrier (opening it fenced a killed agent's writer): the last committed checkpoint.
    const ckpt = (await writer.checkpoint())?.position;
    // Never resume past records the topics no longer hold (a topic deleted or recreated under the job).
    if (ckpt) await proveTargetHolds(tgt, ckpt, false);
    out.ends = ckpt?.targetEnds ?? {};
    let start: SourcePosition | null = ckpt?.source ? parsePosition(ckpt.source) : null;
    const snapshotDone = job.mode === 'cdc' || (ckpt?.snapshotDone ?? false);
    // The server-side state first (PG: the publication), so changes made while the snapshot runs are published.
    if (streaming && job.mode !== 'full') await streaming.prepare(names, tables);
    if (!snapshotDone) {
      // Resumed per chunk from the checkpoint (snapshot-progress.ts): finished chunks are skipped, the one in progress continues.
      const progress = new SnapshotProgress(ckpt?.snapshot);
      const plan = await source.plan(catalog.tables, {
        snapshot: true,
        cdc: job.mode === 'full_cdc',
        chunkSize: 100_000,
        perTable: progress.perTable(),
        ...(job.mode === 'full_cdc' ? { cdcSlot: names.slot } : {}),
        ...(start ? { cdcResume: start } : {}),
      });
      start = plan.cdcStart ?? start;
      progress.planned(plan.tasks);
      if (ckpt)
        hooks.event('kafka.snapshot_resumed', `the interrupted snapshot resumes after ${progress.resumedChunks} finished chunk(s): ${SNAPSHOT_REPEATS}`, {});
      await source.openSnapshot(1);
      // the next batch is read and encoded while the previous transaction is in flight
      const pipe = new TxPipeline((records, position, done) => out.write(records, position, done), PIPELINE);
      for (const [i, task] of plan.tasks.entries()) {
        const st = described.get(`${task.schema}.${task.table}`)!;
        if (progress.skip(task)) continue;
        for await (const b of source.readTask(task, progress.cursor(task), { worker: 0, batchRows: 5000, batchBytes: 8 << 20, signal: hooks.signal })) {
          const last = i === plan.tasks.length - 1 && b.cursor.done;
          await pipe.add(
            enc.encodeSnapshot(st, b.columns, b.rows, start ?? null, last),
            start ?? { v: 1, kind: 'kafka', offsets: {} },
            progress.after(task, b.cursor),
          );
          snapshotRows += b.rows.length;
        }
      }
      if (start) await pipe.add([], start, true);
      await pipe.drain();
      hooks.log('info', `db -> kafka: snapshot of ${snapshotRows} rows written`);
    }
    if (job.mode === 'full' || !streaming) return { snapshotRows, topics };
    if (!start) {
      start = await streaming.initialPosition(names, tables, { from: 'now' });
      await out.write([], start, true);
    }
    hooks.log('info', `db -> kafka: streaming from ${describePosition(start)}`);
    const reader = streaming.open(start, { names, tables });
    await reader.start(start);
    try {
      // the binlog is read and encoded while the previous transaction is in flight
      const pipe = new TxPipeline(async (records, position) => {
        await out.write(records, position, true);
        await hooks.checkpoint(DB_TO_KAFKA_STREAM, { ...position });
        await reader.ack(position);
      }, PIPELINE);
      let lastProgress = 0;
      while (!hooks.signal.aborted) {
        const ev = await reader.next(pipe.waiting ? 10 : 250);
        if (ev?.kind === 'tx') {
          for (const t of new Set(ev.changes.map((c) => c.table))) if (!described.has(t)) described.set(t, await reader.describe(t));
          await fillMovedRows(ev, (t) => described.get(t)!, streaming);
          events += ev.changes.length;
          await pipe.add(
            enc.encodeTx(ev, (t) => described.get(t)!),
            ev.position,
            true,
          );
        } else if (ev?.kind === 'schema') {
          const st = await reader.describe(ev.change.table);
          described.set(ev.change.table, st);
          enc.forget(ev.change.table);
          const ddl =
            ev.change.statement ??
            (ev.change.kind === 'add_columns'
              ? `ALTER TABLE ${ev.change.table} ${ev.change.columns.map((c) => `ADD COLUMN ${c.name} ${c.type}`).join(', ')}`
              : ev.change.kind === 'other'
                ? ev.change.detail
                : `${ev.change.kind} on ${ev.change.table}`);
          await pipe.add(enc.encodeSchema(ev.change, st, ev.position, ddl), ev.position, true);
        } else if (ev?.kind === 'idle' && (pipe.waiting || pipe.sinceLastStart >= IDLE_COMMIT_MS)) await pipe.add([], ev.position, true);
        await pipe.tick();
        if (Date.now() - lastProgress >= 1000) {
          lastProgress = Date.now();
          hooks.progress({ phase: 'cdc', tables: [], cdc: { eventsPerSec: 0, lagP50Ms: 0, lagP99Ms: 0, backlog: reader.queued() + pipe.waiting, events } });
        }
      }
      await pipe.drain();
    } finally {
      await reader.close();
    }
    return { snapshotRows, events, topics };
  } finally {
    await writer.close();
  }
}
