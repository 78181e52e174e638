'use client';

import { useState } from 'react';
import { useMutation } from '../../lib/hooks';
import type { DataSource } from '../../lib/ops/data-sources';
import { DISCOVER_KAFKA, type KafkaCatalog } from '../../lib/ops/kafka';
import { AgentPicker } from '../agent-picker';
import { Button, ErrorAlert, Loading } from '../ui';
import { TopicBrowser } from './topic-browser';

/** The data source page's discovery for a Kafka cluster: topics, partitions, messages, configs, a sample record. */
export function KafkaDiscoverPanel({ ds }: { ds: DataSource }) {
  const [agentId, setAgentId] = useState('');
  const [discover, state] = useMutation(DISCOVER_KAFKA);
  const [catalog, setCatalog] = useState<KafkaCatalog | null>(null);
  return (
    <div className="card">
      <div className="card-head">
        <div>
          <h2>Topics</h2>
          <p>The topics the agent can see, with their partitions, message counts, configs and a sample record.</p>
        </div>
      </div>
      <div className="card-body stack">
        <div className="row" style={{ alignItems: 'flex-end' }}>
          <AgentPicker value={agentId} onChange={setAgentId} />
          <Button
            loading={state.loading}
            onClick={async () => {
              try {
                const r = await discover({ id: ds.id, agentId: agentId || null });
                setCatalog(r.discoverDataSource.kafka ?? null);
              } catch {
                /* shown */
              }
            }}
          >
            {catalog ? 'Refresh topics' : 'Discover topics'}
          </Button>
        </div>
        {state.loading ? <Loading label="Reading the topics…" /> : null}
        <ErrorAlert error={state.error} />
        {catalog ? <TopicBrowser catalog={catalog} /> : null}
      </div>
    </div>
  );
}
