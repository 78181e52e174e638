'use client';

import type { Dispatch } from 'react';
import type { JobOptions } from '../../lib/ops/jobs';
import { isCdcMode, MODES, type Draft } from '../../lib/wizard/draft';
import { kafkaPair } from '../../lib/wizard/kafka-draft';
import type { WizardAction } from '../../lib/wizard/reducer';
import { MODE_LABEL } from '../status';
import { Field } from '../ui';
import { Section } from './section';
import { SchemaPolicyFields } from './schema-policy-fields';
import { PlacementFields } from './placement-fields';

const LOAD_OPTIONS = [
  ['verifyAfterLoad', 'Verify after load', 'Compare per-chunk counts and hashes in both databases.'],
  ['repair', 'Repair mismatches', 'Re-copy only the rows that differ.'],
  ['createSecondaryIndexes', 'Create secondary indexes', 'Built after the rows are in, for speed.'],
  ['createForeignKeys', 'Create foreign keys', 'Added after the load.'],
] as const;

/** The policies for values the target can't hold (docs/job-spec.md), the default first. */
export const OUT_OF_RANGE_CHOICES = [
  ['dead-letter', 'Set the row aside in _sluice_rejects (default)'],
  ['fail', 'Fail the job'],
  ['null', 'Store NULL (counted)'],
  ['clamp', 'Store the nearest storable value (counted)'],
] as const;

/** What the modes mean when Kafka is on either side. */
const KAFKA_MODE_DESC: Partial<Record<string, string>> = {
  full: 'Copy everything up to T0 (each partition’s end, or each table’s snapshot), then stop.',
  full_cdc: 'Copy up to T0, then keep replicating live from T0 with no gap.',
  cdc: 'Only replicate what comes next, from the start chosen below.',
};

