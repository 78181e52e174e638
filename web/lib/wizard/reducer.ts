/**
 * The new-job wizard as a reducer: the step, which steps the user tried to leave (their errors show from then on),
 * the draft, and a revision that every change of the draft bumps, so preflight and dry-run results computed for an
 * older draft are recognisably stale.
 */
import type { DataSourceKind, DiscoveredTable } from '../ops/data-sources';
import type { JobOptions, OutOfRangePolicy, SpecMode } from '../ops/jobs';
import { defaultRepair, EMPTY_DRAFT, EMPTY_EDIT, STEPS, validateStep, type Draft, type PlacementDraft, type SchemaDraft, type TableEdit } from './draft';
import type { KafkaDraft } from './kafka-draft';

export interface WizardState {
  step: number;
  touched: Record<number, boolean>;
  draft: Draft;
  /** Bumped by every change of the draft. */
  revision: number;
  /** The source's tables as discovered, for the source they were read from. */
  discovered: { sourceId: string; tables: DiscoveredTable[] } | null;
  /** The table whose mapping editor is open. */
  openTable: string | null;
}

export type WizardAction =
  | { type: 'set'; key: 'name' | 'sourceId' | 'targetId' | 'include' | 'exclude'; value: string }
  | { type: 'endpoint'; key: 'sourceId' | 'targetId'; id: string; kind: DataSourceKind | null }
  | { type: 'kafka'; patch: Partial<KafkaDraft> }
  | { type: 'schema'; patch: Partial<SchemaDraft> }
  | { type: 'placement'; patch: Partial<PlacementDraft> }
  | { type: 'selection'; value: Draft['selection'] }
  | { type: 'mode'; value: SpecMode }
  | { type: 'option'; key: keyof JobOptions; value: JobOptions[keyof JobOptions] }
  | { type: 'pick'; table: string; on: boolean }
  | { type: 'edit'; table: string; edit: TableEdit }
  | { type: 'policy'; table: string; column: string; policy: OutOfRangePolicy | null }
  | { type: 'openTable'; table: string | null }
  | { type: 'discovered'; sourceId: string; tables: DiscoveredTable[] }
  | { type: 'next' }
  | { type: 'back' };

export const initialWizardState: WizardState = { step: 0, touched: {}, draft: EMPTY_DRAFT, revision: 0, discovered: null, openTable: null };

function withDraft(s: WizardState, draft: Draft): WizardState {
  return { ...s, draft, revision: s.revision + 1 };
}

export function wizardReducer(s: WizardState, a: WizardAction): WizardState {
  const d = s.draft;
  switch (a.type) {
    case 'set':
      return withDraft(s, { ...d, [a.key]: a.value });
    case 'endpoint': {
      const kindKey = a.key === 'sourceId' ? 'sourceKind' : 'targetKind';
      const next = { ...d, [a.key]: a.id, [kindKey]: a.kind };
      // A Kafka job cannot verify: leave verify when Kafka joins the route.
      return withDraft(
        s,
        a.kind === 'KAFKA' && d.mode === 'verify'
          ? { ...next, mode: 'full_cdc', options: { ...d.options, repair: d.repairChosen ? d.options.repair : defaultRepair('full_cdc') } }
          : next,
      );
    }
    case 'kafka':
      return withDraft(s, { ...d, kafka: { ...d.kafka, ...a.patch } });
    case 'selection':
      return withDraft(s, { ...d, selection: a.value });
    case 'mode': {
      // Verify only reports by default; repair is kept as the user set it once they touched it.
      const repair = d.repairChosen ? d.options.repair : defaultRepair(a.value);
      return withDraft(s, { ...d, mode: a.value, options: { ...d.options, repair } });
    }
    case 'schema':
      return withDraft(s, { ...d, schema: { ...d.schema, ...a.patch } });
    case 'placement':
      return withDraft(s, { ...d, placement: { ...d.placement, ...a.patch } });
    case 'option':
      return withDraft(s, { ...d, options: { ...d.options, [a.key]: a.value }, repairChosen: d.repairChosen || a.key === 'repair' });
    case 'pick': {
      const picked = a.on ? (d.picked.includes(a.table) ? d.picked : [...d.picked, a.table]) : d.picked.filter((x) => x !== a.table);
      return withDraft(s, { ...d, picked });
    }
    case 'edit':
      return withDraft(s, { ...d, edits: { ...d.edits, [a.table]: a.edit } });
    case 'policy': {
      // A column's policy does not change which columns the plan flags: the plan and dry run stay current (no new revision).
      const e = d.edits[a.table] ?? EMPTY_EDIT;
      const { [a.column]: _old, ...rest } = e.outOfRange ?? {};
      const outOfRange = a.policy ? { ...rest, [a.column]: a.policy } : rest;
      return { ...s, draft: { ...d, edits: { ...d.edits, [a.table]: { ...e, outOfRange } } } };
    }
    case 'openTable':
      return { ...s, openTable: a.table };
    case 'discovered':
      return { ...s, discovered: { sourceId: a.sourceId, tables: a.tables } };
    case 'next': {
      const touched = { ...s.touched, [s.step]: true };
      if (s.step >= STEPS.length - 1 || Object.keys(validateStep(s.step, d)).length > 0) return { ...s, touched };
      return { ...s, touched, step: s.step + 1 };
    }
    case 'back':
      return { ...s, step: Math.max(0, s.step - 1) };
  }
}

/** The errors to show on the current step: only once the user tried to leave it. */
export function visibleErrors(s: WizardState): Record<string, string> {
  return s.touched[s.step] ? validateStep(s.step, s.draft) : {};
}

/** The discovered tables of the chosen source (null until discovered for it). */
export function sourceTables(s: WizardState): DiscoveredTable[] | null {
  return s.discovered && s.discovered.sourceId === s.draft.sourceId ? s.discovered.tables : null;
}
