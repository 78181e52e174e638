import { describe, expect, it } from 'vitest';
import { formatCount, formatKafkaLag, headlineConfigs, kafkaHeadline, sampleText, withKafkaFigures } from './kafka-figures';
import { jobFigures } from './job-figures';
import type { Catalog } from './ops/data-sources';
import type { JobInput } from './ops/jobs';
import type { KafkaProgress } from './ops/kafka';
import { preflightChecks } from './preflight';
import { topicsAsTables } from './wizard/kafka-draft';

const progress = (over: Partial<KafkaProgress>): KafkaProgress => ({
  phase: 'FULL',
  partitionCount: 2,
  copied: '375',
  toCopy: '500',
  percent: 75,
  lagMessages: '127',
  maxLagSeconds: 30,
  recordsPerSecond: 125000,
  bytesPerSecond: null,
  deadLetters: null,
  topics: [],
  ...over,
});

describe('kafka figures', () => {
  it('groups int64 text exactly', () => {
    expect(formatCount('9007199254740993')).toBe('9,007,199,254,740,993');
    expect(formatCount('0')).toBe('0');
    expect(formatCount(null)).toBe('—');
    expect(formatCount('n/a')).toBe('n/a');
  });
  it('says lag in messages and seconds, or caught up', () => {
    expect(formatKafkaLag('0', 0)).toBe('caught up');
    expect(formatKafkaLag('1', null)).toBe('1 message');
    expect(formatKafkaLag('1204', 3.25)).toBe('1,204 messages · 3.3 s');
  });
  it('heads a job with the full phase against T0, then the live lag', () => {
    expect(kafkaHeadline(progress({}))).toEqual({ title: 'Copying up to T0', detail: '375 of 500 records (75%) · 125,000 records/s' });
    expect(kafkaHeadline(progress({ phase: 'LIVE', lagMessages: '3', maxLagSeconds: 1.25, recordsPerSecond: 40 }))).toEqual({
      title: 'Live',
      detail: 'lag 3 messages · 1.3 s · 40 records/s · 2 partitions',
    });
  });
  it('shows the configs that matter and samples safely', () => {
    expect(
      headlineConfigs({
        configs: [
          { name: 'cleanup.policy', value: 'delete' },
          { name: 'retention.ms', value: '604800000' },
        ],
      }),
    ).toBe('delete · retention 7 d');
    expect(headlineConfigs({ configs: [{ name: 'retention.ms', value: '-1' }] })).toBe('retention forever');
    expect(sampleText('//79/A==', 'base64')).toEqual({ text: '//79/A==', note: 'binary, shown as base64' });
    expect(sampleText(null, 'utf8')).toEqual({ text: 'null', note: null });
  });

  it('gives a Kafka job headline figures from progress.kafka, and leaves table-based jobs alone', () => {
    const empty = jobFigures({ progress: { phase: 'loading' }, load: { rowsLoaded: 0, rowsEstimate: null, tables: [] }, state: 'RUNNING' });
    expect(withKafkaFigures(empty, progress({}))).toMatchObject({ loaded: 375, loadTotal: 500, loadRate: 125000, loadEtaSeconds: 0.001 });
    const live = withKafkaFigures(empty, progress({ phase: 'LIVE', lagMessages: '3', maxLagSeconds: 1.25, recordsPerSecond: 40 }));
    expect(live).toMatchObject({ phase: 'cdc', cdc: { eventsPerSec: 40, backlog: 3, lagP50Ms: 1250 } });
    const tables = { ...empty, tables: [{ name: 'orders', loaded: 1, total: 2, state: 'loading', cdcEvents: null }] };
    expect(withKafkaFigures(tables, progress({}))).toBe(tables);
    expect(withKafkaFigures(empty, null)).toBe(empty);
  });
});

describe('the wizard preflight of a Kafka source', () => {
  it('checks the topic selection against the discovered topics, and not topic names against target tables', () => {
    const topics = topicsAsTables({
      version: '3.9.1',
      clusterId: null,
      brokers: 1,
      topics: [{ name: 'Topic-1', partitionCount: 3, partitions: [], messages: '500', bytes: null, internal: false, configs: [], sample: null }],
    });
    const source: Catalog = { version: '3.9.1', flavor: 'kafka', database: null, tables: topics };
    const target: Catalog = { version: '16', flavor: 'postgres', database: 'shop', tables: [{ ...topics[0]!, schema: 'public' }] };
    const input = (include: string[]): JobInput => ({
      name: 'j',
      sourceId: 's',
      targetId: 't',
      spec: { mode: 'full_cdc', tables: { include, exclude: [] }, mapping: {}, options: { existingTable: 'fail' } },
    });
    const run = (include: string[]) =>
      preflightChecks({
        input: input(include),
        sourceKind: 'KAFKA',
        targetKind: 'POSTGRES',
        sourceTest: null,
        targetTest: null,
        sourceCatalog: source,
        targetCatalog: target,
        targetSchema: 'public',
      });
    expect(run(['Topic-*'])).toEqual([{ name: 'Topics selected', status: 'ok', message: '1 topic will be copied.', fix: null }]);
    expect(run(['orders'])[0]).toMatchObject({
      name: 'Topics selected',
      status: 'fail',
      message: expect.stringMatching(/^No topic in the source matches include \[orders\]/),
    });
  });
});
