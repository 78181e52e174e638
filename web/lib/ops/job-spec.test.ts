/**
 * The portal's hand-kept JobSpec types (jobs.ts) against docs/job-spec.schema.json, which is generated
 * from the agent's zod job spec. The key lists below are checked by the compiler against the types
 * (`satisfies Record<keyof T, true>`: a missing or extra key does not compile) and here against the
 * JSON Schema, so a field added to the agent's spec fails this test until the portal's types know it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JobOptions, JobSpec, SchemaChangesSpec, SchemaPolicy, SpecMode, TableMapping } from './jobs';
import type { KafkaFormat, KafkaJobOptions, KafkaStart, KafkaTopicTable } from './kafka';

interface Node {
  type?: string;
  properties?: Record<string, Node>;
  additionalProperties?: Node | boolean;
  anyOf?: Node[];
  enum?: string[];
  const?: string;
}
const root = JSON.parse(readFileSync(new URL('../../../docs/job-spec.schema.json', import.meta.url), 'utf8')) as { anyOf: Array<Node & { title?: string }> };
const spec = root.anyOf.find((b) => b.title?.startsWith('Job spec'));
const keys = (n: Node | undefined) => Object.keys(n?.properties ?? {}).sort();
const sorted = (o: object) => Object.keys(o).sort();

const SPEC_KEYS = { mode: true, tables: true, mapping: true, options: true, retry: true, kafka: true, schemaChanges: true, placement: true } satisfies Record<
  keyof JobSpec,
  true
>;
const SCHEMA_CHANGES_KEYS = { policy: true, narrowing: true, tables: true, captureDdl: true } satisfies Record<keyof SchemaChangesSpec, true>;
const SCHEMA_POLICIES = { apply: true, pause: true, quarantine: true, ignore: true } satisfies Record<SchemaPolicy, true>;
const OPTION_KEYS = {
  existingTable: true,
  outOfRange: true,
  targetOnlyRows: true,
  chunkSize: true,
  parallelism: true,
  verifyAfterLoad: true,
  repair: true,
  createSecondaryIndexes: true,
  createForeignKeys: true,
  dryRun: true,
  cdcStart: true,
  applyPartitions: true,
} satisfies Record<keyof JobOptions, true>;
const MAPPING_KEYS = { rename: true, columns: true, excludeColumns: true, where: true, chunkSize: true, parallelism: true, outOfRange: true } satisfies Record<
  keyof TableMapping,
  true
>;
const KAFKA_KEYS = {
  start: true,
  topicPrefix: true,
  topicSuffix: true,
  topicMap: true,
  partitioning: true,
  createTopics: true,
  consumerGroups: true,
  format: true,
  topicTemplate: true,
  prefix: true,
  tombstones: true,
  transactionMarkers: true,
  ddlTopic: true,
  topicTables: true,
  deadLetter: true,
} satisfies Record<keyof KafkaJobOptions, true>;
const TOPIC_TABLE_KEYS = { table: true, key: true, columns: true } satisfies Record<keyof KafkaTopicTable, true>;
const KAFKA_FORMATS = { debezium: true, 'debezium-schema': true, canal: true, sluice: true } satisfies Record<KafkaFormat, true>;
const KAFKA_STARTS = { earliest: true, latest: true, timestamp: true } satisfies Record<KafkaStart['from'], true>;
const PARTITIONING = { auto: true, same: true, hash: true } satisfies Record<NonNullable<KafkaJobOptions['partitioning']>, true>;
const MODES = { full: true, full_cdc: true, cdc: true, verify: true } satisfies Record<SpecMode, true>;
const EXISTING_TABLE = { fail: true, truncate: true, upsert: true } satisfies Record<JobOptions['existingTable'], true>;
const OUT_OF_RANGE = { 'dead-letter': true, fail: true, null: true, clamp: true } satisfies Record<JobOptions['outOfRange'], true>;
const CDC_START = { now: true, gtid: true, lsn: true } satisfies Record<NonNullable<JobOptions['cdcStart']>['from'], true>;

describe('JobSpec types against docs/job-spec.schema.json', () => {
  it('has the same fields', () => {
    expect(spec, 'the "Job spec (as the portal shows it)" branch').toBeDefined();
    expect(sorted(SPEC_KEYS)).toEqual(keys(spec));
    expect(sorted(OPTION_KEYS)).toEqual(keys(spec?.properties?.['options']));
    expect(sorted(MAPPING_KEYS)).toEqual(keys(spec?.properties?.['mapping']?.additionalProperties as Node));
    expect(keys(spec?.properties?.['retry'])).toEqual(['maxWaitMinutes']);
    expect(sorted(SCHEMA_CHANGES_KEYS)).toEqual(keys(spec?.properties?.['schemaChanges']));
    const kafka = spec?.properties?.['kafka'];
    expect(sorted(KAFKA_KEYS)).toEqual(keys(kafka));
    expect(sorted(TOPIC_TABLE_KEYS)).toEqual(keys(kafka?.properties?.['topicTables']?.additionalProperties as Node));
    expect(keys(kafka?.properties?.['deadLetter'])).toEqual(['table']);
  });

  it('has the same enumerations', () => {
    expect(sorted(MODES)).toEqual([...(spec?.properties?.['mode']?.enum ?? [])].sort());
    expect(sorted(SCHEMA_POLICIES)).toEqual([...(spec?.properties?.['schemaChanges']?.properties?.['policy']?.enum ?? [])].sort());
    expect(sorted(EXISTING_TABLE)).toEqual([...(spec?.properties?.['options']?.properties?.['existingTable']?.enum ?? [])].sort());
    expect(sorted(OUT_OF_RANGE)).toEqual([...(spec?.properties?.['options']?.properties?.['outOfRange']?.enum ?? [])].sort());
    const starts = spec?.properties?.['options']?.properties?.['cdcStart']?.anyOf ?? [];
    expect(sorted(CDC_START)).toEqual(starts.map((s) => s.properties?.['from']?.const).sort());
    const kafka = spec?.properties?.['kafka']?.properties;
    expect(sorted(KAFKA_FORMATS)).toEqual([...(kafka?.['format']?.enum ?? [])].sort());
    expect(sorted(PARTITIONING)).toEqual([...(kafka?.['partitioning']?.enum ?? [])].sort());
    expect(sorted(KAFKA_STARTS)).toEqual((kafka?.['start']?.anyOf ?? []).map((s) => s.properties?.['from']?.const).sort());
  });
});
