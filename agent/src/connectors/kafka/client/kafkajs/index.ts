/** The kafkajs implementation of Sluice's Kafka client interface (../types.ts). */
import type { Kafka, SASLOptions } from 'kafkajs';
import { kafkajs } from './lib';
import { registerCodecs } from './codecs';
import { KafkajsAdmin } from './admin';
import { KafkajsRecordStream } from './consumer';
import { KafkajsTxProducer } from './producer';
import type { ConsumeOptions, KafkaAdmin, KafkaClient, KafkaClientOptions, ProducerOptions, RecordStream, TxProducer } from '../types';

export class KafkajsClient implements KafkaClient {
  private readonly kafka: Kafka;
  private readonly brokers: string[];

  constructor(opts: KafkaClientOptions) {
    registerCodecs();
    this.brokers = opts.brokers;
    const sasl: SASLOptions | undefined = opts.sasl
      ? ({ mechanism: opts.sasl.mechanism, username: opts.sasl.username, password: opts.sasl.password } as SASLOptions)
      : undefined;
    this.kafka = new kafkajs.Kafka({
      clientId: opts.clientId,
      brokers: opts.brokers,
      ssl: opts.ssl === false ? false : opts.ssl,
      ...(sasl ? { sasl } : {}),
      connectionTimeout: opts.connectionTimeoutMs ?? 5_000,
      requestTimeout: opts.requestTimeoutMs ?? 30_000,
      retry: { retries: opts.retries ?? 5, initialRetryTime: 200, maxRetryTime: 5_000 },
      logLevel: kafkajs.logLevel.NOTHING,
    });
  }

  admin(): Promise<KafkaAdmin> {
    return KafkajsAdmin.connect(this.kafka, this.brokers);
  }

  consume(opts: ConsumeOptions): Promise<RecordStream> {
    return KafkajsRecordStream.open(this.kafka, opts, this.brokers);
  }

  producer(opts: ProducerOptions): Promise<TxProducer> {
    return KafkajsTxProducer.open(this.kafka, opts, this.brokers);
  }
}
