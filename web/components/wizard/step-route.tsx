'use client';

import Link from 'next/link';
import type { Dispatch } from 'react';
import type { DataSource } from '../../lib/ops/data-sources';
import type { WizardAction } from '../../lib/wizard/reducer';
import type { Draft } from '../../lib/wizard/draft';
import { KIND_LABEL } from '../status';
import { Alert, Field } from '../ui';
import { Section } from './section';

function SourceCard({ ds, name, checked, onChange, disabled }: { ds: DataSource; name: string; checked: boolean; onChange: () => void; disabled?: boolean }) {
  return (
    <label className="choice" style={disabled ? { opacity: 0.5 } : undefined}>
      <input type="radio" name={name} checked={checked} onChange={onChange} disabled={disabled} />
      <span>
        <span className="choice-title">{ds.name}</span>
        <span className="choice-desc" style={{ display: 'block' }}>
          {KIND_LABEL[ds.kind]}
        </span>
      </span>
    </label>
  );
}

/** Step 1: the job's name, where rows come from and where they go. */
export function StepRoute({
  draft,
  all,
  errors,
  dispatch,
}: {
  draft: Draft;
  all: DataSource[];
  errors: Record<string, string>;
  dispatch: Dispatch<WizardAction>;
}) {
  return (
    <Section
      title="Source and target"
      description="Rows and records move from the source to the target through one of your agents: any pair of MySQL, PostgreSQL and Kafka."
    >
      {all.length < 2 ? (
        <Alert tone="warn" title="You need two data sources">
          <Link href="/data-sources/new">Create a data source</Link> for the source and one for the target first.
        </Alert>
      ) : null}
      <Field label="Job name" required error={errors['name']}>
        <input type="text" value={draft.name} onChange={(e) => dispatch({ type: 'set', key: 'name', value: e.target.value })} maxLength={100} />
      </Field>
      <fieldset>
        <legend>Source</legend>
        {errors['sourceId'] ? <p className="field-error small">{errors['sourceId']}</p> : null}
        <div className="choice-grid" role="radiogroup" aria-label="Source">
          {all.map((s) => (
            <SourceCard
              key={s.id}
              ds={s}
              name="source"
              checked={draft.sourceId === s.id}
              onChange={() => dispatch({ type: 'endpoint', key: 'sourceId', id: s.id, kind: s.kind })}
            />
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Target</legend>
        {errors['targetId'] ? <p className="field-error small">{errors['targetId']}</p> : null}
        <div className="choice-grid" role="radiogroup" aria-label="Target">
          {all.map((s) => (
            <SourceCard
              key={s.id}
              ds={s}
              name="target"
              checked={draft.targetId === s.id}
              disabled={s.id === draft.sourceId}
              onChange={() => dispatch({ type: 'endpoint', key: 'targetId', id: s.id, kind: s.kind })}
            />
          ))}
        </div>
      </fieldset>
    </Section>
  );
}
