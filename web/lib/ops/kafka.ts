/**
 * Kafka in the portal: the Kafka part of the job spec (hand-kept like JobSpec, checked against
 * docs/job-spec.schema.json by job-spec.test.ts), and the typed GraphQL views of what Kafka connectors report:
 * discovery (topics, partitions, configs, a sample record), the dry-run plan and per-partition progress.
 * Offsets and counts arrive as decimal text (int64); lib/kafka-figures.ts reads them.
 */
import { op } from '../gql';
import { graphql } from '../gql/generated';
import type { DiscoverKafkaMutation, KafkaPlanFieldsFragment, KafkaProgressFieldsFragment } from '../gql/generated/graphql';

export type KafkaFormat = 'debezium' | 'debezium-schema' | 'canal' | 'sluice';
export type KafkaStart = { from: 'earliest' } | { from: 'latest' } | { from: 'timestamp'; timestamp: string | number };
export interface KafkaTopicTable {
  table: string;
  key: string[];
  /** JSON field -> column; absent = the field name. */
  columns?: Record<string, string>;
}
/** spec.kafka (agent/src/protocol/kafka-spec.ts); every field has a default on the agent. */
export interface KafkaJobOptions {
  start?: KafkaStart;
  topicPrefix?: string;
  topicSuffix?: string;
  topicMap?: Record<string, string>;
  partitioning?: 'auto' | 'same' | 'hash';
  createTopics?: boolean;
  consumerGroups?: string[];
  format?: KafkaFormat;
  topicTemplate?: string;
  prefix?: string;
  tombstones?: boolean;
  transactionMarkers?: boolean;
  ddlTopic?: string;
  topicTables?: Record<string, KafkaTopicTable>;
  deadLetter?: { table?: string };
}

export const KAFKA_FORMATS: Array<{ value: KafkaFormat; label: string; desc: string }> = [
  { value: 'debezium', label: 'Debezium JSON', desc: 'before / after / source / op, without the schema part.' },
  { value: 'debezium-schema', label: 'Debezium JSON with schema', desc: 'The same envelope with its schema, for converters that need it.' },
  { value: 'canal', label: 'Canal JSON', desc: 'data / old / type / pkNames / isDdl, as Canal writes it.' },
  { value: 'sluice', label: 'Sluice JSON', desc: 'Exact text values with their types, the position and the transaction id.' },
];

graphql(`
  fragment KafkaProgressFields on KafkaProgress {
    phase
    partitionCount
    copied
    toCopy
    percent
    lagMessages
    maxLagSeconds
    recordsPerSecond
    bytesPerSecond
    deadLetters
    topics {
      topic
      target
      copied
      toCopy
      percent
      lagMessages
      maxLagSeconds
      partitions {
        partition
        t0
        next
        end
        copied
        toCopy
        percent
        lagMessages
        lagSeconds
      }
    }
  }
`);
graphql(`
  fragment KafkaPlanFields on KafkaPlan {
    partitions
    messages
    bytes
    estimatedSeconds
    warnings
    topics {
      source
      target
      partitions
      targetPartitions
      partitioning
      action
      messages
      bytes
      notes
    }
  }
`);

export type KafkaProgress = KafkaProgressFieldsFragment;
export type KafkaTopicProgress = KafkaProgress['topics'][number];
export type KafkaPlan = KafkaPlanFieldsFragment;
export type KafkaTopicPlan = KafkaPlan['topics'][number];

export const DISCOVER_KAFKA = op(
  graphql(`
    mutation DiscoverKafka($id: ID!, $agentId: ID) {
      discoverDataSource(id: $id, agentId: $agentId) {
        agentId
        kafka {
          version
          clusterId
          brokers
          topics {
            name
            partitionCount
            messages
            bytes
            internal
            configs {
              name
              value
            }
            partitions {
              partition
              earliest
              latest
              leader
              replicas
            }
            sample {
              partition
              offset
              timestamp
              key
              value
              encoding
              truncated
              headers {
                name
                value
              }
            }
          }
        }
      }
    }
  `),
);
export type KafkaCatalog = NonNullable<DiscoverKafkaMutation['discoverDataSource']['kafka']>;
export type KafkaTopic = KafkaCatalog['topics'][number];

export const KAFKA_TOPIC_NAMES = op(
  graphql(`
    query KafkaTopicNames($kafka: JSON!, $sources: [KafkaTopicSourceInput!]!) {
      kafkaTopicNames(kafka: $kafka, sources: $sources) {
        problem
        topics {
          source
          topic
        }
      }
    }
  `),
);
