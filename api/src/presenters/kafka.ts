/**
 * Kafka read models: the shapes an agent reports (agent/src/protocol/kafka-shapes.ts) validated with their zod
 * schemas and turned into typed GraphQL views. Offsets and counts are int64: they stay decimal text, and sums and
 * percentages are computed with BigInt. What an agent sends that does not parse never crashes a resolver: discovery
 * (asked for by the user) fails with a CONFLICT naming the bad field; progress and plans (read on every page load)
 * present as null with a `problem` sentence beside them.
 */
import {
  kafkaCatalogSchema,
  kafkaPlanSchema,
  kafkaProgressSchema,
  targetTopicName,
  topicForTable,
  topicTemplateProblem,
  kafkaJobSchema,
  type KafkaCatalog,
  type KafkaPlan,
  type KafkaProgress,
} from '@sluice/agent/protocol';
import type { z } from 'zod';
import { AppError, describeZodIssues } from '../errors';

type Parsed<T> = { value: T; problem: null } | { value: null; problem: string };
/** A reported shape as presented: absent (both null), readable (value) or not (problem). */
export type Presented<T> = { value: T | null; problem: string | null };

function parse<S extends z.ZodType>(schema: S, raw: unknown, what: string): Parsed<z.infer<S>> {
  const r = schema.safeParse(raw);
  if (r.success) return { value: r.data, problem: null };
  return {
    value: null,
    problem: `the agent reported ${what} this api cannot read (${describeZodIssues(r.error.issues)}): upgrade the agent to this api's version`,
  };
}

const big = (s: string | undefined): bigint => (s === undefined ? 0n : BigInt(s));
const sum = (xs: bigint[]): bigint => xs.reduce((a, b) => a + b, 0n);
/** part / whole as a percentage with two decimals, or null when there is nothing to copy. */
function percent(part: bigint, whole: bigint): number | null {
  if (whole <= 0n) return null;
  const p = part >= whole ? 10_000n : (part * 10_000n) / whole;
  return Number(p) / 100;
}
const maxOf = (xs: Array<number | undefined>): number | null => {
  const v = xs.filter((x): x is number => x !== undefined);
  return v.length ? Math.max(...v) : null;
};

/* ---------- discovery ---------- */

export type KafkaCatalogView = ReturnType<typeof kafkaCatalogView>;
function kafkaCatalogView(c: KafkaCatalog) {
  return {
    version: c.version,
    clusterId: c.clusterId ?? null,
    brokers: c.brokers,
    topics: c.topics.map((t) => ({
      name: t.name,
      partitionCount: t.partitions.length,
      partitions: t.partitions.map((p) => ({ ...p, leader: p.leader ?? null, replicas: p.replicas ?? null })),
      messages: t.messages,
      bytes: t.bytes ?? null,
      configs: Object.entries(t.configs)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => ({ name, value })),
      internal: t.internal,
      sample: t.sample
        ? { ...t.sample, timestamp: t.sample.timestamp ?? null, headers: Object.entries(t.sample.headers).map(([name, value]) => ({ name, value })) }
        : null,
    })),
  };
}

/** A Kafka data source's discovery (`datasource.discovered`), or null for a database's. Throws CONFLICT when it does not parse. */
export function presentKafkaCatalog(raw: unknown): KafkaCatalogView | null {
  if (!raw || typeof raw !== 'object' || (raw as { engine?: unknown }).engine !== 'kafka') return null;
  const r = parse(kafkaCatalogSchema, raw, 'a Kafka discovery result');
  if (r.problem !== null) throw AppError.conflict(r.problem);
  return kafkaCatalogView(r.value);
}

/* ---------- plan ---------- */

function kafkaPlanView(p: KafkaPlan) {
  return {
    topics: p.topics.map((t) => ({
      ...t,
      bytes: t.bytes ?? null,
      partitioning: t.partitioning.toUpperCase(),
      action: t.action.toUpperCase(),
    })),
    messages: p.messages,
    bytes: p.bytes ?? null,
    estimatedSeconds: p.estimatedSeconds ?? null,
    warnings: p.warnings,
    partitions: p.topics.reduce((a, t) => a + t.partitions, 0),
  };
}

/** The Kafka part of a run's plan (`plan.kafka`): null when absent, `problem` when it does not parse. */
export function presentKafkaPlan(plan: unknown): Presented<ReturnType<typeof kafkaPlanView>> {
  const raw = plan && typeof plan === 'object' ? (plan as Record<string, unknown>)['kafka'] : undefined;
  if (raw === undefined || raw === null) return { value: null, problem: null };
  const r = parse(kafkaPlanSchema, raw, 'a Kafka plan');
  return r.problem !== null ? r : { value: kafkaPlanView(r.value), problem: null };
}

