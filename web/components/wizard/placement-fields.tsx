'use client';

import type { Dispatch } from 'react';
import type { Draft } from '../../lib/wizard/draft';
import type { WizardAction } from '../../lib/wizard/reducer';
import { Field } from '../ui';

/** Which agents may run the job (their group and labels, as set on the Agents page) and whether its full load is spread over them. */
export function PlacementFields({ draft, errors, dispatch }: { draft: Draft; errors: Record<string, string>; dispatch: Dispatch<WizardAction> }) {
  const p = draft.placement;
  return (
    <fieldset>
      <legend>Agents</legend>
      <div className="grid-3">
        <Field label="Agent group" hint="Only agents of this group run the job. Empty: any agent of the organisation.">
          <input type="text" value={p.group} onChange={(e) => dispatch({ type: 'placement', patch: { group: e.target.value } })} placeholder="loaders" />
        </Field>
        <Field label="Agent labels" hint="Agents must carry every label: key=value, comma separated." error={errors['labels']}>
          <input
            type="text"
            value={p.labels}
            onChange={(e) => dispatch({ type: 'placement', patch: { labels: e.target.value } })}
            spellCheck={false}
            placeholder="zone=eu"
          />
        </Field>
        {draft.mode === 'full' || draft.mode === 'full_cdc' ? (
          <label className="check">
            <input type="checkbox" checked={p.spread} onChange={(e) => dispatch({ type: 'placement', patch: { spread: e.target.checked } })} />
            <span>
              Spread the load over the agents
              <span className="muted small" style={{ display: 'block' }}>
                Each chunk becomes a task any eligible agent with a free slot takes; a chunk whose agent stops resumes on another.
              </span>
            </span>
          </label>
        ) : null}
      </div>
    </fieldset>
  );
}