/** Step 3: the mode (full, full + CDC, CDC, verify) and its options. */
export function StepOptions({ draft, errors, dispatch }: { draft: Draft; errors: Record<string, string>; dispatch: Dispatch<WizardAction> }) {
  const opts = draft.options;
  const setOpt = <K extends keyof JobOptions>(key: K, value: JobOptions[K]) => dispatch({ type: 'option', key, value });
  // Kafka on either side: no verify; the Kafka source's start is in the Kafka options; load options apply to database targets only.
  const pair = kafkaPair(draft.sourceKind, draft.targetKind);
  const modes = pair ? MODES.filter((m) => m.spec !== 'verify').map((m) => ({ ...m, desc: KAFKA_MODE_DESC[m.spec] ?? m.desc })) : MODES;
  return (
    <Section title="Mode and options">
      <div className="choice-grid" role="radiogroup" aria-label="Mode">
        {modes.map((m) => (
          <label key={m.mode} className="choice">
            <input type="radio" name="mode" value={m.spec} checked={draft.mode === m.spec} onChange={() => dispatch({ type: 'mode', value: m.spec })} />
            <span>
              <span className="choice-title">{MODE_LABEL[m.mode]}</span>
              <span className="choice-desc" style={{ display: 'block' }}>
                {m.desc}
              </span>
            </span>
          </label>
        ))}
      </div>
      {errors['mode'] ? <p className="field-error small">{errors['mode']}</p> : null}
      {isCdcMode(draft.mode) && pair !== 'kafka-kafka' && pair !== 'kafka-db' ? (
        <div className="grid-2">
          <Field
            label="Start change capture from"
            hint={draft.mode === 'full_cdc' ? 'For full + CDC the start is captured before the first snapshot read.' : undefined}
          >
            <select
              value={opts.cdcStart?.from ?? 'now'}
              onChange={(e) => {
                const from = e.target.value;
                setOpt('cdcStart', from === 'gtid' ? { from: 'gtid', gtidSet: '' } : from === 'lsn' ? { from: 'lsn', lsn: '' } : { from: 'now' });
              }}
            >
              <option value="now">Now</option>
              <option value="gtid">A MySQL/MariaDB GTID set</option>
              <option value="lsn">A PostgreSQL LSN</option>
            </select>
          </Field>
          {opts.cdcStart?.from === 'gtid' ? (
            <Field label="GTID set" required error={errors['cdcStart']}>
              <input
                type="text"
                value={opts.cdcStart.gtidSet}
                onChange={(e) => setOpt('cdcStart', { from: 'gtid', gtidSet: e.target.value })}
                spellCheck={false}
                placeholder="0-1-1234"
              />
            </Field>
          ) : opts.cdcStart?.from === 'lsn' ? (
            <Field label="LSN" required error={errors['cdcStart']}>
              <input
                type="text"
                value={opts.cdcStart.lsn}
                onChange={(e) => setOpt('cdcStart', { from: 'lsn', lsn: e.target.value })}
                spellCheck={false}
                placeholder="16/B374D848"
              />
            </Field>
          ) : null}
        </div>
      ) : null}
      {isCdcMode(draft.mode) && !pair ? <SchemaPolicyFields draft={draft} errors={errors} dispatch={dispatch} /> : null}
      {pair === 'kafka-kafka' ? null : (
        <div className="grid-3">
          {draft.mode !== 'verify' && pair !== 'db-kafka' ? (
            <Field label="If a target table exists">
              <select value={opts.existingTable} onChange={(e) => setOpt('existingTable', e.target.value as JobOptions['existingTable'])}>
                <option value="fail">Fail (safest)</option>
                <option value="truncate">Truncate it first</option>
                <option value="upsert">Upsert into it</option>
              </select>
            </Field>
          ) : null}
          {draft.mode !== 'verify' && pair !== 'db-kafka' && opts.existingTable === 'upsert' ? (
            <Field label="Rows only in the target" hint="Rows the existing table holds that the source does not have. Verification reports them either way.">
              <select value={opts.targetOnlyRows} onChange={(e) => setOpt('targetOnlyRows', e.target.value as JobOptions['targetOnlyRows'])}>
                <option value="keep">Keep them (default)</option>
                <option value="delete">Delete them when repairing</option>
              </select>
            </Field>
          ) : null}
          {draft.mode !== 'verify' && pair !== 'db-kafka' ? (
            <Field
              label="Values the target can't hold"
              hint="A BC date or ±infinity into MySQL, a MySQL TIME over 24 h into PostgreSQL, NaN… The dry-run plan names each column; you can choose per column there."
            >
              <select value={opts.outOfRange} onChange={(e) => setOpt('outOfRange', e.target.value as JobOptions['outOfRange'])}>
                {OUT_OF_RANGE_CHOICES.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          <Field label="Chunk size (rows)" error={errors['chunkSize']}>
            <input type="number" min={100} max={10_000_000} value={opts.chunkSize} onChange={(e) => setOpt('chunkSize', Number(e.target.value))} />
          </Field>
          <Field label="Parallel chunks" error={errors['parallelism']}>
            <input type="number" min={1} max={64} value={opts.parallelism} onChange={(e) => setOpt('parallelism', Number(e.target.value))} />
          </Field>
          {isCdcMode(draft.mode) && !pair ? (
            <Field
              label="CDC apply partitions"
              hint="Changes apply through this many target sessions, split by table and key (each key keeps its order). Empty: the default. 1: every batch of source transactions in one target transaction."
              error={errors['applyPartitions']}
            >
              <input
                type="number"
                min={1}
                max={16}
                placeholder="default"
                value={opts.applyPartitions ?? ''}
                onChange={(e) => setOpt('applyPartitions', e.target.value === '' ? undefined : Number(e.target.value))}
              />
            </Field>
          ) : null}
        </div>
      )}
      {pair ? null : draft.mode === 'verify' ? (
        <fieldset>
          <legend>When rows differ</legend>
          <div className="choice-grid" role="radiogroup" aria-label="When rows differ">
            <label className="choice">
              <input type="radio" name="repair" value="report" checked={!opts.repair} onChange={() => setOpt('repair', false)} />
              <span>
                <span className="choice-title">Report only</span>
                <span className="choice-desc" style={{ display: 'block' }}>
                  List the tables and keys that differ. Nothing is written to the target.
                </span>
              </span>
            </label>
            <label className="choice">
              <input type="radio" name="repair" value="repair" checked={opts.repair} onChange={() => setOpt('repair', true)} />
              <span>
                <span className="choice-title">Repair the target</span>
                <span className="choice-desc" style={{ display: 'block' }}>
                  Re-copy the rows that differ and delete the extra ones: this writes to the target.
                </span>
              </span>
            </label>
          </div>
        </fieldset>
      ) : (
        <fieldset>
          <legend>After and around the load</legend>
          <div className="grid-2">
            {LOAD_OPTIONS.map(([k, l, h]) => (
              <label key={k} className="check">
                <input type="checkbox" checked={opts[k]} onChange={(e) => setOpt(k, e.target.checked)} />
                <span>
                  {l}
                  <span className="muted small" style={{ display: 'block' }}>
                    {h}
                  </span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {pair ? null : <PlacementFields draft={draft} errors={errors} dispatch={dispatch} />}
    </Section>
  );
}
