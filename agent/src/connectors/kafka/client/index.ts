/** Sluice's Kafka client: the interface (types.ts) and the implementation the connectors use. */
import { KafkajsClient } from './kafkajs';
import type { KafkaClient, KafkaClientOptions } from './types';

export type * from './types';

/** The Kafka client library behind the interface (kafkajs; chosen by measurement, see ARCHITECTURE.md). */
export function createKafkaClient(opts: KafkaClientOptions): KafkaClient {
  return new KafkajsClient(opts);
}
