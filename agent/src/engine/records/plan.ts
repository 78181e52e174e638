/**
 * The plan of a records job (Kafka -> Kafka): which source topics (the job's include/exclude patterns on
 * topic names), their target names (prefix, suffix, map), partition counts, partitioning (same / key
 * hash), and whether each target topic is created with the source's configs or checked where it exists.
 * A target topic that can't work (missing with createTopics off, too few partitions for `same`) is a
 * config error here, before any record moves.
 */
import { ConnectorError } from '../../connectors/connector-error';
import type { NewTopic, RecordTopic } from '../../connectors/records';
import { targetTopicName, type KafkaJobOptions } from '../../protocol/kafka-spec';
import type { KafkaPlan } from '../../protocol/kafka-shapes';
import type { JobSpec } from '../../protocol';

/** Topic configs not copied to a created topic (as MirrorMaker 2): broker-specific, or would rewrite the copied timestamps. */
const NOT_COPIED = new Set([
  'follower.replication.throttled.replicas',
  'leader.replication.throttled.replicas',
  'message.timestamp.difference.max.ms',
  'message.timestamp.before.max.ms',
  'message.timestamp.after.max.ms',
  'message.timestamp.type',
  'unclean.leader.election.enable',
  'min.insync.replicas',
  'message.format.version',
  'remote.storage.enable',
]);
/** Configs compared between an existing target topic and its source. */
const COMPARED = [
  'cleanup.policy',
  'retention.ms',
  'retention.bytes',
  'max.message.bytes',
  'min.compaction.lag.ms',
  'max.compaction.lag.ms',
  'delete.retention.ms',
  'message.timestamp.type',
];
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

function globToRegExp(p: string): RegExp {
  return new RegExp(
    `^${p
      .replace(/[.+^${}()|[\]\\-]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

/** Whether a topic is chosen by the job's `tables` patterns (matched against topic names, case-sensitive). */
export function topicSelector(tables: JobSpec['tables']): (topic: string) => boolean {
  const inc = tables.include.map(globToRegExp);
  const exc = tables.exclude.map(globToRegExp);
  return (t) => inc.some((r) => r.test(t)) && !exc.some((r) => r.test(t));
}

/** Include patterns without wildcards name topics that must exist. */
export function namedTopics(tables: JobSpec['tables']): string[] {
  return tables.include.filter((p) => !/[*?]/.test(p));
}

export interface TopicPlan {
  source: string;
  target: string;
  partitions: number;
  targetPartitions: number;
  partitioning: 'same' | 'hash';
  action: 'create' | 'exists' | 'mismatch';
  notes: string[];
  /** The target topic's max.message.bytes (a bigger record fails before its transaction commits). */
  maxRecordBytes: number;
  /** When action is create: the topic to create. */
  create?: NewTopic;
}

export function planTopic(src: RecordTopic, existing: RecordTopic | undefined, k: KafkaJobOptions): TopicPlan {
  const target = targetTopicName(src.name, k);
  const notes: string[] = [];
  const maxOf = (t: RecordTopic) => Number(t.configs['max.message.bytes'] ?? DEFAULT_MAX_MESSAGE_BYTES);
  if (!existing) {
    if (!k.createTopics) {
      throw new ConnectorError(`target topic ${target} does not exist and the job does not create topics`, {
        class: 'config',
        code: 'TOPIC_MISSING',
        retryable: false,
        table: target,
        fix: `create ${target} on the target with ${src.partitions} partitions, or set kafka.createTopics to true`,
      });
    }
    const configs = Object.fromEntries(Object.entries(src.configs).filter(([name]) => !NOT_COPIED.has(name)));
    if (src.configs['message.timestamp.type'] === 'LogAppendTime')
      notes.push('the source stamps records at append time; the copy keeps those timestamps as create times');
    return {
      source: src.name,
      target,
      partitions: src.partitions,
      targetPartitions: src.partitions,
      partitioning: 'same',
      action: 'create',
      notes,
      maxRecordBytes: maxOf(src),
      create: { name: target, partitions: src.partitions, configs },
    };
  }
  let partitioning: 'same' | 'hash' = 'same';
  if (existing.partitions !== src.partitions) {
    if (k.partitioning === 'same' && existing.partitions < src.partitions) {
      throw new ConnectorError(
        `target topic ${target} has ${existing.partitions} partitions, fewer than the ${src.partitions} of ${src.name}, and the job keeps partitions`,
        {
          class: 'config',
          code: 'INCOMPATIBLE_TARGET',
          retryable: false,
          table: target,
          fix: `add partitions to ${target} (at least ${src.partitions}), or set kafka.partitioning to "hash" or "auto"`,
        },
      );
    }
    if (k.partitioning !== 'same') {
      partitioning = 'hash';
      notes.push(
        `${existing.partitions} target partitions for ${src.partitions} source partitions: records are spread by key hash (murmur2); records without a key keep partition modulo ${existing.partitions}`,
      );
    } else {
      notes.push(`the target has ${existing.partitions} partitions; records keep their source partition (the extra ones stay empty)`);
    }
  } else if (k.partitioning === 'hash') {
    partitioning = 'hash';
    notes.push('records are spread by key hash (murmur2), as chosen');
  }
  for (const name of COMPARED) {
    const a = src.configs[name];
    const b = existing.configs[name];
    if (a !== undefined && b !== undefined && a !== b) notes.push(`${name}: source ${a}, target ${b} (kept as it is)`);
  }
  const srcMax = maxOf(src);
  const tgtMax = maxOf(existing);
  if (tgtMax < srcMax)
    notes.push(
      `max.message.bytes is ${tgtMax} on the target, ${srcMax} on the source: a bigger record stops the job with an error before anything of its transaction commits`,
    );
  const mismatch = notes.some((n) => !n.startsWith('records are spread by key hash (murmur2), as chosen'));
  return {
    source: src.name,
    target,
    partitions: src.partitions,
    targetPartitions: existing.partitions,
    partitioning,
    action: mismatch ? 'mismatch' : 'exists',
    notes,
    maxRecordBytes: tgtMax,
  };
}

export function planReport(
  topics: TopicPlan[],
  counts: Map<string, bigint>,
  t0: Record<string, Record<string, string>> | undefined,
  warnings: string[],
  rate = 150_000,
): KafkaPlan {
  let messages = 0n;
  for (const c of counts.values()) messages += c;
  return {
    topics: topics.map((t) => ({
      source: t.source,
      target: t.target,
      partitions: t.partitions,
      targetPartitions: t.targetPartitions,
      partitioning: t.partitioning,
      action: t.action,
      messages: (counts.get(t.source) ?? 0n).toString(),
      notes: t.notes,
    })),
    ...(t0 ? { t0 } : {}),
    messages: messages.toString(),
    estimatedSeconds: Math.ceil(Number(messages) / rate),
    warnings,
  };
}
