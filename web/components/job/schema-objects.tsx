'use client';

import { Alert, Badge, DataTable, type Tone } from '../ui';
import type { SchemaObject } from '../../lib/ops/objects';

const STATUS: Record<string, { label: string; tone: Tone }> = {
  CARRIED: { label: 'carried', tone: 'ok' },
  TRANSLATED: { label: 'translated', tone: 'info' },
  NOT_CARRIED: { label: 'not carried', tone: 'warn' },
};

const words = (s: string) => s.toLowerCase().replace(/_/g, ' ');

/** What happens to one object: the target DDL, or why not and what to do, and after a run whether it was created. */
function ObjectDetail({ o }: { o: SchemaObject }) {
  return (
    <div className="stack" style={{ gap: 4 }}>
      {o.reason ? <div>{o.reason}</div> : null}
      {o.fix ? <div className="muted">Fix: {o.fix}</div> : null}
      {o.note ? <div className="muted">{o.note}</div> : null}
      {o.result === 'FAILED' ? <div style={{ color: 'var(--danger)' }}>Not created: {o.error}</div> : null}
      {o.ddl.length || o.sourceDdl ? (
        <details>
          <summary style={{ cursor: 'pointer' }}>{o.ddl.length ? 'Target DDL' : 'Source DDL'}</summary>
          {o.ddl.length ? <pre className="block">{o.ddl.join(';\n\n')}</pre> : null}
          {o.sourceDdl && o.ddl.length ? <div className="muted">Source:</div> : null}
          {o.sourceDdl ? <pre className="block">{o.sourceDdl}</pre> : null}
        </details>
      ) : null}
    </div>
  );
}

/**
 * Every schema object of the plan (views, triggers, routines, sequences, domains, checks, generated
 * columns, ON UPDATE, comments, special indexes): carried, translated (with the target DDL) or not
 * carried (with the reason and the fix). Nothing is left out: objects not carried come first.
 */
export function SchemaObjectsCard({
  objects,
  problem,
  title,
}: {
  objects: SchemaObject[] | null | undefined;
  problem: string | null | undefined;
  title: string;
}) {
  if (!objects && !problem) return null;
  const list = [...(objects ?? [])].sort((a, b) => Number(b.status === 'NOT_CARRIED') - Number(a.status === 'NOT_CARRIED'));
  const count = (s: string) => list.filter((o) => o.status === s).length;
  const failed = list.filter((o) => o.result === 'FAILED').length;
  return (
    <div className="card" data-testid="schema-objects">
      <div className="card-head">
        <div>
          <h2>{title}</h2>
          <p>
            {count('CARRIED')} carried, {count('TRANSLATED')} translated, {count('NOT_CARRIED')} not carried
            {failed ? `, ${failed} failed` : ''}. Objects created after the load (views, triggers, routines, checks, generated columns) are made once the data
            is in, so triggers do not fire on the loaded rows.
          </p>
        </div>
      </div>
      <div className="card-body stack">
        {problem ? (
          <Alert tone="warn" title="The schema objects could not be read">
            {problem}
          </Alert>
        ) : null}
        {list.length ? (
          <DataTable compact columns={['Object', 'Kind', 'Status', 'What happens']}>
            {list.map((o) => (
              <tr key={o.id}>
                <td data-label="Object" className="mono">
                  {o.name}
                </td>
                <td data-label="Kind">{words(o.kind)}</td>
                <td data-label="Status">
                  <Badge tone={o.result === 'FAILED' ? 'danger' : (STATUS[o.status]?.tone ?? 'neutral')}>
                    {o.result === 'FAILED' ? 'failed' : (STATUS[o.status]?.label ?? words(o.status))}
                  </Badge>
                </td>
                <td data-label="What happens">
                  <ObjectDetail o={o} />
                </td>
              </tr>
            ))}
          </DataTable>
        ) : null}
      </div>
    </div>
  );
}
