'use client';

import { formatBytes, formatNumber } from '../../lib/format';
import type { DiscoveredTable } from '../../lib/ops/data-sources';
import type { JobSpec } from '../../lib/ops/jobs';
import { tableSelected } from '../../lib/preflight';
import type { KafkaPair } from '../../lib/wizard/kafka-draft';
import type { TopicNames } from '../../lib/wizard/use-topic-names';
import { Alert, Empty } from '../ui';

export interface KafkaPlanInput {
  pair: KafkaPair;
  names: TopicNames | null;
  /** Discovered source tables, or topics (as tables) for a Kafka source. */
  tables: DiscoveredTable[] | null;
}

/** The wizard's plan for a Kafka route, before the engine's dry run: topics read and where they go, or the topics a database writes. */
export function KafkaWizardPlan({ kafka, spec }: { kafka: KafkaPlanInput; spec: JobSpec }) {
  const { pair, names, tables } = kafka;
  if (names?.problem) {
    return (
      <Alert tone="error" title="The topic names cannot be made">
        {names.problem}
      </Alert>
    );
  }
  if (pair === 'db-kafka') {
    const topics = new Map<string, string[]>();
    for (const t of names?.topics ?? []) topics.set(t.topic, [...(topics.get(t.topic) ?? []), t.source]);
    if (topics.size === 0) return <Empty title="No topics yet">Discover the source tables (Tables step) to see the topics this job creates.</Empty>;
    return (
      <div className="table-wrap" data-testid="kafka-topics-created">
        <h3 className="small">
          Topics that will be created ({topics.size}, {spec.kafka?.format ?? 'debezium'} format, key = primary key)
        </h3>
        <table className="table stacked">
          <thead>
            <tr>
              <th>Topic</th>
              <th>From</th>
            </tr>
          </thead>
          <tbody>
            {[...topics.entries()].map(([topic, from]) => (
              <tr key={topic}>
                <td data-label="Topic" className="mono">
                  {topic}
                </td>
                <td data-label="From" className="mono small">
                  {from.join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  if (!tables) return <Empty title="No topics yet">Discover the source topics (Tables step) to see what the job reads.</Empty>;
  const selected = tables.filter((t) => tableSelected(spec.tables.include, spec.tables.exclude, t));
  const targetOf = (topic: string) =>
    pair === 'kafka-kafka'
      ? (names?.topics.find((n) => n.source === topic)?.topic ?? '…')
      : (spec.kafka?.topicTables?.[topic]?.table ?? `the envelope's table (${spec.kafka?.format ?? 'debezium'})`);
  const messages = selected.reduce((a, t) => a + (t.rowEstimate ?? 0), 0);
  const bytes = selected.reduce((a, t) => a + (t.sizeBytes ?? 0), 0);
  return (
    <div className="stack-sm" data-testid="kafka-wizard-plan">
      <p className="small muted">
        {selected.length} topic{selected.length === 1 ? '' : 's'} · {formatNumber(messages)} messages · {formatBytes(bytes)}. Partitions, topic creation and the
        estimate come from the engine dry run below.
      </p>
      <div className="table-wrap">
        <table className="table stacked">
          <thead>
            <tr>
              <th>Source topic</th>
              <th>{pair === 'kafka-kafka' ? 'Target topic' : 'Target table'}</th>
              <th className="num">Messages</th>
              <th className="num">Size</th>
            </tr>
          </thead>
          <tbody>
            {selected.map((t) => (
              <tr key={t.name}>
                <td data-label="Source" className="mono">
                  {t.name}
                </td>
                <td data-label="Target" className="mono">
                  {targetOf(t.name)}
                </td>
                <td data-label="Messages" className="num">
                  {formatNumber(t.rowEstimate)}
                </td>
                <td data-label="Size" className="num">
                  {formatBytes(t.sizeBytes)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
