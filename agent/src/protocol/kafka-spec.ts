import { z } from 'zod';

/**
 * The Kafka part of a job spec (`job.kafka`). It applies when the source or the
 * target is a Kafka data source; the topics a Kafka source reads are chosen by
 * the job's `tables` selection (include/exclude patterns match topic names).
 *
 * - Kafka -> Kafka: `start`, the topic renames, `partitioning`, `createTopics`,
 *   `consumerGroups` (offsets translated to the target for a switch-over).
 * - Database -> Kafka: `format`, `topicTemplate`, `tombstones`,
 *   `transactionMarkers`, `ddlTopic`.
 * - Kafka -> database: `format` (of the topics read), `topicTables` (plain JSON
 *   topics mapped to tables), `deadLetter`.
 */

/** A Kafka topic name: at most 249 of [A-Za-z0-9._-]. */
export const topicNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(249)
  .regex(/^[A-Za-z0-9._-]+$/, 'a Kafka topic name uses letters, digits, . _ and - only');

/**
 * Where a Kafka source starts.
 * - earliest: the full phase copies every partition from its earliest offset up to T0 (its end offset,
 *   captured before the first read); with mode full_cdc the job then continues live from T0 with no gap.
 * - latest: only records produced after T0.
 * - timestamp: from the first offset whose timestamp is at or after `timestamp` (ISO 8601 or epoch ms).
 */
export const kafkaStartSchema = z.union([
  z.strictObject({ from: z.literal('earliest') }),
  z.strictObject({ from: z.literal('latest') }),
  z.strictObject({ from: z.literal('timestamp'), timestamp: z.union([z.number().int().min(0), z.string().datetime({ offset: true })]) }),
]);
export type KafkaStart = z.infer<typeof kafkaStartSchema>;

/** The change formats written to and read from topics (docs/formats/*.md). */
export const kafkaFormatSchema = z.enum(['debezium', 'debezium-schema', 'canal', 'sluice']);
export type KafkaFormat = z.infer<typeof kafkaFormatSchema>;

/** A plain JSON topic (no envelope) mapped to a target table. */
export const topicTableSchema = z.strictObject({
  table: z.string().trim().min(1).max(128),
  /** Target key columns. */
  key: z.array(z.string().trim().min(1).max(63)).min(1).max(32),
  /** JSON field -> target column; absent = the field name is the column name. */
  columns: z.record(z.string().min(1).max(256), z.string().trim().min(1).max(63)).default({}),
});

export const kafkaJobSchema = z.strictObject({
  start: kafkaStartSchema.default({ from: 'earliest' }),
  /** Target topic = topicPrefix + (topicMap[source] ?? source) + topicSuffix. Default: the same name. */
  topicPrefix: z
    .string()
    .max(100)
    .regex(/^[A-Za-z0-9._-]*$/, 'a topic prefix uses letters, digits, . _ and - only')
    .default(''),
  topicSuffix: z
    .string()
    .max(100)
    .regex(/^[A-Za-z0-9._-]*$/, 'a topic suffix uses letters, digits, . _ and - only')
    .default(''),
  topicMap: z.record(topicNameSchema, topicNameSchema).default({}),
  /**
   * same: a record keeps its partition (needs the target to have at least the source's partition count);
   * hash: by key hash (murmur2, as Kafka's default partitioner); auto: same when the counts match, else hash (the plan says so).
   */
  partitioning: z.enum(['auto', 'same', 'hash']).default('auto'),
  /** Create missing target topics with the source's partition count and topic configs. */
  createTopics: z.boolean().default(true),
  /** Consumer groups whose committed offsets are translated from the source cluster to the target. */
  consumerGroups: z.array(z.string().trim().min(1).max(249)).max(1000).default([]),

  /** Database <-> Kafka: the change format. */
  format: kafkaFormatSchema.default('debezium'),
  /** Database -> Kafka: the topic per table; {prefix} {database} {schema} {table}. A template without {table} routes every table to one topic. */
  topicTemplate: z.string().trim().min(1).max(249).default('{prefix}.{database}.{table}'),
  /** Value of {prefix} in topicTemplate. */
  prefix: z
    .string()
    .max(100)
    .regex(/^[A-Za-z0-9._-]*$/)
    .default('sluice'),
  /** Database -> Kafka: a delete is followed by a tombstone (null value) for its key. */
  tombstones: z.boolean().default(true),
  /** Database -> Kafka: BEGIN/END transaction markers on `<prefix>.transaction`. */
  transactionMarkers: z.boolean().default(false),
  /** Database -> Kafka: DDL events go to this topic (absent: none are written). */
  ddlTopic: topicNameSchema.optional(),

  /** Kafka -> database: plain JSON topics mapped to tables, by source topic. */
  topicTables: z.record(topicNameSchema, topicTableSchema).default({}),
  /** Kafka -> database: where records that can't be applied go (table on the target; default `_sluice_dead_letters`). */
  deadLetter: z.strictObject({ table: z.string().trim().min(1).max(63).default('_sluice_dead_letters') }).default({ table: '_sluice_dead_letters' }),
});
export type KafkaJobOptions = z.infer<typeof kafkaJobSchema>;
export type KafkaJobOptionsInput = z.input<typeof kafkaJobSchema>;

