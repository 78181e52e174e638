/**
 * Consumer switch-over for a Kafka -> Kafka job (issue 16, item 4): translates the committed offsets of the job's
 * consumer groups (job.kafka.consumerGroups) from the source cluster to the target cluster, exactly, from the
 * offset syncs the target writes with every transaction (translate-offsets.ts), and writes them to the groups on
 * the target. A group with active members on the target is left alone (its consumers own their offsets there),
 * and a partition whose target offset is already ahead is never moved back.
 * The job runs it itself (the records target's translateGroups, every 30 s while live and once at the end of mode
 * full), and `sluice-agent kafka translate-offsets --spec job.json [--group g] [--every N]` (cli/kafka.ts) runs it
 * on demand. docs/kafka-switch-over.md says how to use it.
 */
import { randomUUID } from 'node:crypto';
import { ConnectorError } from '../connector-error';
import type { KafkaAdmin, KafkaClient } from './client/types';
import { OffsetTranslator, parseOffsetSyncs, type PartitionTranslation } from './translate-offsets';
import { CHECKPOINT_TOPIC, OFFSET_SYNCS_TOPIC } from './writer';

export interface SwitchCluster {
  client: KafkaClient;
  admin(): Promise<KafkaAdmin>;
}

export interface SwitchOptions {
  jobId: string;
  groups: string[];
  /** The job's renames: the target topic of a source topic. */
  targetTopicOf: (sourceTopic: string) => string;
  partitioning: 'same' | 'hash' | 'auto';
  /** Translate and report, write nothing. */
  dryRun?: boolean;
}

export type PartitionOutcome = PartitionTranslation & {
  /** written: set on the target; ahead: the target group is already at or past it; not written: pending, inexact or dry run. */
  action: 'written' | 'unchanged' | 'ahead' | 'not written';
  /** The group's committed offset on the target before, when it had one. */
  previous?: bigint;
};

export interface GroupOutcome {
  group: string;
  /** translated: offsets written (or would be, with dryRun); active: left alone; none: no committed offset on the job's topics. */
  status: 'translated' | 'active' | 'none';
  message: string;
  partitions: PartitionOutcome[];
}

/** Reads a topic of the target from its earliest offsets to its end (read_committed), record by record. */
async function readAll(c: SwitchCluster, topic: string, onRecord: (key: string | null, value: Buffer | null) => void): Promise<void> {
  const admin = await c.admin();
  if (!(await admin.listTopics()).includes(topic)) return;
  const ranges = (await admin.partitionOffsets(topic)).filter((p) => p.latest > p.earliest);
  if (!ranges.length) return;
  const stream = await c.client.consume({
    assignments: ranges.map((p) => ({ topic, partition: p.partition, offset: p.earliest })),
    groupId: `sluice-switch-${randomUUID()}`,
    maxBytesPerPartition: 4 << 20,
  });
  try {
    // Up to the last stable offset, and on to the high watermark the fetches report: another job's transaction
    // still open on this shared topic holds read_committed readers back, and records committed after it would be
    // missed (its commit or the transaction timeout releases them).
    const end = new Map(ranges.map((p) => [p.partition, p.latest]));
    const next = new Map(ranges.map((p) => [p.partition, p.earliest]));
    const deadline = Date.now() + 120_000;
    while ([...end].some(([p, e]) => next.get(p)! < e)) {
      if (Date.now() > deadline)
        throw new ConnectorError(`reading ${topic} on the target took over 120 s: a transaction left open there holds read_committed readers back`, {
          class: 'transient',
          code: 'KAFKA_ERROR',
          fix: 'retry once the jobs writing to this cluster have committed (an abandoned transaction ends at its timeout)',
        });
      const b = await stream.next(1000);
      if (!b) continue;
      for (const r of b.records) onRecord(r.key?.toString('utf8') ?? null, r.value);
      next.set(b.partition, b.next);
      if (b.highWatermark > (end.get(b.partition) ?? 0n)) end.set(b.partition, b.highWatermark);
    }
  } finally {
    await stream.close();
  }
}

/** The job's copied positions (topic -> partition -> next source offset), merged over its checkpoint streams. */
async function readCheckpoints(target: SwitchCluster, jobId: string): Promise<Map<string, Map<number, bigint>>> {
  const latest = new Map<string, Buffer>();
  await readAll(target, CHECKPOINT_TOPIC, (key, value) => {
    if (key?.startsWith(`${jobId}/`) && value) latest.set(key, value);
  });
  const out = new Map<string, Map<number, bigint>>();
  for (const value of latest.values()) {
    let v: { position?: { kind?: string; offsets?: Record<string, Record<string, string>> } };
    try {
      v = JSON.parse(value.toString('utf8')) as typeof v;
    } catch {
      continue;
    }
    if (v.position?.kind !== 'kafka' || !v.position.offsets) continue;
    for (const [topic, parts] of Object.entries(v.position.offsets)) {
      const m = out.get(topic) ?? new Map<number, bigint>();
      for (const [p, o] of Object.entries(parts)) if (/^\d+$/.test(o)) m.set(Number(p), BigInt(o));
      out.set(topic, m);
    }
  }
  return out;
}

