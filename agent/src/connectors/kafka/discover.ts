/** Discovery of a Kafka data source: topics with partitions, offsets, message counts, configs and a sample record. */
import { randomUUID } from 'node:crypto';
import type { KafkaCatalog, TopicInfo } from '../../protocol/kafka-shapes';
import type { KafkaRecord } from '../changes';
import type { Assignment } from './client/types';
import { sampleOf } from './render';
import type { KafkaSide } from './side';

const SAMPLE_TOPICS = 200;
const SAMPLE_WAIT_MS = 4000;

export async function discoverKafka(side: KafkaSide, filter: (topic: string) => boolean = () => true): Promise<KafkaCatalog> {
  const cluster = await side.cluster();
  const names = (await side.listTopics()).filter(filter);
  const described = await side.describeTopics(names);
  const topics: TopicInfo[] = [];
  const wanted: Assignment[] = [];
  for (const t of described) {
    const offsets = await side.endOffsets(t.name);
    let messages = 0n;
    for (const p of offsets) messages += p.latest - p.earliest;
    const last = offsets.filter((p) => p.latest > p.earliest).sort((a, b) => (b.latest - b.earliest > a.latest - a.earliest ? 1 : -1))[0];
    // A few records back: the very last offset may be a transaction marker.
    if (last && wanted.length < SAMPLE_TOPICS)
      wanted.push({ topic: t.name, partition: last.partition, offset: last.latest - 5n < last.earliest ? last.earliest : last.latest - 5n });
    topics.push({
      name: t.name,
      partitions: offsets.map((p) => ({ partition: p.partition, earliest: p.earliest.toString(), latest: p.latest.toString() })),
      messages: messages.toString(),
      configs: t.configs,
      internal: false,
    });
  }
  const samples = await readSamples(side, wanted);
  for (const t of topics) {
    const r = samples.get(t.name);
    if (r) t.sample = sampleOf(r);
  }
  return { engine: 'kafka', version: cluster.version, ...(cluster.clusterId ? { clusterId: cluster.clusterId } : {}), brokers: cluster.brokers.length, topics };
}

/** One record per topic (the last committed one of its fullest partition), read within a few seconds; best effort. */
async function readSamples(side: KafkaSide, wanted: Assignment[]): Promise<Map<string, KafkaRecord>> {
  const out = new Map<string, KafkaRecord>();
  if (!wanted.length) return out;
  const stream = await side.client.consume({
    assignments: wanted,
    groupId: `sluice-discover-${randomUUID()}`,
    maxBufferedBytes: 8 << 20,
    maxBytesPerPartition: 64 << 10,
  });
  try {
    const deadline = Date.now() + SAMPLE_WAIT_MS;
    while (out.size < wanted.length && Date.now() < deadline) {
      const b = await stream.next(Math.max(1, deadline - Date.now()));
      if (!b) continue;
      const r = b.records[b.records.length - 1];
      if (r && !out.has(b.topic)) out.set(b.topic, r);
    }
  } finally {
    await stream.close();
  }
  return out;
}
