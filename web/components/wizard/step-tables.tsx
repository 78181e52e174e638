'use client';

import { useMemo, type Dispatch } from 'react';
import { formatNumber } from '../../lib/format';
import type { DataSource, DiscoveredTable } from '../../lib/ops/data-sources';
import { EMPTY_EDIT, tableKey, type Draft } from '../../lib/wizard/draft';
import type { WizardAction } from '../../lib/wizard/reducer';
import { Badge, Button, Empty, ErrorAlert, Field, Loading } from '../ui';
import { Section } from './section';
import { TableEditor } from './table-editor';

const SELECTIONS = [
  ['all', 'All tables'],
  ['pick', 'Pick tables'],
  ['patterns', 'Include / exclude patterns'],
] as const;

/** Step 2: which tables (all, picked, or by pattern), and per table a rename, a row filter and a column mapping. */
export function StepTables({
  draft,
  source,
  tables,
  openTable,
  errors,
  discovering,
  discoverError,
  onDiscover,
  dispatch,
}: {
  draft: Draft;
  source: DataSource | undefined;
  tables: DiscoveredTable[] | null;
  openTable: string | null;
  errors: Record<string, string>;
  discovering: boolean;
  discoverError: unknown;
  onDiscover: () => void;
  dispatch: Dispatch<WizardAction>;
}) {
  const multiSchema = useMemo(() => new Set((tables ?? []).map((t) => t.schema)).size > 1, [tables]);
  const byKey = useMemo(() => new Map((tables ?? []).map((t) => [tableKey(t, multiSchema), t])), [tables, multiSchema]);
  const pick = draft.selection === 'pick';
  // A Kafka source lists topics: the same selection (patterns match topic names); renames are Kafka options.
  const kafka = source?.kind === 'KAFKA';
  const what = kafka ? 'topic' : 'table';
  return (
    <Section
      title={kafka ? 'Topics' : 'Tables'}
      description={
        kafka
          ? 'Choose the topics to copy: all, picked, or by include/exclude patterns (new topics that match are picked up while the job runs).'
          : 'Choose what to copy, rename tables and columns, and filter rows.'
      }
    >
      <div className="segmented" role="radiogroup" aria-label="Table selection">
        {SELECTIONS.map(([v, l]) => (
          <label key={v}>
            <input type="radio" name="selection" checked={draft.selection === v} onChange={() => dispatch({ type: 'selection', value: v })} />
            {kafka ? l.replace('tables', 'topics') : l}
          </label>
        ))}
      </div>
      {draft.selection === 'patterns' ? (
        <div className="grid-2">
          <Field label="Include" hint="Space or comma separated; * and ? are wildcards." error={errors['include']}>
            <input type="text" value={draft.include} onChange={(e) => dispatch({ type: 'set', key: 'include', value: e.target.value })} spellCheck={false} />
          </Field>
          <Field label="Exclude" hint="Applied after include, e.g. *_tmp audit_*">
            <input type="text" value={draft.exclude} onChange={(e) => dispatch({ type: 'set', key: 'exclude', value: e.target.value })} spellCheck={false} />
          </Field>
        </div>
      ) : null}
      {discovering ? <Loading label={`Reading the source ${kafka ? 'topics' : 'schema'} through an agent…`} /> : null}
      <ErrorAlert error={discoverError} onRetry={onDiscover} />
      {errors['tables'] ? <p className="field-error">{errors['tables']}</p> : null}
      {tables ? (
        tables.length === 0 ? (
          <Empty title={`The source has no ${what}s`} />
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="wizard-tables">
              <thead>
                <tr>
                  {pick ? <th>Copy</th> : null}
                  <th>{kafka ? 'Topic' : 'Table'}</th>
                  <th className="num">{kafka ? 'Messages' : 'Rows (est.)'}</th>
                  {kafka ? null : <th>Mapping</th>}
                  {kafka ? null : (
                    <th>
                      <span className="sr-only">Edit</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {tables.map((t) => {
                  const key = tableKey(t, multiSchema);
                  const ed = draft.edits[key];
                  const changed = ed && (ed.rename || ed.where || ed.exclude.length || Object.values(ed.columns).some(Boolean));
                  return [
                    <tr key={key}>
                      {pick ? (
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`Copy ${what} ${key}`}
                            checked={draft.picked.includes(key)}
                            onChange={(e) => dispatch({ type: 'pick', table: key, on: e.target.checked })}
                          />
                        </td>
                      ) : null}
                      <td className="mono">
                        {key} {t.primaryKey.length === 0 ? <Badge tone="warn">no PK</Badge> : null}
                      </td>
                      <td className="num">{t.rowEstimate !== null ? formatNumber(t.rowEstimate) : '—'}</td>
                      {kafka ? null : (
                        <td className="small">
                          {changed ? (
                            <>
                              {ed.rename ? `→ ${ed.rename} ` : ''}
                              {ed.where ? <Badge tone="info">filtered</Badge> : null}{' '}
                              {ed.exclude.length ? <Badge>{ed.exclude.length} cols skipped</Badge> : null}
                            </>
                          ) : (
                            <span className="muted">as is</span>
                          )}
                        </td>
                      )}
                      {kafka ? null : (
                        <td className="actions">
                          <Button
                            size="sm"
                            variant="ghost"
                            aria-expanded={openTable === key}
                            onClick={() => dispatch({ type: 'openTable', table: openTable === key ? null : key })}
                          >
                            {openTable === key ? 'Close' : 'Map'}
                          </Button>
                        </td>
                      )}
                    </tr>,
                    openTable === key && !kafka ? (
                      <tr key={`${key}-edit`}>
                        <td colSpan={pick ? 5 : 4}>
                          <TableEditor
                            table={key}
                            cols={byKey.get(key)}
                            edit={ed ?? EMPTY_EDIT}
                            errors={errors}
                            onChange={(e) => dispatch({ type: 'edit', table: key, edit: e })}
                          />
                        </td>
                      </tr>
                    ) : null,
                  ];
                })}
              </tbody>
            </table>
          </div>
        )
      ) : !discovering ? (
        <div className="row">
          <Button onClick={onDiscover}>Discover {what}s</Button>
          <span className="muted small">Needs an online agent that can reach {source?.name}.</span>
        </div>
      ) : null}
    </Section>
  );
}
