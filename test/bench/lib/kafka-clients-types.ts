/** What the Kafka client benchmark measures of each client (kafka-clients.ts, kafka-clients-child.ts). */
export interface ProduceResult {
  records: number;
  bytes: number;
  seconds: number;
}

export interface ConsumeResult {
  records: number;
  bytes: number;
  /** From creating the consumer to the last record (group join and first fetch included). */
  seconds: number;
  /** From creating the consumer to the first record (group join, metadata, first fetch). */
  firstRecordSeconds: number;
}

/**
 * The transaction check: two transactions on one producer, each producing 5 records to an output topic and
 * committing a consumer group's offset on an input topic with them; the first commits, the second aborts.
 * A read_committed consumer of the output must then see exactly the committed 5, and the group's offset
 * must be the committed one.
 */
export interface TxnResult {
  works: boolean;
  committedSeen: number;
  abortedSeen: number;
  groupOffset: string | null;
  error?: string;
}

export interface BenchClient {
  produce(broker: string, topic: string, size: number, count: number): Promise<ProduceResult>;
  consume(broker: string, topic: string, count: number): Promise<ConsumeResult>;
  transactions(broker: string, prefix: string): Promise<TxnResult>;
}

export const PARTITIONS = 3;
/** Records per produce request: about 512 KB of values. */
export function batchRecords(size: number): number {
  return Math.max(16, Math.floor((512 * 1024) / size));
}

export function payload(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = 97 + (i % 26);
  return b;
}

export function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
