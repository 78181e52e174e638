/**
 * Starting a records job: choose the topics, plan them against the target, capture T0 and the start
 * offsets (or take them from the target's checkpoint), and create the target topics before any record moves.
 */
import { ConnectorError } from '../../connectors/connector-error';
import type { PartitionOffsets, RecordSourceCapability, RecordTargetCapability, RecordTopic } from '../../connectors/records';
import type { KafkaPosition } from '../../connectors/position';
import type { KafkaJobOptions } from '../../protocol/kafka-spec';
import type { JobSpec } from '../../protocol';
import { namedTopics, planTopic, topicSelector, type TopicPlan } from './plan';
import type { JobState, PartState } from './state';

export interface PlannedTopic {
  plan: TopicPlan;
  src: RecordTopic;
}

/** The selected source topics, planned against the target. Named topics that don't exist are a config error. */
export async function planTopics(
  src: RecordSourceCapability,
  tgt: RecordTargetCapability,
  job: JobSpec,
  k: KafkaJobOptions,
  only?: (t: string) => boolean,
): Promise<PlannedTopic[]> {
  const selected = topicSelector(job.tables);
  const names = (await src.listTopics()).filter((t) => selected(t) && (!only || only(t)));
  if (!only) {
    const have = new Set(names);
    const missing = namedTopics(job.tables).filter((t) => !have.has(t) && selected(t));
    if (missing.length) {
      throw new ConnectorError(`source topic${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not exist`, {
        class: 'config',
        code: 'TOPIC_MISSING',
        retryable: false,
        table: missing[0]!,
        fix: 'check the topic names in the job (they are case-sensitive), or create the topics on the source',
      });
    }
    if (!names.length)
      throw new ConnectorError('no source topic matches the job', {
        class: 'config',
        code: 'NOTHING_SELECTED',
        retryable: false,
        fix: `change the include/exclude patterns (${job.tables.include.join(', ')})`,
      });
  }
  const srcTopics = await src.describeTopics(names);
  const targets = new Map(
    (await tgt.describeTopics(srcTopics.map((t) => planTopic(t, undefined, { ...k, createTopics: true }).target))).map((t) => [t.name, t]),
  );
  return srcTopics.map((t) => {
    const probe = planTopic(t, undefined, { ...k, createTopics: true });
    return { src: t, plan: planTopic(t, targets.get(probe.target), k) };
  });
}

/** Creates the planned target topics that are missing (before any record moves); an existing one is fine. */
export async function createTargetTopics(tgt: RecordTargetCapability, topics: PlannedTopic[]): Promise<void> {
  const create = topics.map((t) => t.plan.create).filter((c) => c !== undefined);
  for (const c of create) {
    try {
      await tgt.createTopics([c]);
    } catch (e) {
      if (!(e instanceof ConnectorError && e.code === 'TOPIC_EXISTS')) throw e;
    }
  }
}

/** Start and T0 of every partition of a topic: from the checkpoint when it has them, else from `start` and the end offsets now. */
export async function partitionsOf(
  src: RecordSourceCapability,
  t: PlannedTopic,
  start: KafkaJobOptions['start'] | 'earliest',
  checkpoint: KafkaPosition | null,
  mode: JobSpec['mode'],
): Promise<PartState[]> {
  const ends = await src.endOffsets(t.src.name);
  const spec =
    start === 'earliest'
      ? 'earliest'
      : start.from === 'timestamp'
        ? { timestamp: typeof start.timestamp === 'number' ? start.timestamp : Date.parse(start.timestamp) }
        : start.from;
  const from = spec === 'earliest' ? null : await src.offsetsAt(t.src.name, spec);
  return ends.map((e) => {
    const saved = checkpoint?.offsets[t.src.name]?.[String(e.partition)];
    const savedT0 = checkpoint?.t0?.[t.src.name]?.[String(e.partition)];
    const begin = from?.get(e.partition) ?? e.earliest;
    // mode cdc: live only, no full phase (T0 = where it starts).
    const t0 = savedT0 !== undefined ? BigInt(savedT0) : mode === 'cdc' ? begin : e.latest;
    const next = saved !== undefined ? BigInt(saved) : begin;
    return {
      topic: t.src.name,
      partition: e.partition,
      next: next < e.earliest ? e.earliest : next,
      start: saved !== undefined ? next : begin,
      t0,
      end: e.latest,
      lastTs: 0,
    };
  });
}

