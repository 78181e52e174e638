/**
 * The Kafka part of the new-job wizard, pure: which Kafka pair the route is (Kafka -> Kafka, database -> Kafka,
 * Kafka -> database), the options the user edits as text, their validation, and the `spec.kafka` they become
 * (agent/src/protocol/kafka-spec.ts; the api validates it again with the same schema).
 */
import type { DataSourceKind, DiscoveredTable } from '../ops/data-sources';
import type { KafkaCatalog, KafkaFormat, KafkaJobOptions, KafkaTopicTable } from '../ops/kafka';

export type KafkaPair = 'kafka-kafka' | 'db-kafka' | 'kafka-db';

export function kafkaPair(source: DataSourceKind | null, target: DataSourceKind | null): KafkaPair | null {
  if (!source || !target) return null;
  if (source === 'KAFKA' && target === 'KAFKA') return 'kafka-kafka';
  if (source === 'KAFKA') return 'kafka-db';
  if (target === 'KAFKA') return 'db-kafka';
  return null;
}

export interface TopicTableRow {
  topic: string;
  table: string;
  /** Key columns, comma separated. */
  key: string;
  /** `field=column` pairs, comma separated. */
  columns: string;
}

export interface KafkaDraft {
  start: 'earliest' | 'latest' | 'timestamp';
  /** datetime-local text, or an ISO timestamp. */
  timestamp: string;
  rename: 'same' | 'affix' | 'map';
  topicPrefix: string;
  topicSuffix: string;
  /** One `source=target` per line. */
  topicMap: string;
  partitioning: 'auto' | 'same' | 'hash';
  createTopics: boolean;
  /** Space or comma separated. */
  consumerGroups: string;
  format: KafkaFormat;
  topicTemplate: string;
  prefix: string;
  tombstones: boolean;
  transactionMarkers: boolean;
  ddlTopic: string;
  topicTables: TopicTableRow[];
  deadLetterTable: string;
}

export const DEFAULT_KAFKA_DRAFT: KafkaDraft = {
  start: 'earliest',
  timestamp: '',
  rename: 'same',
  topicPrefix: '',
  topicSuffix: '',
  topicMap: '',
  partitioning: 'auto',
  createTopics: true,
  consumerGroups: '',
  format: 'debezium',
  topicTemplate: '{prefix}.{database}.{table}',
  prefix: 'sluice',
  tombstones: true,
  transactionMarkers: false,
  ddlTopic: '',
  topicTables: [],
  deadLetterTable: '_sluice_dead_letters',
};

const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const AFFIX = /^[A-Za-z0-9._-]{0,100}$/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;
const list = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** `a=b` lines (or comma separated pairs) as [a, b], skipping blanks; malformed ones come back with b = null. */
export function pairsOf(s: string, sep = /[\n,]+/): Array<[string, string | null]> {
  return s
    .split(sep)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf('=');
      return i < 0 ? [l, null] : [l.slice(0, i).trim(), l.slice(i + 1).trim() || null];
    });
}

