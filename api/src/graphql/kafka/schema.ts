export const kafkaTypeDefs = /* GraphQL */ `
  "One partition of a topic as discovery saw it. Offsets are int64 in decimal text."
  type KafkaTopicPartition {
    partition: Int!
    earliest: String!
    latest: String!
    leader: Int
    replicas: Int
  }

  type KafkaTopicConfig {
    name: String!
    value: String!
  }

  type KafkaHeader {
    name: String!
    value: String!
  }

  "A record read from the topic, made safe to show: text when it is valid UTF-8, else base64 (encoding says which); at most 1 KiB of key and value."
  type KafkaSampleRecord {
    partition: Int!
    offset: String!
    timestamp: String
    key: String
    value: String
    encoding: String!
    headers: [KafkaHeader!]!
    truncated: Boolean!
  }

  type KafkaTopic {
    name: String!
    partitionCount: Int!
    partitions: [KafkaTopicPartition!]!
    "Sum of latest - earliest over the partitions (an upper bound on compacted and transactional topics)."
    messages: String!
    "Bytes on the brokers, when they report it."
    bytes: String
    "cleanup.policy, retention.*, max.message.bytes and the configs that differ from the broker default."
    configs: [KafkaTopicConfig!]!
    internal: Boolean!
    sample: KafkaSampleRecord
  }

  "What an agent found on a Kafka cluster (kafkaCatalogSchema)."
  type KafkaCatalog {
    version: String!
    clusterId: String
    brokers: Int!
    topics: [KafkaTopic!]!
  }

  extend type DataSourceDiscovery {
    "Set for a Kafka data source: its topics, typed. A result the agent sent that does not parse is a CONFLICT naming the bad field."
    kafka: KafkaCatalog
  }

  enum KafkaPartitioning {
    "A record keeps its partition number."
    SAME
    "By key hash (murmur2, as Kafka's default partitioner): the partition counts differ."
    HASH
  }

  enum KafkaTopicAction {
    "Created with the source's partition count and configs."
    CREATE
    "Already there and compatible."
    EXISTS
    "Already there with differences (see notes)."
    MISMATCH
  }

  type KafkaTopicPlan {
    source: String!
    target: String!
    partitions: Int!
    targetPartitions: Int!
    partitioning: KafkaPartitioning!
    action: KafkaTopicAction!
    messages: String!
    bytes: String
    "Config differences, partitioning by hash, what will happen."
    notes: [String!]!
  }

  "What a Kafka job will do with each topic (kafkaPlanSchema), from a dry run or the plan recorded at start."
  type KafkaPlan {
    topics: [KafkaTopicPlan!]!
    "Source partitions over all topics."
    partitions: Int!
    messages: String!
    bytes: String
    estimatedSeconds: Float
    warnings: [String!]!
  }

  extend type JobRun {
    "The Kafka part of the run's plan (plan.kafka), typed; null when the run has none or it does not parse (see kafkaPlanProblem)."
    kafkaPlan: KafkaPlan
    "Why plan.kafka could not be read, when it could not."
    kafkaPlanProblem: String
  }

  enum KafkaPhase {
    "Copying every partition up to T0 (its end offset when the job started)."
    FULL
    "Replicating new records from T0 on."
    LIVE
  }

  "One source partition. Offsets and counts are int64 in decimal text."
  type KafkaPartitionProgress {
    partition: Int!
    "The end offset captured at T0 (the full phase copies up to it)."
    t0: String
    "The next source offset to copy."
    next: String!
    "The partition's end offset on the source when last read."
    end: String!
    copied: String!
    "What the full phase copies in all: copied plus what is left up to T0."
    toCopy: String
    "copied / toCopy, 0 to 100."
    percent: Float
    "end - next."
    lagMessages: String!
    "Age of the oldest record not copied yet (0 when caught up)."
    lagSeconds: Float
  }

  type KafkaTopicProgress {
    topic: String!
    target: String!
    partitions: [KafkaPartitionProgress!]!
    copied: String!
    toCopy: String
    percent: Float
    lagMessages: String!
    maxLagSeconds: Float
  }

  "A Kafka job's progress (progress.kafka from task.progress), per topic and partition."
  type KafkaProgress {
    phase: KafkaPhase!
    topics: [KafkaTopicProgress!]!
    partitionCount: Int!
    copied: String!
    toCopy: String
    percent: Float
    lagMessages: String!
    maxLagSeconds: Float
    recordsPerSecond: Float
    bytesPerSecond: Float
    "Kafka -> database: records sent to the dead-letter table."
    deadLetters: Int
  }

  extend type Job {
    "For a job with a Kafka source or target: the newest progress per topic and partition; null otherwise, or when it does not parse (see kafkaProgressProblem)."
    kafkaProgress: KafkaProgress
    "Why progress.kafka could not be read, when it could not."
    kafkaProgressProblem: String
  }

  "A topic a job will write: the source topic (Kafka) or schema-qualified table (database), and the topic it goes to."
  type KafkaTopicName {
    source: String!
    topic: String!
  }

  type KafkaTopicNames {
    "What is wrong with the Kafka options (e.g. an unknown placeholder in the topic template); null when they are fine."
    problem: String
    topics: [KafkaTopicName!]!
  }

  "A source topic (Kafka -> Kafka) or a table (database -> Kafka)."
  input KafkaTopicSourceInput {
    topic: String
    database: String
    "PostgreSQL's schema; for MySQL leave it empty (the database is used)."
    schema: String
    table: String
  }

  extend type Query {
    "The topics a job with these Kafka options (the job spec's kafka part) writes for these sources, computed by the same functions the agent uses. At most 5000 sources."
    kafkaTopicNames(kafka: JSON!, sources: [KafkaTopicSourceInput!]!): KafkaTopicNames!
  }
`;
