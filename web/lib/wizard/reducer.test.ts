import { describe, expect, it } from 'vitest';
import { buildInput, EMPTY_EDIT, validateStep } from './draft';
import { initialWizardState, sourceTables, visibleErrors, wizardReducer, type WizardAction, type WizardState } from './reducer';

const run = (...actions: WizardAction[]): WizardState => actions.reduce(wizardReducer, initialWizardState);
const route: WizardAction[] = [
  { type: 'set', key: 'name', value: 'orders to warehouse' },
  { type: 'set', key: 'sourceId', value: 's1' },
  { type: 'set', key: 'targetId', value: 't1' },
];

describe('wizardReducer', () => {
  it('stays on a step with errors, and shows them only once the user tried to leave it', () => {
    expect(visibleErrors(initialWizardState)).toEqual({});
    const s = run({ type: 'next' });
    expect(s.step).toBe(0);
    expect(visibleErrors(s)).toMatchObject({ name: expect.any(String), sourceId: expect.any(String), targetId: expect.any(String) });
  });

  it('moves on when the step is valid, and back', () => {
    const s = run(...route, { type: 'next' });
    expect(s.step).toBe(1);
    expect(visibleErrors(s)).toEqual({});
    expect(wizardReducer(s, { type: 'back' }).step).toBe(0);
    expect(run({ type: 'back' }).step).toBe(0);
  });

  it('never goes past the last step', () => {
    let s = run(...route);
    for (let i = 0; i < 10; i++) s = wizardReducer(s, { type: 'next' });
    expect(s.step).toBe(5);
  });

  it('bumps the revision on every draft change (so older preflight and dry-run results are stale), not on navigation', () => {
    const s = run(...route);
    expect(s.revision).toBe(3);
    expect(wizardReducer(s, { type: 'next' }).revision).toBe(3);
    expect(wizardReducer(s, { type: 'openTable', table: 'orders' }).revision).toBe(3);
    expect(wizardReducer(s, { type: 'option', key: 'chunkSize', value: 1000 }).revision).toBe(4);
  });

  it('verify only reports by default; repair is an explicit choice that survives mode changes', () => {
    let s = run({ type: 'mode', value: 'verify' });
    expect(s.draft.options.repair).toBe(false);
    expect(buildInput(s.draft).spec.options.repair).toBe(false);
    s = wizardReducer(s, { type: 'mode', value: 'full' });
    expect(s.draft.options.repair).toBe(true);
    s = wizardReducer(s, { type: 'option', key: 'repair', value: true });
    s = wizardReducer(s, { type: 'mode', value: 'verify' });
    expect(s.draft.options.repair).toBe(true);
  });

  it('picks and unpicks tables without duplicates, and keeps discovered tables per source', () => {
    let s = run(
      ...route,
      { type: 'selection', value: 'pick' },
      { type: 'pick', table: 'orders', on: true },
      { type: 'pick', table: 'orders', on: true },
      { type: 'pick', table: 'items', on: true },
    );
    expect(s.draft.picked).toEqual(['orders', 'items']);
    s = wizardReducer(s, { type: 'pick', table: 'orders', on: false });
    expect(buildInput(s.draft).spec.tables).toEqual({ include: ['items'], exclude: [] });
    s = wizardReducer(s, { type: 'discovered', sourceId: 's1', tables: [] });
    expect(sourceTables(s)).toEqual([]);
    expect(sourceTables(wizardReducer(s, { type: 'set', key: 'sourceId', value: 's2' }))).toBeNull();
  });

  it('turns table edits into the spec mapping, dropping no-op column renames and unpicked tables', () => {
    const s = run(
      ...route,
      { type: 'selection', value: 'pick' },
      { type: 'pick', table: 'orders', on: true },
      { type: 'edit', table: 'orders', edit: { ...EMPTY_EDIT, rename: 'sales', columns: { id: 'id', total: 'amount' }, exclude: ['note'] } },
      { type: 'edit', table: 'logs', edit: { ...EMPTY_EDIT, rename: 'events' } },
    );
    expect(buildInput(s.draft).spec.mapping).toEqual({ orders: { rename: 'sales', columns: { total: 'amount' }, excludeColumns: ['note'] } });
  });

  it('validates table patterns, identifiers and the CDC start', () => {
    const s = run({ type: 'selection', value: 'patterns' }, { type: 'set', key: 'include', value: 'orders;drop' });
    expect(validateStep(1, s.draft)['include']).toMatch(/may use only/);
    const bad = run({ type: 'edit', table: 'orders', edit: { ...EMPTY_EDIT, rename: '1abc' } });
    expect(validateStep(1, bad.draft)['rename:orders']).toBeDefined();
    const lsn = run({ type: 'mode', value: 'cdc' }, { type: 'option', key: 'cdcStart', value: { from: 'lsn', lsn: 'nope' } });
    expect(validateStep(2, lsn.draft)['cdcStart']).toMatch(/LSN/);
    // cdcStart goes into the spec only for CDC modes.
    expect(buildInput(lsn.draft).spec.options.cdcStart).toEqual({ from: 'lsn', lsn: 'nope' });
    expect(buildInput(wizardReducer(lsn, { type: 'mode', value: 'full' }).draft).spec.options.cdcStart).toBeUndefined();
  });

  it('CDC apply partitions: in the spec for CDC modes only, validated 1-16', () => {
    const s = run({ type: 'mode', value: 'cdc' }, { type: 'option', key: 'applyPartitions', value: 4 });
    expect(buildInput(s.draft).spec.options.applyPartitions).toBe(4);
    expect(validateStep(2, s.draft)['applyPartitions']).toBeUndefined();
    expect(buildInput(wizardReducer(s, { type: 'mode', value: 'full' }).draft).spec.options.applyPartitions).toBeUndefined();
    const bad = wizardReducer(s, { type: 'option', key: 'applyPartitions', value: 40 });
    expect(validateStep(2, bad.draft)['applyPartitions']).toMatch(/1 and 16/);
  });

  it('a per-column outOfRange choice lands in the mapping, keeps the dry run current, and can go back to the job default', () => {
    const s = run(...route, { type: 'option', key: 'outOfRange', value: 'clamp' }, { type: 'policy', table: 'events', column: 'starts_at', policy: 'fail' });
    expect(s.revision).toBe(run(...route, { type: 'option', key: 'outOfRange', value: 'clamp' }).revision);
    const spec = buildInput(s.draft).spec;
    expect(spec.options.outOfRange).toBe('clamp');
    expect(spec.mapping['events']).toEqual({ outOfRange: { starts_at: 'fail' } });
    const back = wizardReducer(s, { type: 'policy', table: 'events', column: 'starts_at', policy: null });
    expect(buildInput(back.draft).spec.mapping['events']).toBeUndefined();
  });

  it('schema-change policy: in the spec for CDC between databases only when it differs from the default; bad overrides are an error', () => {
    const cdc = run({ type: 'mode', value: 'cdc' });
    expect(buildInput(cdc.draft).spec.schemaChanges).toBeUndefined();
    const s = wizardReducer(cdc, { type: 'schema', patch: { narrowing: 'pause', overrides: 'orders=pause\nlog_*=ignore' } });
    expect(buildInput(s.draft).spec.schemaChanges).toEqual({
      policy: 'apply',
      narrowing: 'pause',
      tables: { orders: 'pause', 'log_*': 'ignore' },
      captureDdl: true,
    });
    expect(buildInput(wizardReducer(s, { type: 'mode', value: 'full' }).draft).spec.schemaChanges).toBeUndefined();
    const bad = wizardReducer(cdc, { type: 'schema', patch: { overrides: 'orders=later' } });
    expect(validateStep(2, bad.draft)['schemaOverrides']).toMatch(/table=policy/);
  });
});
