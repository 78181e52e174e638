'use client';

import type { TopicTableRow } from '../../lib/wizard/kafka-draft';
import { Button } from '../ui';

/** Kafka -> database: plain JSON topics (no envelope) mapped to a table, its key and field=column pairs. */
export function KafkaTopicTables({
  rows,
  errors,
  onChange,
}: {
  rows: TopicTableRow[];
  errors: Record<string, string>;
  onChange: (rows: TopicTableRow[]) => void;
}) {
  const set = (i: number, patch: Partial<TopicTableRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset data-testid="topic-tables">
      <legend>Plain JSON topics</legend>
      <p className="muted small">
        Topics in Debezium, Canal or Sluice format carry their table and key. A topic of plain JSON records needs a table, a key and, where the field names
        differ from the columns, field=column pairs.
      </p>
      {rows.map((r, i) => (
        <div key={i} className="stack-sm" style={{ marginBottom: 8 }}>
          <div className="grid-4">
            <input
              type="text"
              aria-label={`Topic ${i + 1}`}
              placeholder="topic"
              value={r.topic}
              onChange={(e) => set(i, { topic: e.target.value })}
              spellCheck={false}
            />
            <input
              type="text"
              aria-label={`Table for topic ${i + 1}`}
              placeholder="table"
              value={r.table}
              onChange={(e) => set(i, { table: e.target.value })}
              spellCheck={false}
            />
            <input
              type="text"
              aria-label={`Key of topic ${i + 1}`}
              placeholder="key columns, e.g. id"
              value={r.key}
              onChange={(e) => set(i, { key: e.target.value })}
              spellCheck={false}
            />
            <span className="row">
              <input
                type="text"
                aria-label={`Columns of topic ${i + 1}`}
                placeholder="userId=user_id, …"
                value={r.columns}
                onChange={(e) => set(i, { columns: e.target.value })}
                spellCheck={false}
              />
              <Button size="sm" variant="ghost" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove topic ${i + 1}`}>
                ✕
              </Button>
            </span>
          </div>
          {errors[`kafka.topicTables.${i}`] ? <p className="field-error small">{errors[`kafka.topicTables.${i}`]}</p> : null}
        </div>
      ))}
      <Button size="sm" onClick={() => onChange([...rows, { topic: '', table: '', key: 'id', columns: '' }])}>
        Add a topic → table mapping
      </Button>
    </fieldset>
  );
}
