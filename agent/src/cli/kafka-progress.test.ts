import { describe, expect, it } from 'vitest';
import { formatKafkaPlain, formatKafkaProgress, kafkaProgressOf } from './kafka-progress';
import { formatPlain, formatProgress } from './progress';

const full = {
  phase: 'full',
  topics: [
    {
      topic: 'orders',
      target: 'b.orders',
      partitions: [
        { partition: 0, t0: '250', next: '125', end: '250', copied: '125', lagMessages: '125', lagSeconds: 30 },
        { partition: 1, t0: '260', next: '260', end: '262', copied: '250', lagMessages: '2', lagSeconds: 0.5 },
      ],
    },
  ],
  recordsPerSecond: 125000,
};

describe('sluice-agent run: Kafka progress lines', () => {
  it('reads progress.kafka only when it parses', () => {
    expect(kafkaProgressOf({ phase: 'loading', kafka: full })?.phase).toBe('full');
    expect(kafkaProgressOf({ phase: 'loading', tables: [] })).toBeNull();
    expect(kafkaProgressOf({ kafka: { phase: 'full', topics: [{ topic: 't' }] } })).toBeNull();
  });

  it('shows each partition copied of T0 in the full phase', () => {
    expect(formatKafkaProgress(kafkaProgressOf({ kafka: full })!)).toEqual([
      'kafka  full 375/500 records (75.0%)  125,000 records/s',
      '  orders[0]                                125/250 50.0%  lag 125 30s',
      '  orders[1]                                250/250 100.0%  lag 2 0.5s',
    ]);
  });

  it('shows the lag per partition live, with exact int64 offsets and the dead-letter count', () => {
    const live = {
      phase: 'live',
      topics: [
        {
          topic: 'orders',
          target: 'orders',
          partitions: [{ partition: 0, next: '9007199254741000', end: '9007199254741003', copied: '5', lagMessages: '3', lagSeconds: 1.25 }],
        },
      ],
      deadLetters: 2,
    };
    const k = kafkaProgressOf({ kafka: live })!;
    expect(formatKafkaProgress(k)).toEqual([
      'kafka  live lag 3 msgs over 1 partitions  dead letters 2',
      '  orders[0]                                lag 3 msgs 1.3s  next 9,007,199,254,741,000 end 9,007,199,254,741,003',
    ]);
    expect(formatKafkaPlain(k)).toBe('kafka: live lag 3 msgs over 1 partitions  dead letters 2');
    expect(formatKafkaProgress(k, 0)).toEqual(['kafka  live lag 3 msgs over 1 partitions  dead letters 2', '  … 1 more partitions']);
  });
});

describe('the run progress view', () => {
  it('adds the Kafka lines to the terminal view and the plain line', () => {
    const p = { phase: 'loading', tables: [], kafka: full } as unknown as Parameters<typeof formatProgress>[0];
    expect(formatProgress(p)[0]).toBe('kafka  full 375/500 records (75.0%)  125,000 records/s');
    expect(formatPlain(p)).toBe('progress load: kafka: full 375/500 records (75.0%)  125,000 records/s');
  });
});
