/** The Kafka source and target run the records acceptance suite (records-acceptance.ts) on cluster A. */
import { runRecordsAcceptance, type RecordsFixture } from './records-acceptance';
import { KafkaTestKit, kafkaConnection, topicName } from '../support/kafka-core-fixtures';

runRecordsAcceptance({
  name: 'kafka',
  capabilities: {
    source: { snapshot: false, streaming: false, schema: false, records: true },
    target: { transactions: true, schema: false, changes: false, records: true },
  },
  async make(): Promise<RecordsFixture> {
    const kit = new KafkaTestKit();
    return {
      conn: kafkaConnection('A'),
      async seed(partitions, perPartition) {
        const topic = await kit.createTopic('A', topicName('acc'), partitions);
        const records = Array.from({ length: partitions * perPartition }, (_, j) => {
          const p = j % partitions;
          const i = Math.floor(j / partitions);
          return {
            partition: p,
            key: Buffer.from(`k${p}-${i}`),
            value: Buffer.from(`${p}:${i}`),
            headers: [] as [string, Buffer][],
            timestamp: String(1_700_000_000_000 + i * 1000),
          };
        });
        await kit.produce('A', topic, records);
        return topic;
      },
      read: (topic) => kit.readAll('A', topic),
      emptyTopic: (partitions) => kit.createTopic('A', topicName('acc-out'), partitions),
      drop: () => kit.cleanup(),
    };
  },
});
