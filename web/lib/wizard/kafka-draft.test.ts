import { describe, expect, it } from 'vitest';
import { buildInput, validateStep } from './draft';
import { kafkaPair, pairsOf, startTimestamp, topicsAsTables } from './kafka-draft';
import { initialWizardState, wizardReducer, type WizardAction, type WizardState } from './reducer';

const run = (...actions: WizardAction[]): WizardState => actions.reduce(wizardReducer, initialWizardState);
const route = (source: 'KAFKA' | 'MYSQL' | 'POSTGRES', target: 'KAFKA' | 'MYSQL' | 'POSTGRES'): WizardAction[] => [
  { type: 'set', key: 'name', value: 'kafka job' },
  { type: 'endpoint', key: 'sourceId', id: 's1', kind: source },
  { type: 'endpoint', key: 'targetId', id: 't1', kind: target },
];

describe('the wizard’s Kafka options', () => {
  it('knows the pair from the kinds, and leaves spec.kafka out of database-only jobs', () => {
    expect(kafkaPair('KAFKA', 'KAFKA')).toBe('kafka-kafka');
    expect(kafkaPair('MYSQL', 'KAFKA')).toBe('db-kafka');
    expect(kafkaPair('KAFKA', 'POSTGRES')).toBe('kafka-db');
    expect(kafkaPair('MYSQL', 'POSTGRES')).toBeNull();
    expect(buildInput(run(...route('MYSQL', 'POSTGRES')).draft).spec.kafka).toBeUndefined();
  });

  it('Kafka -> Kafka: topic patterns are the table selection; renames, partitioning, topic creation, start and consumer groups', () => {
    const s = run(
      ...route('KAFKA', 'KAFKA'),
      { type: 'selection', value: 'patterns' },
      { type: 'set', key: 'include', value: 'Topic-*' },
      { type: 'set', key: 'exclude', value: 'Topic-tmp*' },
      {
        type: 'kafka',
        patch: {
          rename: 'affix',
          topicPrefix: 'b.',
          start: 'timestamp',
          timestamp: '2026-12-07T10:00:00Z',
          partitioning: 'hash',
          createTopics: false,
          consumerGroups: 'billing, audit',
        },
      },
    );
    const spec = buildInput(s.draft).spec;
    expect(spec.tables).toEqual({ include: ['Topic-*'], exclude: ['Topic-tmp*'] });
    expect(spec.kafka).toEqual({
      start: { from: 'timestamp', timestamp: '2026-12-07T10:00:00.000Z' },
      topicPrefix: 'b.',
      topicSuffix: '',
      partitioning: 'hash',
      createTopics: false,
      consumerGroups: ['billing', 'audit'],
    });
    const mapped = wizardReducer(s, { type: 'kafka', patch: { rename: 'map', topicMap: 'Topic-1=orders\nTopic-2=items' } });
    expect(buildInput(mapped.draft).spec.kafka?.topicMap).toEqual({ 'Topic-1': 'orders', 'Topic-2': 'items' });
  });

  it('database -> Kafka: format, template, prefix, tombstones on by default, markers, DDL topic', () => {
    const s = run(...route('POSTGRES', 'KAFKA'), { type: 'kafka', patch: { format: 'canal', transactionMarkers: true, ddlTopic: 'shop.ddl' } });
    expect(buildInput(s.draft).spec.kafka).toEqual({
      format: 'canal',
      topicTemplate: '{prefix}.{database}.{table}',
      prefix: 'sluice',
      tombstones: true,
      transactionMarkers: true,
      ddlTopic: 'shop.ddl',
    });
  });

  it('Kafka -> database: format, topic -> table maps for plain JSON topics, the dead-letter table', () => {
    const s = run(...route('KAFKA', 'MYSQL'), {
      type: 'kafka',
      patch: {
        format: 'sluice',
        start: 'latest',
        topicTables: [{ topic: 'clicks', table: 'clicks', key: 'id', columns: 'userId=user_id, ts=clicked_at' }],
        deadLetterTable: 'dead',
      },
    });
    expect(buildInput(s.draft).spec.kafka).toEqual({
      start: { from: 'latest' },
      format: 'sluice',
      topicTables: { clicks: { table: 'clicks', key: ['id'], columns: { userId: 'user_id', ts: 'clicked_at' } } },
      deadLetter: { table: 'dead' },
    });
  });

  it('validates on the options step with the field named, and moves a verify draft off verify when Kafka joins', () => {
    let s = run({ type: 'mode', value: 'verify' }, ...route('KAFKA', 'KAFKA'));
    expect(s.draft.mode).toBe('full_cdc');
    s = wizardReducer(s, { type: 'kafka', patch: { rename: 'map', topicMap: 'orders', start: 'timestamp', timestamp: 'soon' } });
    expect(validateStep(2, s.draft)).toMatchObject({ 'kafka.topicMap': expect.stringMatching(/source=target/), 'kafka.timestamp': expect.any(String) });
    const db = run(...route('MYSQL', 'KAFKA'), { type: 'kafka', patch: { topicTemplate: '{prefix}.{db}.{table}', ddlTopic: 'bad topic' } });
    expect(validateStep(2, db.draft)).toMatchObject({ 'kafka.topicTemplate': expect.stringMatching(/\{table\}/), 'kafka.ddlTopic': expect.any(String) });
    const kdb = run(...route('KAFKA', 'POSTGRES'), { type: 'kafka', patch: { topicTables: [{ topic: 'clicks', table: 'clicks', key: '', columns: '' }] } });
    expect(validateStep(2, kdb.draft)['kafka.topicTables.0']).toMatch(/key column/);
    expect(validateStep(2, run(...route('KAFKA', 'KAFKA')).draft)).toEqual({});
  });

  it('reads pairs, timestamps and discovered topics', () => {
    expect(pairsOf('a=b\n c = d ,e')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', null],
    ]);
    expect(startTimestamp('')).toBeNull();
    expect(startTimestamp('2026-12-07T10:00:00Z')).toBe('2026-12-07T10:00:00.000Z');
    const tables = topicsAsTables({
      version: '3.9.1',
      clusterId: null,
      brokers: 1,
      topics: [
        { name: 'orders', partitionCount: 2, partitions: [], messages: '500', bytes: '4096', internal: false, configs: [], sample: null },
        { name: '__consumer_offsets', partitionCount: 50, partitions: [], messages: '0', bytes: null, internal: true, configs: [], sample: null },
      ],
    });
    expect(tables.map((t) => [t.name, t.rowEstimate, t.sizeBytes])).toEqual([['orders', 500, 4096]]);
  });
});
