/** The Kafka connector: source and target with the `records` capability, a connection test and topic discovery. */
import type { ConnectorDefinition } from '../spi';
import { checkKafka } from './check';
import { asKafka } from './connection';
import { KafkaSource } from './source';
import { KafkaTarget } from './target';

export const kafkaConnector: ConnectorDefinition = {
  kind: 'kafka',
  source: (c) => new KafkaSource(asKafka(c)),
  target: (c) => new KafkaTarget(asKafka(c)),
  check: (c, role) => checkKafka(c, role),
};

export { KafkaSource, KafkaTarget };
export { transactionalIdOf } from './target';
export { CHECKPOINT_TOPIC, OFFSET_SYNCS_TOPIC } from './writer';
export { keyPartition, murmur2 } from './murmur2';
