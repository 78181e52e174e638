import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { presentKafkaCatalog, presentKafkaPlan, presentKafkaProgress, previewTopicNames } from './kafka';

const partition = (over: Record<string, unknown>) => ({ partition: 0, next: '0', end: '0', copied: '0', lagMessages: '0', ...over });
const progress = (partitions: unknown[], phase = 'full') => ({ kafka: { phase, topics: [{ topic: 't', target: 't', partitions }] } });

describe('Kafka presenters', () => {
  it('computes what is left to T0 from next, whatever the earliest offset was', () => {
    const p = presentKafkaProgress(progress([partition({ t0: '1000', next: '900', copied: '300', lagMessages: '100' })])).value!;
    expect(p.topics[0]!.partitions[0]).toMatchObject({ toCopy: '400', percent: 75 });
    expect(p).toMatchObject({ copied: '300', toCopy: '400', percent: 75, lagMessages: '100' });
  });
  it('counts a partition past T0 or with nothing to copy as done, and one without T0 as unknown', () => {
    expect(presentKafkaProgress(progress([partition({ t0: '5', next: '9', copied: '5' })])).value!.topics[0]!.partitions[0]).toMatchObject({
      toCopy: '5',
      percent: 100,
    });
    expect(presentKafkaProgress(progress([partition({ t0: '0' })])).value!.percent).toBe(100);
    const noT0 = presentKafkaProgress(progress([partition({ copied: '7' })], 'live')).value!;
    expect(noT0).toMatchObject({ phase: 'LIVE', toCopy: null, percent: null, copied: '7', maxLagSeconds: null });
  });
  it('keeps int64 offsets exact in sums', () => {
    const big = '9223372036854775806';
    const p = presentKafkaProgress(progress([partition({ copied: big }), partition({ partition: 1, copied: '1' })])).value!;
    expect(p.copied).toBe('9223372036854775807');
  });
  it('is absent without a kafka part, and a problem (not a throw) when it does not parse', () => {
    expect(presentKafkaProgress({ phase: 'loading' })).toEqual({ value: null, problem: null });
    expect(presentKafkaPlan({ dryRun: true })).toEqual({ value: null, problem: null });
    expect(presentKafkaPlan({ kafka: { topics: 'x' } }).problem).toMatch(/a Kafka plan this api cannot read \(topics: /);
    expect(presentKafkaCatalog({ engine: 'mysql', tables: [] })).toBeNull();
    expect(() => presentKafkaCatalog({ engine: 'kafka' })).toThrow(AppError);
  });
  it('names topics as the agent does', () => {
    expect(previewTopicNames({ prefix: '' }, [{ database: 'shop', table: 'orders' }])).toEqual({
      problem: null,
      topics: [{ source: 'shop.orders', topic: 'shop.orders' }],
    });
    expect(previewTopicNames({ topicPrefix: 'bad prefix' }, [{ topic: 'a' }]).problem).toMatch(/^kafka\.topicPrefix: /);
  });
});
