'use client';

import { useMemo, useState } from 'react';
import { formatBytes } from '../../lib/format';
import { bytesOf, formatCount, headlineConfigs, sampleText } from '../../lib/kafka-figures';
import type { KafkaCatalog, KafkaTopic } from '../../lib/ops/kafka';
import { Badge, Empty } from '../ui';

/** A sample key or value as text (React escapes it: a value holding markup shows as text). */
function SampleValue({ label, value, encoding }: { label: string; value: string | null | undefined; encoding: string }) {
  const s = sampleText(value, encoding);
  return (
    <div className="stack-sm">
      <div className="small" style={{ fontWeight: 600 }}>
        {label} {s.note ? <span className="muted">({s.note})</span> : null}
      </div>
      <pre className="block" data-testid={`sample-${label.toLowerCase()}`} style={{ maxHeight: 160, overflow: 'auto' }}>
        {s.text}
      </pre>
    </div>
  );
}

function TopicDetails({ t }: { t: KafkaTopic }) {
  return (
    <div className="stack-sm" style={{ margin: '6px 0 12px' }}>
      <div className="grid-2">
        <div className="table-wrap">
          <table className="table" aria-label={`Partitions of ${t.name}`}>
            <thead>
              <tr>
                <th className="num">Partition</th>
                <th className="num">Earliest</th>
                <th className="num">Latest</th>
                <th className="num">Leader</th>
              </tr>
            </thead>
            <tbody>
              {t.partitions.map((p) => (
                <tr key={p.partition}>
                  <td className="num">{p.partition}</td>
                  <td className="num mono">{formatCount(p.earliest)}</td>
                  <td className="num mono">{formatCount(p.latest)}</td>
                  <td className="num">{p.leader ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <div className="small" style={{ fontWeight: 600 }}>
            Configs
          </div>
          {t.configs.length ? (
            <dl className="kv small" aria-label={`Configs of ${t.name}`}>
              {t.configs.map((c) => (
                <Pair key={c.name} k={c.name} v={c.value} />
              ))}
            </dl>
          ) : (
            <p className="muted small">Broker defaults.</p>
          )}
        </div>
      </div>
      {t.sample ? (
        <div className="stack-sm" data-testid={`sample-of-${t.name}`}>
          <div className="small muted">
            Sample record: partition {t.sample.partition}, offset {formatCount(t.sample.offset)}
            {t.sample.timestamp ? `, ${t.sample.timestamp}` : ''}
            {t.sample.truncated ? ' (cut to 1 KiB)' : ''}
          </div>
          <div className="grid-2">
            <SampleValue label="Key" value={t.sample.key} encoding={t.sample.encoding} />
            <SampleValue label="Value" value={t.sample.value} encoding={t.sample.encoding} />
          </div>
          {t.sample.headers.length ? (
            <div className="small">
              Headers:{' '}
              {t.sample.headers.map((h) => (
                <span key={h.name} className="mono" style={{ marginRight: 10 }}>
                  {h.name}={h.value}
                </span>
              ))}
            </div>
          ) : null}
        </div>
      ) : (
        <p className="muted small">No sample: the topic is empty.</p>
      )}
    </div>
  );
}
function Pair({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt className="mono">{k}</dt>
      <dd className="mono">{v}</dd>
    </>
  );
}

/** Topics of a Kafka cluster as discovery reports them: partitions, message counts, configs and a sample record. */
export function TopicBrowser({ catalog }: { catalog: KafkaCatalog }) {
  const [filter, setFilter] = useState('');
  const [showInternal, setShowInternal] = useState(false);
  const topics = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return catalog.topics.filter((t) => (showInternal || !t.internal) && (!f || t.name.toLowerCase().includes(f))).sort((a, b) => a.name.localeCompare(b.name));
  }, [catalog, filter, showInternal]);
  return (
    <div className="stack-sm" data-testid="kafka-topics">
      <div className="row-between">
        <span className="muted small">
          Kafka {catalog.version} · {catalog.brokers} broker{catalog.brokers === 1 ? '' : 's'}
          {catalog.clusterId ? ` · cluster ${catalog.clusterId}` : ''} · {catalog.topics.length} topic{catalog.topics.length === 1 ? '' : 's'}
        </span>
        <span className="row">
          <label className="check small">
            <input type="checkbox" checked={showInternal} onChange={(e) => setShowInternal(e.target.checked)} /> internal topics
          </label>
          <input
            type="search"
            placeholder="Filter topics"
            aria-label="Filter topics"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            style={{ maxWidth: 220 }}
          />
        </span>
      </div>
      {topics.length === 0 ? (
        <Empty title="No topics found">{catalog.topics.length ? 'None matches the filter.' : 'The agent connected but saw no topics it may read.'}</Empty>
      ) : (
        <ul className="tree" aria-label="Discovered topics">
          {topics.map((t) => (
            <li key={t.name} data-testid={`topic-${t.name}`}>
              <details>
                <summary>
                  <span className="mono">{t.name}</span>{' '}
                  <span className="muted small">
                    {t.partitionCount} partition{t.partitionCount === 1 ? '' : 's'} · <span data-testid="topic-messages">{formatCount(t.messages)}</span>{' '}
                    messages
                    {t.bytes ? ` · ${formatBytes(bytesOf(t.bytes))}` : ''}
                    {headlineConfigs(t) ? ` · ${headlineConfigs(t)}` : ''}
                  </span>{' '}
                  {t.internal ? <Badge>internal</Badge> : null}
                </summary>
                <TopicDetails t={t} />
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
