/**
 * Which source/target kinds each mode accepts, and whether the job's Kafka options (spec.kafka) fit the pair.
 * All nine pairs of {mysql, postgres, kafka} move data (full, full_cdc, cdc); verify compares two databases.
 * Each check returns a message saying what is wrong (and the spec field it is about), or null.
 */
import { targetTopicName, topicNameSchema, topicTemplateProblem, type DataSourceKind, type JobMode, type JobSpec } from '@sluice/agent/protocol';

const SQL: DataSourceKind[] = ['mysql', 'postgres'];

export function checkModeCompatibility(mode: JobMode, source: DataSourceKind, target: DataSourceKind | null): string | null {
  if (!target) return `a ${mode} job needs a target data source`;
  if (mode === 'verify' && (!SQL.includes(source) || !SQL.includes(target))) {
    return `verify compares two databases: source and target must be mysql or postgres (got ${source} -> ${target})`;
  }
  return null;
}

export interface SpecProblem {
  field: string;
  message: string;
}

/** What is wrong with spec.kafka for this source -> target pair, or null. */
export function checkKafkaOptions(spec: JobSpec, source: DataSourceKind, target: DataSourceKind): SpecProblem | null {
  const k = spec.kafka;
  const kafkaSource = source === 'kafka';
  const kafkaTarget = target === 'kafka';
  if (!k) return null;
  if (!kafkaSource && !kafkaTarget) {
    return {
      field: 'input.spec.kafka',
      message: `Kafka options apply only to a job with a Kafka source or target (this one is ${source} -> ${target}): remove spec.kafka`,
    };
  }
  if (kafkaSource && kafkaTarget) {
    // Every renamed topic must still be a valid topic name once the prefix and suffix are added.
    for (const source of Object.keys(k.topicMap)) {
      const name = targetTopicName(source, k);
      if (!topicNameSchema.safeParse(name).success) {
        return {
          field: 'input.spec.kafka.topicMap',
          message: `topic ${source} would be written to "${name.slice(0, 60)}", which is not a valid topic name (at most 249 of A-Z a-z 0-9 . _ -)`,
        };
      }
    }
    if (k.topicPrefix.length + k.topicSuffix.length > 200) {
      return {
        field: 'input.spec.kafka.topicPrefix',
        message: 'the topic prefix and suffix together must leave room for the topic name (at most 200 characters)',
      };
    }
  }
  if (!kafkaSource && kafkaTarget) {
    const problem = topicTemplateProblem(k.topicTemplate);
    if (problem) return { field: 'input.spec.kafka.topicTemplate', message: problem };
    if (k.ddlTopic && k.ddlTopic === k.topicTemplate)
      return { field: 'input.spec.kafka.ddlTopic', message: 'the DDL topic must differ from the topic the rows go to' };
  }
  if (kafkaSource && !kafkaTarget) {
    // Two topics written to one table is a mapping mistake the agent would only find while applying.
    const seen = new Map<string, string>();
    for (const [topic, t] of Object.entries(k.topicTables)) {
      const other = seen.get(t.table.toLowerCase());
      if (other)
        return { field: 'input.spec.kafka.topicTables', message: `topics ${other} and ${topic} both map to table ${t.table}: give each topic its own table` };
      seen.set(t.table.toLowerCase(), topic);
    }
  }
  if (!kafkaSource && k.start.from !== 'earliest') {
    return {
      field: 'input.spec.kafka.start',
      message: `a start from ${k.start.from} applies to a Kafka source only; for a ${source} source use options.cdcStart`,
    };
  }
  return null;
}