/** The target topic a source topic is written to. */
export function targetTopicName(source: string, k: Pick<KafkaJobOptions, 'topicPrefix' | 'topicSuffix' | 'topicMap'>): string {
  return `${k.topicPrefix}${k.topicMap[source] ?? source}${k.topicSuffix}`;
}

/** The placeholders a Database -> Kafka topic template may use. */
export const TOPIC_TEMPLATE_PLACEHOLDERS = ['prefix', 'database', 'schema', 'table'] as const;
export type TopicTemplateValues = { prefix: string; database: string; schema?: string | null; table: string };

/** What is wrong with a topic template (an unknown or unclosed placeholder, nothing left), or null. */
export function topicTemplateProblem(template: string): string | null {
  const unknown = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] ?? '').filter((p) => !(TOPIC_TEMPLATE_PLACEHOLDERS as readonly string[]).includes(p));
  if (unknown.length) return `unknown placeholder {${unknown[0]}} in the topic template: use ${TOPIC_TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`;
  if (/[{}]/.test(template.replace(/\{[a-z]+\}/g, ''))) return 'the topic template has an unmatched { or }';
  const literal = template.replace(/\{[a-z]+\}/g, '');
  if (/[^A-Za-z0-9._-]/.test(literal)) return 'outside its placeholders a topic template uses letters, digits, . _ and - only';
  if (!/\{(table|database|schema|prefix)\}/.test(template) && !literal.replace(/[._-]/g, '')) return 'the topic template names no topic';
  return null;
}

/**
 * The topic a table's changes go to (Database -> Kafka), from `topicTemplate`: `{prefix}`, `{database}`,
 * `{schema}` (PostgreSQL's schema; for MySQL the database) and `{table}` are replaced, characters a topic
 * name can't hold become `_`, an empty value drops its placeholder with one separator next to it (so
 * `{prefix}.{database}.{table}` with no prefix gives `shop.orders`, not `.shop.orders`), and the name is
 * cut to 249 characters. Shared by the agent (what it writes) and the portal (the plan and the preview).
 */
export function topicForTable(template: string, v: TopicTemplateValues): string {
  const values: Record<string, string> = {
    prefix: v.prefix,
    database: v.database,
    schema: v.schema ?? v.database,
    table: v.table,
  };
  const clean = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
  let out = '';
  let i = 0;
  while (i < template.length) {
    const m = /^\{(prefix|database|schema|table)\}/.exec(template.slice(i));
    if (!m) {
      out += template[i];
      i += 1;
      continue;
    }
    const value = clean(values[m[1]!] ?? '');
    i += m[0].length;
    if (value) out += value;
    else if (/[._-]/.test(template[i] ?? ''))
      i += 1; // drop the separator after an empty value
    else if (/[._-]$/.test(out)) out = out.slice(0, -1); // or, at the end, the one before it
  }
  return clean(out).slice(0, 249);
}