const ACTIVE = new Set(['Stable', 'PreparingRebalance', 'CompletingRebalance', 'AwaitingSync']);

/** Translates the groups and writes their offsets on the target (unless dryRun). */
export async function translateGroups(source: SwitchCluster, target: SwitchCluster, o: SwitchOptions): Promise<GroupOutcome[]> {
  const checkpoint = await readCheckpoints(target, o.jobId);
  const jobTopics = [...checkpoint.keys()];
  const srcAdmin = await source.admin();
  const committed = new Map<string, Map<string, Map<number, bigint>>>();
  for (const g of o.groups) {
    const byTopic = new Map<string, Map<number, bigint>>();
    // An empty answer is asked again: a busy or moving group coordinator has answered with no offsets here.
    for (let attempt = 0; jobTopics.length && !byTopic.size && attempt < 3; attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, 1000));
      for (const x of await srcAdmin.groupOffsets(g, jobTopics)) {
        if (x.offset === null) continue;
        const m = byTopic.get(x.topic) ?? new Map<number, bigint>();
        m.set(x.partition, x.offset);
        byTopic.set(x.topic, m);
      }
    }
    committed.set(g, byTopic);
  }
  const wanted = [...committed.values()].flatMap((t) =>
    [...t].flatMap(([topic, parts]) => [...parts].map(([partition, offset]) => ({ topic, partition, offset }))),
  );
  const translator = new OffsetTranslator(wanted);
  await readAll(target, OFFSET_SYNCS_TOPIC, (key, value) => {
    if (key !== o.jobId) return;
    const runs = parseOffsetSyncs(value, o.jobId);
    if (runs) translator.add(runs);
  });

  const tgtAdmin = await target.admin();
  const out: GroupOutcome[] = [];
  for (const g of o.groups) {
    const byTopic = committed.get(g)!;
    if (!byTopic.size) {
      out.push({
        group: g,
        status: 'none',
        message: `group ${g} has no committed offset on the job's topics on the source: nothing to translate`,
        partitions: [],
      });
      continue;
    }
    const results = translator.translate({ committed: byTopic, checkpoint, targetTopicOf: o.targetTopicOf, partitioning: o.partitioning });
    const desc = await tgtAdmin.describeGroup(g);
    if (ACTIVE.has(desc.state) || desc.members > 0) {
      out.push({
        group: g,
        status: 'active',
        message: `group ${g} has ${desc.members} active member(s) on the target (state ${desc.state}): its offsets there were left alone; stop its consumers on the target to translate again, or let them keep their own offsets`,
        partitions: results.map((r) => ({ ...r, action: 'not written' })),
      });
      continue;
    }
    const targetTopics = [...new Set(results.flatMap((r) => (r.status === 'exact' ? [r.targetTopic] : [])))];
    const current = new Map<string, bigint>();
    if (targetTopics.length)
      for (const x of await tgtAdmin.groupOffsets(g, targetTopics)) if (x.offset !== null) current.set(`${x.topic}/${x.partition}`, x.offset);
    const partitions: PartitionOutcome[] = results.map((r) => {
      if (r.status !== 'exact') return { ...r, action: 'not written' };
      const prev = current.get(`${r.targetTopic}/${r.targetPartition}`);
      const base = prev === undefined ? r : { ...r, previous: prev };
      if (prev !== undefined && prev === r.targetOffset) return { ...base, action: 'unchanged' };
      if (prev !== undefined && prev > r.targetOffset) return { ...base, action: 'ahead' };
      return { ...base, action: o.dryRun ? 'not written' : 'written' };
    });
    const writes = partitions.flatMap((p) =>
      p.status === 'exact' && p.action === 'written' ? [{ topic: p.targetTopic, partition: p.targetPartition, offset: p.targetOffset }] : [],
    );
    if (writes.length) await tgtAdmin.setGroupOffsets(g, writes);
    const n = (s: string) => partitions.filter((p) => p.status === s).length;
    const message =
      `group ${g}: ${o.dryRun ? 'would write' : 'wrote'} ${o.dryRun ? partitions.filter((p) => p.status === 'exact' && p.action === 'not written').length : writes.length} partition offset(s) on the target` +
      `${n('pending') ? `, ${n('pending')} pending (not copied that far yet)` : ''}${n('inexact') ? `, ${n('inexact')} not translatable exactly` : ''}` +
      `${partitions.some((p) => p.action === 'ahead') ? ', some already ahead on the target (left as they are)' : ''}`;
    out.push({ group: g, status: 'translated', message, partitions });
  }
  return out;
}

/** One line per partition, for the CLI and logs. */
export function describeOutcome(g: GroupOutcome): string[] {
  return [
    g.message,
    ...g.partitions.map((p) => {
      const src = `${p.sourceTopic}[${p.partition}]@${p.sourceOffset}`;
      if (p.status !== 'exact') return `  ${src}: ${p.status}: ${p.reason}`;
      const note = p.unmirrored > 0n ? ` (the ${p.unmirrored} source offset(s) before it were never mirrored)` : '';
      const prev = p.previous !== undefined ? ` (was ${p.previous})` : '';
      return `  ${src} -> ${p.targetTopic}[${p.targetPartition}]@${p.targetOffset} ${p.action}${prev}${note}`;
    }),
  ];
}