/**
 * A resume proves the target still holds every record the checkpoint says was committed: each target partition's end
 * offset is at least the checkpoint's targetEnds. A target topic deleted or recreated under the job fails the job
 * (copying on from the checkpoint would silently lose what was there). `fromControlPlane`: the target lost its own
 * checkpoint, so a position that cannot be proved (no targetEnds) fails too.
 */
export async function proveTargetHolds(tgt: RecordTargetCapability, position: KafkaPosition, fromControlPlane: boolean): Promise<void> {
  const claimed = position.targetEnds;
  if (!claimed || !Object.keys(claimed).length) {
    if (!fromControlPlane) return;
    throw new ConnectorError("the target has no checkpoint for this job and the control plane's checkpoint cannot be checked against the target", {
      class: 'config',
      code: 'TARGET_BEHIND_CHECKPOINT',
      retryable: false,
      fix: "the target's __sluice_checkpoints topic was deleted; check the target topics, then reset the job to copy again from the start",
    });
  }
  const behind: string[] = [];
  for (const [topic, parts] of Object.entries(claimed)) {
    const ends: PartitionOffsets[] = await tgt.endOffsets(topic).catch(() => []);
    for (const [p, end] of Object.entries(parts)) {
      const have = ends.find((e) => e.partition === Number(p))?.latest;
      if (have === undefined || have < BigInt(end)) behind.push(`${topic}/${p}: ends at ${have ?? 'nothing (missing)'}, the checkpoint says ${end}`);
    }
  }
  if (!behind.length) return;
  throw new ConnectorError(
    `the target no longer holds what the job's checkpoint says was copied (${behind.slice(0, 5).join('; ')}${behind.length > 5 ? '; ...' : ''})`,
    {
      class: 'config',
      code: 'TARGET_BEHIND_CHECKPOINT',
      retryable: false,
      table: Object.keys(claimed)[0]!,
      fix: 'a target topic was deleted, recreated or truncated while the job ran; reset the job to copy again from the start (resuming would lose records)',
    },
  );
}

/**
 * Partitions added to a source topic the job copies: each joins the job from its earliest offset. A topic copied
 * partition for partition (`same`) first grows its target topic to the source's count, so every record keeps its
 * partition; a hashed topic keeps its target's count (records of the new partitions go by key hash, as the others).
 * Returns what was added ("topic [partitions]"), for the job's event; the caller reopens its reader.
 */
export async function addNewPartitions(src: RecordSourceCapability, tgt: RecordTargetCapability, state: JobState): Promise<string[]> {
  const added: string[] = [];
  for (const [topic, t] of state.topics) {
    const ends = await src.endOffsets(topic);
    for (const e of ends) {
      const p = t.parts.get(e.partition);
      if (p && e.latest > p.end) p.end = e.latest;
    }
    const fresh = ends.filter((e) => !t.parts.has(e.partition));
    if (!fresh.length) continue;
    if (t.plan.partitioning === 'same' && ends.length > t.plan.targetPartitions) {
      const [have] = await tgt.describeTopics([t.plan.target]);
      if ((have?.partitions ?? 0) < ends.length) {
        if (!tgt.createPartitions)
          throw new ConnectorError(`source topic ${topic} grew to ${ends.length} partitions and the target cannot add partitions to ${t.plan.target}`, {
            class: 'config',
            code: 'TOPIC_REFUSED',
            retryable: false,
            table: topic,
            fix: `add partitions to ${t.plan.target} (at least ${ends.length}), or set kafka.partitioning to "hash"`,
          });
        await tgt.createPartitions(t.plan.target, ends.length);
      }
      t.plan.targetPartitions = ends.length;
    }
    for (const e of fresh)
      t.parts.set(e.partition, { topic, partition: e.partition, next: e.earliest, start: e.earliest, t0: e.earliest, end: e.latest, lastTs: 0 });
    added.push(`${topic} [${fresh.map((e) => e.partition).join(', ')}]`);
  }
  return added;
}