/** The timestamp the user typed as ISO 8601 with a zone (datetime-local has none: it is local time), or null. */
export function startTimestamp(text: string): string | null {
  const t = text.trim();
  if (!t) return null;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Field errors of the Kafka options, keyed `kafka.<field>`. */
export function validateKafka(k: KafkaDraft, pair: KafkaPair | null): Record<string, string> {
  const e: Record<string, string> = {};
  if (!pair) return e;
  if (pair !== 'db-kafka' && k.start === 'timestamp' && !startTimestamp(k.timestamp)) e['kafka.timestamp'] = 'Enter the date and time to start from.';
  if (pair === 'kafka-kafka') {
    if (k.rename === 'affix') {
      if (!AFFIX.test(k.topicPrefix)) e['kafka.topicPrefix'] = 'Letters, digits, . _ and - only (max 100).';
      if (!AFFIX.test(k.topicSuffix)) e['kafka.topicSuffix'] = 'Letters, digits, . _ and - only (max 100).';
      if (!k.topicPrefix && !k.topicSuffix) e['kafka.topicPrefix'] = 'Give a prefix or a suffix, or keep the names.';
    }
    if (k.rename === 'map') {
      const pairs = pairsOf(k.topicMap);
      if (pairs.length === 0) e['kafka.topicMap'] = 'One source=target per line, e.g. orders=orders-copy.';
      const bad = pairs.find(([a, b]) => !TOPIC.test(a) || b === null || !TOPIC.test(b));
      if (bad) e['kafka.topicMap'] = `“${bad[0]}${bad[1] === null ? '' : `=${bad[1]}`}”: write source=target with topic names (letters, digits, . _ -).`;
    }
    const badGroup = list(k.consumerGroups).find((g) => g.length > 249);
    if (badGroup) e['kafka.consumerGroups'] = 'A consumer group name has at most 249 characters.';
  }
  if (pair === 'db-kafka') {
    if (!k.topicTemplate.trim()) e['kafka.topicTemplate'] = 'Give a topic template, e.g. {prefix}.{database}.{table}.';
    else if (/\{(?!(prefix|database|schema|table)\})[^}]*\}/.test(k.topicTemplate)) e['kafka.topicTemplate'] = 'Use {prefix} {database} {schema} {table} only.';
    if (!AFFIX.test(k.prefix)) e['kafka.prefix'] = 'Letters, digits, . _ and - only (max 100).';
    if (k.ddlTopic.trim() && !TOPIC.test(k.ddlTopic.trim())) e['kafka.ddlTopic'] = 'A topic name: letters, digits, . _ and - only.';
  }
  if (pair === 'kafka-db') {
    k.topicTables.forEach((r, i) => {
      if (!TOPIC.test(r.topic.trim())) e[`kafka.topicTables.${i}`] = 'Name the topic.';
      else if (!IDENT.test(r.table.trim())) e[`kafka.topicTables.${i}`] = 'Name the table (letters, digits and _).';
      else if (list(r.key).length === 0 || !list(r.key).every((c) => IDENT.test(c))) e[`kafka.topicTables.${i}`] = 'Give the key column(s), comma separated.';
      else if (pairsOf(r.columns).some(([f, c]) => !f || c === null || !IDENT.test(c)))
        e[`kafka.topicTables.${i}`] = 'Columns are field=column pairs, comma separated.';
    });
    if (!IDENT.test(k.deadLetterTable.trim())) e['kafka.deadLetterTable'] = 'A table name: letters, digits and _.';
  }
  return e;
}

/** The `spec.kafka` for the pair: only the fields that apply to it (the agent fills the defaults). */
export function buildKafka(k: KafkaDraft, pair: KafkaPair): KafkaJobOptions {
  const out: KafkaJobOptions = {};
  if (pair !== 'db-kafka') {
    const ts = startTimestamp(k.timestamp);
    out.start = k.start === 'timestamp' && ts ? { from: 'timestamp', timestamp: ts } : k.start === 'latest' ? { from: 'latest' } : { from: 'earliest' };
  }
  if (pair === 'kafka-kafka') {
    if (k.rename === 'affix') Object.assign(out, { topicPrefix: k.topicPrefix, topicSuffix: k.topicSuffix });
    if (k.rename === 'map') out.topicMap = Object.fromEntries(pairsOf(k.topicMap).filter((p): p is [string, string] => p[1] !== null));
    out.partitioning = k.partitioning;
    out.createTopics = k.createTopics;
    out.consumerGroups = list(k.consumerGroups);
  }
  if (pair === 'db-kafka') {
    Object.assign(out, {
      format: k.format,
      topicTemplate: k.topicTemplate.trim(),
      prefix: k.prefix,
      tombstones: k.tombstones,
      transactionMarkers: k.transactionMarkers,
    });
    if (k.ddlTopic.trim()) out.ddlTopic = k.ddlTopic.trim();
  }
  if (pair === 'kafka-db') {
    out.format = k.format;
    const tables: Record<string, KafkaTopicTable> = {};
    for (const r of k.topicTables) {
      if (!r.topic.trim() || !r.table.trim()) continue;
      const columns = Object.fromEntries(pairsOf(r.columns).filter((p): p is [string, string] => p[1] !== null));
      tables[r.topic.trim()] = { table: r.table.trim(), key: list(r.key), ...(Object.keys(columns).length ? { columns } : {}) };
    }
    out.topicTables = tables;
    out.deadLetter = { table: k.deadLetterTable.trim() };
  }
  return out;
}

/** Discovered topics as the wizard's table list (name, message count), so selection works the same for topics. */
export function topicsAsTables(c: KafkaCatalog): DiscoveredTable[] {
  return c.topics
    .filter((t) => !t.internal)
    .map((t) => ({
      schema: null,
      name: t.name,
      rowEstimate: Number(t.messages),
      sizeBytes: t.bytes ? Number(t.bytes) : null,
      primaryKey: ['key'],
      columns: [],
      uniqueKeys: [],
      indexes: [],
      foreignKeys: [],
    }));
}
