'use client';

import type { Dispatch } from 'react';
import type { SchemaPolicy } from '../../lib/ops/jobs';
import type { Draft } from '../../lib/wizard/draft';
import type { WizardAction } from '../../lib/wizard/reducer';
import { Field } from '../ui';

const POLICY_LABEL: Record<SchemaPolicy, string> = {
  apply: 'Apply it on the target (translated)',
  pause: 'Pause the table until I approve the target DDL',
  quarantine: 'Stop the table (the others keep streaming)',
  ignore: 'Ignore it (the target keeps its columns)',
};

/** CDC between databases: what a schema change at the source does (spec.schemaChanges). */
export function SchemaPolicyFields({ draft, errors, dispatch }: { draft: Draft; errors: Record<string, string>; dispatch: Dispatch<WizardAction> }) {
  const s = draft.schema;
  const set = (patch: Partial<Draft['schema']>) => dispatch({ type: 'schema', patch });
  const options = (Object.keys(POLICY_LABEL) as SchemaPolicy[]).map((p) => (
    <option key={p} value={p}>
      {POLICY_LABEL[p]}
    </option>
  ));
  return (
    <fieldset>
      <legend>Schema changes at the source</legend>
      <div className="grid-2">
        <Field
          label="When a table's schema changes"
          hint="ADD/DROP/RENAME COLUMN, widening types, DROP/RENAME TABLE. Index changes are applied or ignored, never stop a table."
        >
          <select value={s.policy} onChange={(e) => set({ policy: e.target.value as SchemaPolicy })}>
            {options}
          </select>
        </Field>
        <Field label="Narrowing type changes" hint="e.g. bigint to int, varchar(50) to varchar(10): values may not fit.">
          <select value={s.narrowing} onChange={(e) => set({ narrowing: e.target.value as SchemaPolicy })}>
            {options}
          </select>
        </Field>
      </div>
      <Field label="Per-table overrides" hint="One table=policy a line; patterns allowed, e.g. orders=pause or log_*=ignore." error={errors['schemaOverrides']}>
        <textarea rows={2} value={s.overrides} onChange={(e) => set({ overrides: e.target.value })} spellCheck={false} placeholder="orders=pause" />
      </Field>
      <label className="row small">
        <input type="checkbox" checked={s.captureDdl} onChange={(e) => set({ captureDdl: e.target.checked })} />
        PostgreSQL source: install the DDL capture trigger (needs a superuser; without it only ADD COLUMN is seen)
      </label>
    </fieldset>
  );
}
