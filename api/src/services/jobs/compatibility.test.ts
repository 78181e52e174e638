import { jobSpecSchema, type DataSourceKind } from '@sluice/agent/protocol';
import { describe, expect, it } from 'vitest';
import { checkKafkaOptions, checkModeCompatibility } from './compatibility';

const KINDS: DataSourceKind[] = ['mysql', 'postgres', 'kafka'];

describe('checkModeCompatibility', () => {
  it('accepts all nine pairs of mysql, postgres and kafka for full, full_cdc and cdc', () => {
    for (const mode of ['full', 'full_cdc', 'cdc'] as const)
      for (const s of KINDS) for (const t of KINDS) expect(checkModeCompatibility(mode, s, t)).toBeNull();
    expect(checkModeCompatibility('verify', 'mysql', 'postgres')).toBeNull();
  });
  it('explains what is wrong otherwise', () => {
    expect(checkModeCompatibility('full', 'mysql', null)).toMatch(/needs a target/);
    expect(checkModeCompatibility('verify', 'kafka', 'kafka')).toMatch(/verify compares two databases/);
    expect(checkModeCompatibility('verify', 'mysql', 'kafka')).toMatch(/verify compares two databases/);
  });
});

describe('checkKafkaOptions', () => {
  const spec = (kafka: unknown) => jobSpecSchema.parse({ mode: 'full_cdc', kafka });
  it('accepts the defaults for every pair with Kafka on one side, and no Kafka options elsewhere', () => {
    for (const [s, t] of [
      ['kafka', 'kafka'],
      ['mysql', 'kafka'],
      ['kafka', 'postgres'],
    ] as const)
      expect(checkKafkaOptions(spec({}), s, t)).toBeNull();
    expect(checkKafkaOptions(jobSpecSchema.parse({ mode: 'full' }), 'mysql', 'postgres')).toBeNull();
  });
  it('refuses Kafka options on a database-only job', () => {
    expect(checkKafkaOptions(spec({}), 'mysql', 'postgres')).toMatchObject({
      field: 'input.spec.kafka',
      message: expect.stringMatching(/only to a job with a Kafka source or target/),
    });
  });
  it('checks renamed topics, the topic template, topic tables and the start', () => {
    expect(checkKafkaOptions(spec({ topicPrefix: 'p'.repeat(100), topicMap: { a: 'b'.repeat(200) } }), 'kafka', 'kafka')?.field).toBe(
      'input.spec.kafka.topicMap',
    );
    expect(checkKafkaOptions(spec({ topicTemplate: '{prefix}.{db}.{table}' }), 'mysql', 'kafka')).toMatchObject({
      field: 'input.spec.kafka.topicTemplate',
      message: expect.stringMatching(/\{db\}/),
    });
    const tables = { clicks: { table: 'events', key: ['id'] }, views: { table: 'Events', key: ['id'], columns: { userId: 'user_id' } } };
    expect(checkKafkaOptions(spec({ topicTables: tables }), 'kafka', 'postgres')).toMatchObject({
      field: 'input.spec.kafka.topicTables',
      message: expect.stringMatching(/both map to table/),
    });
    expect(checkKafkaOptions(spec({ topicTables: { clicks: { table: 'clicks', key: ['id'] } } }), 'kafka', 'postgres')).toBeNull();
    expect(checkKafkaOptions(spec({ start: { from: 'latest' } }), 'mysql', 'kafka')?.field).toBe('input.spec.kafka.start');
  });
});
