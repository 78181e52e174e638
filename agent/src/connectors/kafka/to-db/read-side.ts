/** The Kafka -> database job's view of a Kafka source (the records capability): selected topics, start offsets, a partition reader. */
import { randomUUID } from 'node:crypto';
import { ConnectorError } from '../../connector-error';
import type { RecordSourceCapability } from '../../records';
import type { JobSpec } from '../../../protocol';
import { topicSelector } from '../../../engine/records/plan';
import type { KafkaReadSide } from './run-kafka-to-db';

export function kafkaReadSide(src: RecordSourceCapability, job: JobSpec, jobId: string): KafkaReadSide {
  return {
    async topics() {
      const selected = topicSelector(job.tables);
      const names = (await src.listTopics()).filter((t) => selected(t));
      if (!names.length)
        throw new ConnectorError('no source topic matches the job', {
          class: 'config',
          code: 'NOTHING_SELECTED',
          retryable: false,
          fix: `change the include/exclude patterns (${job.tables.include.join(', ')})`,
        });
      return (await src.describeTopics(names)).map((t) => ({ topic: t.name, partitions: t.partitions }));
    },
    offsetsAt: (topic, spec) => src.offsetsAt(topic, spec),
    open: (assignments) => src.open(assignments, `sluice-${jobId}-${randomUUID().slice(0, 8)}`),
    classifyError: (e, what) => src.classifyError(e, what),
  };
}
