/**
 * TxProducer on kafkajs: idempotent and transactional (acks=all, one request in flight per broker).
 * open() initialises the producer id, which fences an older producer with the same transactional id
 * (the broker aborts its open transaction) before anything is read or written.
 */
import type { Kafka, Message, Producer, Transaction, IHeaders } from 'kafkajs';
import { classifyKafkaError } from '../../errors';
import { compressionType } from './codecs';
import { fastPathsInstalled } from './fast-paths';
import type { ProduceResult, ProducerOptions, TopicRecords, TxProducer } from '../types';

function headerObject(pairs: [string, Buffer][]): IHeaders | undefined {
  if (!pairs.length) return undefined;
  const h: Record<string, Buffer | Buffer[]> = {};
  for (const [name, v] of pairs) {
    const cur = h[name];
    if (cur === undefined) h[name] = v;
    else if (Array.isArray(cur)) cur.push(v);
    else h[name] = [cur, v];
  }
  return h;
}

export class KafkajsTxProducer implements TxProducer {
  private tx: Transaction | null = null;

  private constructor(
    private readonly producer: Producer,
    private readonly opts: ProducerOptions,
    private readonly brokers: string[],
  ) {}

  static async open(kafka: Kafka, opts: ProducerOptions, brokers: string[]): Promise<KafkajsTxProducer> {
    const producer = kafka.producer({
      transactionalId: opts.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      transactionTimeout: opts.transactionTimeoutMs ?? 60_000,
      retry: { retries: 8 },
    });
    const p = new KafkajsTxProducer(producer, opts, brokers);
    try {
      await producer.connect();
      // The first transaction initialises the producer id: this fences the previous owner of the id.
      const tx = await producer.transaction();
      await tx.abort();
    } catch (e) {
      await producer.disconnect().catch(() => undefined);
      throw classifyKafkaError(e, { what: 'starting the transactional producer', brokers });
    }
    return p;
  }

  private fail(e: unknown, what: string, topic?: string): never {
    throw classifyKafkaError(e, { what, brokers: this.brokers, ...(topic ? { topic } : {}) });
  }

  async begin(): Promise<void> {
    if (this.tx) throw new Error('a transaction is already open');
    try {
      this.tx = await this.producer.transaction();
    } catch (e) {
      this.fail(e, 'beginning a transaction');
    }
  }

  async send(batches: TopicRecords[]): Promise<ProduceResult[]> {
    const tx = this.tx;
    if (!tx) throw new Error('send outside a transaction');
    const counts = new Map<string, number>();
    const pairs = fastPathsInstalled();
    const topicMessages = batches.map((b) => {
      let prev = -1;
      let run = 0;
      const add = () => {
        const k = `${b.topic}\u0000${prev}`;
        if (run) counts.set(k, (counts.get(k) ?? 0) + run);
      };
      for (const r of b.records) {
        if (r.partition !== prev) {
          add();
          prev = r.partition;
          run = 0;
        }
        run++;
      }
      add();
      // The installed encoder reads OutRecords as they are (headers as ordered pairs); kafkajs's own wants an object.
      if (pairs) return { topic: b.topic, messages: b.records as unknown as Message[] };
      const messages: Message[] = new Array<Message>(b.records.length);
      for (let i = 0; i < b.records.length; i++) {
        const r = b.records[i]!;
        const headers = headerObject(r.headers);
        messages[i] = { partition: r.partition, key: r.key, value: r.value, timestamp: r.timestamp, ...(headers ? { headers } : {}) };
      }
      return { topic: b.topic, messages };
    });
    try {
      const res = await tx.sendBatch({ acks: -1, compression: compressionType(this.opts.compression), topicMessages });
      return res.map((m) => ({
        topic: m.topicName,
        partition: m.partition,
        baseOffset: BigInt(m.baseOffset ?? m.offset ?? '-1'),
        count: counts.get(`${m.topicName}\u0000${m.partition}`) ?? 0,
      }));
    } catch (e) {
      this.fail(e, 'writing records', batches.length === 1 ? batches[0]?.topic : undefined);
    }
  }

  async commit(): Promise<void> {
    const tx = this.tx;
    if (!tx) throw new Error('commit outside a transaction');
    this.tx = null;
    try {
      await tx.commit();
    } catch (e) {
      this.fail(e, 'committing a transaction');
    }
  }

  async abort(): Promise<void> {
    const tx = this.tx;
    this.tx = null;
    if (!tx) return;
    try {
      await tx.abort();
    } catch (e) {
      this.fail(e, 'aborting a transaction');
    }
  }

  async close(): Promise<void> {
    if (this.tx) await this.abort().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
  }
}