/* ---------- progress ---------- */

function kafkaProgressView(k: KafkaProgress) {
  const topics = k.topics.map((t) => {
    const partitions = t.partitions.map((p) => {
      // What the full phase copies: what it copied plus what is left up to T0 (independent of the earliest offset).
      const left = p.t0 !== undefined && big(p.t0) > big(p.next) ? big(p.t0) - big(p.next) : 0n;
      const toCopy = p.t0 !== undefined ? big(p.copied) + left : null;
      return {
        ...p,
        t0: p.t0 ?? null,
        lagSeconds: p.lagSeconds ?? null,
        toCopy: toCopy?.toString() ?? null,
        percent: toCopy === null ? null : (percent(big(p.copied), toCopy) ?? 100),
      };
    });
    const copied = sum(t.partitions.map((p) => big(p.copied)));
    const withT0 = partitions.filter((p) => p.toCopy !== null);
    const toCopy = withT0.length === partitions.length && partitions.length ? sum(withT0.map((p) => big(p.toCopy!))) : null;
    return {
      topic: t.topic,
      target: t.target,
      partitions,
      copied: copied.toString(),
      toCopy: toCopy?.toString() ?? null,
      percent: toCopy === null ? null : (percent(copied, toCopy) ?? 100),
      lagMessages: sum(t.partitions.map((p) => big(p.lagMessages))).toString(),
      maxLagSeconds: maxOf(t.partitions.map((p) => p.lagSeconds)),
    };
  });
  const copied = sum(topics.map((t) => big(t.copied)));
  const toCopy = topics.length && topics.every((t) => t.toCopy !== null) ? sum(topics.map((t) => big(t.toCopy!))) : null;
  return {
    phase: k.phase.toUpperCase(),
    topics,
    partitionCount: topics.reduce((a, t) => a + t.partitions.length, 0),
    copied: copied.toString(),
    toCopy: toCopy?.toString() ?? null,
    percent: toCopy === null ? null : (percent(copied, toCopy) ?? 100),
    lagMessages: sum(topics.map((t) => big(t.lagMessages))).toString(),
    maxLagSeconds: maxOf(topics.map((t) => t.maxLagSeconds ?? undefined)),
    recordsPerSecond: k.recordsPerSecond ?? null,
    bytesPerSecond: k.bytesPerSecond ?? null,
    deadLetters: k.deadLetters ?? null,
  };
}
export type KafkaProgressView = ReturnType<typeof kafkaProgressView>;

/** `progress.kafka` of a job or run: null when absent, `problem` when it does not parse. */
export function presentKafkaProgress(progress: unknown): Presented<KafkaProgressView> {
  const raw = progress && typeof progress === 'object' ? (progress as Record<string, unknown>)['kafka'] : undefined;
  if (raw === undefined || raw === null) return { value: null, problem: null };
  const r = parse(kafkaProgressSchema, raw, 'Kafka progress');
  return r.problem !== null ? r : { value: kafkaProgressView(r.value), problem: null };
}

/* ---------- topic names (the wizard's preview) ---------- */

export interface TopicSource {
  topic?: string | null;
  database?: string | null;
  schema?: string | null;
  table?: string | null;
}

/**
 * The topics a job writes, by the same functions the agent uses (kafka-spec.ts): for a Kafka source
 * `targetTopicName` (prefix, map, suffix), for a database source `topicForTable` (the topic template).
 */
export function previewTopicNames(kafka: unknown, sources: TopicSource[]): { problem: string | null; topics: Array<{ source: string; topic: string }> } {
  const k = kafkaJobSchema.safeParse(kafka ?? {});
  if (!k.success) return { problem: describeZodIssues(k.error.issues, 'kafka'), topics: [] };
  const templateProblem = sources.some((s) => s.table) ? topicTemplateProblem(k.data.topicTemplate) : null;
  const topics = sources.map((s) => {
    if (s.topic) return { source: s.topic, topic: targetTopicName(s.topic, k.data) };
    const database = s.database ?? '';
    const table = s.table ?? '';
    const source = [s.schema ?? (database || null), table].filter(Boolean).join('.');
    return { source, topic: templateProblem ? '' : topicForTable(k.data.topicTemplate, { prefix: k.data.prefix, database, schema: s.schema ?? null, table }) };
  });
  return { problem: templateProblem, topics };
}
