'use client';

import { formatBytes, formatDuration } from '../../lib/format';
import { bytesOf, formatCount } from '../../lib/kafka-figures';
import type { KafkaPlan } from '../../lib/ops/kafka';
import { Alert, Badge } from '../ui';

const ACTION: Record<string, { tone: 'ok' | 'info' | 'warn'; label: string }> = {
  CREATE: { tone: 'info', label: 'create' },
  EXISTS: { tone: 'ok', label: 'exists' },
  MISMATCH: { tone: 'warn', label: 'mismatch' },
};

/** The topics table of a Kafka plan: source -> target, partitions and partitioning, what happens to the target topic. */
export function KafkaPlanTopics({ plan }: { plan: KafkaPlan }) {
  return (
    <>
      <div className="grid-4">
        <div className="card stat">
          <div className="stat-label">Topics</div>
          <div className="stat-value">{plan.topics.length}</div>
          <div className="stat-sub">{plan.partitions} partitions</div>
        </div>
        <div className="card stat">
          <div className="stat-label">Messages</div>
          <div className="stat-value" data-testid="kafka-plan-messages">
            {formatCount(plan.messages)}
          </div>
        </div>
        <div className="card stat">
          <div className="stat-label">Data</div>
          <div className="stat-value">{formatBytes(bytesOf(plan.bytes))}</div>
        </div>
        <div className="card stat">
          <div className="stat-label">Duration (est.)</div>
          <div className="stat-value">
            {plan.estimatedSeconds !== null && plan.estimatedSeconds !== undefined ? formatDuration(plan.estimatedSeconds * 1000) : '—'}
          </div>
        </div>
      </div>
      <div className="table-wrap">
        <table className="table stacked" data-testid="kafka-plan-topics">
          <thead>
            <tr>
              <th>Source topic</th>
              <th>Target topic</th>
              <th className="num">Partitions</th>
              <th>Partitioning</th>
              <th>Target</th>
              <th className="num">Messages</th>
              <th className="num">Size</th>
              <th>Notes</th>
            </tr>
          </thead>
          <tbody>
            {plan.topics.map((t) => (
              <tr key={t.source} data-testid={`kafka-plan-${t.source}`}>
                <td data-label="Source" className="mono">
                  {t.source}
                </td>
                <td data-label="Target" className="mono">
                  {t.target}
                </td>
                <td data-label="Partitions" className="num">
                  {t.partitions === t.targetPartitions ? t.partitions : `${t.partitions} → ${t.targetPartitions}`}
                </td>
                <td data-label="Partitioning">{t.partitioning === 'SAME' ? 'same partition' : <Badge tone="warn">by key hash</Badge>}</td>
                <td data-label="Action">
                  <Badge tone={ACTION[t.action]?.tone ?? 'info'}>{ACTION[t.action]?.label ?? t.action.toLowerCase()}</Badge>
                </td>
                <td data-label="Messages" className="num mono">
                  {formatCount(t.messages)}
                </td>
                <td data-label="Size" className="num">
                  {formatBytes(bytesOf(t.bytes))}
                </td>
                <td data-label="Notes" className="small">
                  {t.notes.length ? t.notes.join('; ') : <span className="muted">—</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {plan.warnings.length ? (
        <Alert tone="warn" title={`${plan.warnings.length} warning${plan.warnings.length === 1 ? '' : 's'}`}>
          <ul>
            {plan.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
    </>
  );
}

/** A Kafka plan in a card (job page dry run, wizard engine dry run), or why it could not be read. */
export function KafkaPlanCard({ plan, problem, title }: { plan: KafkaPlan | null | undefined; problem: string | null | undefined; title: string }) {
  return (
    <div className="card" data-testid="kafka-plan">
      <div className="card-head">
        <div>
          <h2>{title}</h2>
          <p>What the agent found on both clusters: each topic, its partitions, and whether the target topic is created, already there, or different.</p>
        </div>
      </div>
      <div className="card-body stack">
        {problem ? (
          <Alert tone="warn" title="The plan could not be read">
            {problem}
          </Alert>
        ) : null}
        {plan ? <KafkaPlanTopics plan={plan} /> : null}
      </div>
    </div>
  );
}
