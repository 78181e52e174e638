'use client';
/**
 * The topics a Kafka job will write, named by the api with the agent's own functions (Query.kafkaTopicNames:
 * topicForTable for database -> Kafka, the prefix/map/suffix rename for Kafka -> Kafka), so the wizard's live
 * preview and plan show exactly what the agent will create. Debounced; a stale answer never replaces a newer one.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { request } from '../gql';
import type { DataSource, DiscoveredTable } from '../ops/data-sources';
import type { JobSpec } from '../ops/jobs';
import { KAFKA_TOPIC_NAMES } from '../ops/kafka';
import { tableSelected } from '../preflight';
import type { KafkaPair } from './kafka-draft';

export interface TopicSource {
  topic?: string | null;
  database?: string | null;
  schema?: string | null;
  table?: string | null;
}

const MAX_SOURCES = 5000;

/** The selected source topics (Kafka source) or tables (database source) as the api's KafkaTopicSourceInput. */
export function topicSources(
  pair: KafkaPair | null,
  tables: DiscoveredTable[] | null,
  spec: Pick<JobSpec, 'tables'>,
  source: Pick<DataSource, 'kind' | 'config'> | undefined,
): TopicSource[] | null {
  if (!pair || pair === 'kafka-db' || !tables || !source) return null;
  const selected = tables.filter((t) => tableSelected(spec.tables.include, spec.tables.exclude, t)).slice(0, MAX_SOURCES);
  if (pair === 'kafka-kafka') return selected.map((t) => ({ topic: t.name }));
  const cfg = source.config as Record<string, unknown>;
  const database = typeof cfg['database'] === 'string' ? cfg['database'] : '';
  return selected.map((t) =>
    source.kind === 'POSTGRES'
      ? { database, schema: t.schema ?? (typeof cfg['schema'] === 'string' ? cfg['schema'] : 'public'), table: t.name }
      : { database: t.schema ?? database, schema: null, table: t.name },
  );
}

export interface TopicNames {
  loading: boolean;
  problem: string | null;
  error: unknown;
  topics: Array<{ source: string; topic: string }>;
}

export function useTopicNames(kafka: JobSpec['kafka'], sources: TopicSource[] | null, delayMs = 300): TopicNames | null {
  const key = useMemo(() => (sources ? JSON.stringify({ kafka: kafka ?? {}, sources }) : null), [kafka, sources]);
  const [state, setState] = useState<TopicNames | null>(null);
  const ticket = useRef(0);
  useEffect(() => {
    if (!key) {
      setState(null);
      return;
    }
    const mine = ++ticket.current;
    setState((s) => ({ loading: true, problem: s?.problem ?? null, error: undefined, topics: s?.topics ?? [] }));
    const t = setTimeout(() => {
      const vars = JSON.parse(key) as { kafka: Record<string, unknown>; sources: TopicSource[] };
      request(KAFKA_TOPIC_NAMES, vars)
        .then((d) => {
          if (mine === ticket.current)
            setState({ loading: false, problem: d.kafkaTopicNames.problem ?? null, error: undefined, topics: d.kafkaTopicNames.topics });
        })
        .catch((error: unknown) => {
          if (mine === ticket.current) setState({ loading: false, problem: null, error, topics: [] });
        });
    }, delayMs);
    return () => clearTimeout(t);
  }, [key, delayMs]);
  return state;
}
