'use client';

import type { TopicNames } from '../../lib/wizard/use-topic-names';
import { Alert, ErrorAlert } from '../ui';

const SHOWN = 12;

/** The topics the job will write (named by the api with the agent's functions), as the user types. */
export function KafkaTopicPreview({ names, what }: { names: TopicNames | null; what: 'tables' | 'topics' }) {
  if (!names) {
    return <p className="muted small">Discover the source on the Tables step to preview the topic names.</p>;
  }
  if (names.problem) {
    return (
      <Alert tone="error" title="The topic names cannot be made">
        {names.problem}
      </Alert>
    );
  }
  const distinct = new Set(names.topics.map((t) => t.topic)).size;
  return (
    <div className="stack-sm" data-testid="topic-preview" aria-busy={names.loading}>
      <ErrorAlert error={names.error} />
      <div className="small muted">
        {names.topics.length === 0
          ? `No ${what} selected.`
          : `${names.topics.length} ${what} → ${distinct} topic${distinct === 1 ? '' : 's'}${distinct < names.topics.length ? ' (several go to one topic)' : ''}`}
      </div>
      {names.topics.length ? (
        <ul className="small mono" style={{ margin: 0 }}>
          {names.topics.slice(0, SHOWN).map((t) => (
            <li key={t.source}>
              {t.source} → <strong data-testid="topic-name">{t.topic}</strong>
            </li>
          ))}
          {names.topics.length > SHOWN ? <li className="muted">… and {names.topics.length - SHOWN} more</li> : null}
        </ul>
      ) : null}
    </div>
  );
}
