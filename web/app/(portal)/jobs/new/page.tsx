'use client';
/**
 * The new-job wizard: six steps over one reducer (lib/wizard/reducer.ts), one component per step
 * (components/wizard/*), and hooks for the preflight and the engine's dry run (lib/wizard/use-*.ts).
 */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useReducer } from 'react';
import { StepOptions } from '../../../../components/wizard/step-options';
import { StepPlan } from '../../../../components/wizard/step-plan';
import { preflightBlocks, StepPreflight } from '../../../../components/wizard/step-preflight';
import { StepReview } from '../../../../components/wizard/step-review';
import { StepRoute } from '../../../../components/wizard/step-route';
import { StepKafka } from '../../../../components/wizard/step-kafka';
import { StepTables } from '../../../../components/wizard/step-tables';
import { Alert, Button, PageHeader, QueryView, useToast } from '../../../../components/ui';
import { GqlError } from '../../../../lib/gql';
import { useMutation, useQuery } from '../../../../lib/hooks';
import { DATA_SOURCES, DISCOVER_DATA_SOURCE, readCatalog, type Catalog } from '../../../../lib/ops/data-sources';
import { CREATE_JOB, START_JOB, UPDATE_JOB } from '../../../../lib/ops/jobs';
import { DISCOVER_KAFKA } from '../../../../lib/ops/kafka';
import { dryRunPlan } from '../../../../lib/preflight';
import { useSession } from '../../../../lib/session';
import { buildInput, isCdcMode, PREFLIGHT_STEP, STEPS } from '../../../../lib/wizard/draft';
import { kafkaPair, topicsAsTables } from '../../../../lib/wizard/kafka-draft';
import { initialWizardState, sourceTables, visibleErrors, wizardReducer } from '../../../../lib/wizard/reducer';
import { topicSources, useTopicNames } from '../../../../lib/wizard/use-topic-names';
import { useEngineDryRun } from '../../../../lib/wizard/use-dry-run';
import { targetSchemaOf, useWizardPreflight } from '../../../../lib/wizard/use-preflight';

export default function NewJobPage() {
  const router = useRouter();
  const toast = useToast();
  const { can } = useSession();
  const sources = useQuery(DATA_SOURCES, {});
  const [state, dispatch] = useReducer(wizardReducer, initialWizardState);
  const [discover, discoverState] = useMutation(DISCOVER_DATA_SOURCE);
  const [discoverKafka, discoverKafkaState] = useMutation(DISCOVER_KAFKA);
  const [create, createState] = useMutation(CREATE_JOB);
  const [start, startState] = useMutation(START_JOB);
  const [updateJob, updateState] = useMutation(UPDATE_JOB);
  const onSourceCatalog = useCallback((sourceId: string, c: Catalog) => dispatch({ type: 'discovered', sourceId, tables: c.tables }), []);
  const preflight = useWizardPreflight(onSourceCatalog);
  const engine = useEngineDryRun();

  const { step, draft, revision } = state;
  const all = sources.data?.dataSources ?? [];
  const source = all.find((s) => s.id === draft.sourceId);
  const target = all.find((s) => s.id === draft.targetId);
  const tables = sourceTables(state);
  const input = buildInput(draft);
  const remote = createState.error instanceof GqlError ? createState.error.fieldErrors() : {};
  const errors = { ...remote, ...visibleErrors(state) };
  // Results computed for an older draft are stale: any change of the draft hides them.
  const checks = preflight.result?.revision === revision ? preflight.result.checks : null;
  const sourceCatalog = preflight.result?.revision === revision ? preflight.result.sourceCatalog : null;
  const plan = sourceCatalog ? dryRunPlan(input, sourceCatalog, targetSchemaOf(target)) : null;
  const dry = engine.dry?.revision === revision ? engine.dry : null;
  const blocking = preflightBlocks(checks);
  const pair = kafkaPair(draft.sourceKind, draft.targetKind);
  // The topic names the job writes, named by the api with the agent's functions: live on the options and plan steps.
  const names = useTopicNames(input.spec.kafka, step === 2 || step === 4 ? topicSources(pair, tables, input.spec, source) : null);

  async function runDiscover() {
    if (!draft.sourceId) return;
    try {
      if (source?.kind === 'KAFKA') {
        const k = (await discoverKafka({ id: draft.sourceId })).discoverDataSource.kafka;
        dispatch({ type: 'discovered', sourceId: draft.sourceId, tables: k ? topicsAsTables(k) : [] });
        return;
      }
      const r = await discover({ id: draft.sourceId });
      dispatch({ type: 'discovered', sourceId: draft.sourceId, tables: readCatalog(r.discoverDataSource.catalog).tables });
    } catch {
      /* shown */
    }
  }
  function runPreflight() {
    if (source) void preflight.run({ revision, input, source, target });
  }
  function next() {
    const n = wizardReducer(state, { type: 'next' });
    dispatch({ type: 'next' });
    if (n.step === step) return;
    if (n.step === 1 && !tables && source) void runDiscover();
    if (n.step === PREFLIGHT_STEP && !checks) runPreflight();
  }
  async function submit(andStart: boolean) {
    try {
      const r = engine.dryJobId ? { createJob: (await updateJob({ id: engine.dryJobId, input })).updateJob } : await create({ input });
      const id = r.createJob.id;
      if (andStart) {
        try {
          await start({ id });
          toast(`Job “${r.createJob.name}” created and started`);
        } catch (e) {
          toast(`Job created, but it could not start: ${e instanceof Error ? e.message : String(e)}`, true);
        }
      } else toast(`Job “${r.createJob.name}” saved as draft`);
      router.push(`/jobs/${id}`);
    } catch {
      /* shown */
    }
  }

  if (!can('OPERATOR')) {
    return (
      <>
        <PageHeader title="New job" breadcrumb={<Link href="/jobs">Jobs</Link>} />
        <Alert tone="info" title="Read-only access">
          Your role can view jobs but not create them.
        </Alert>
      </>
    );
  }

  return (
    <>
      <PageHeader title="New job" breadcrumb={<Link href="/jobs">Jobs</Link>} description="Six short steps; nothing runs until you start it." />
      <ol className="steps" aria-label="Wizard progress">
        {STEPS.map((s, i) => (
          <li key={s} data-state={i < step ? 'done' : i === step ? 'current' : 'todo'} aria-current={i === step ? 'step' : undefined}>
            {i + 1}. {s}
          </li>
        ))}
      </ol>
      <div className="card">
        <div className="card-body">
          <QueryView state={sources}>
            {() => (
              <div className="stack">
                {step === 0 ? <StepRoute draft={draft} all={all} errors={errors} dispatch={dispatch} /> : null}
                {step === 1 ? (
                  <StepTables
                    draft={draft}
                    source={source}
                    tables={tables}
                    openTable={state.openTable}
                    errors={errors}
                    discovering={discoverState.loading || discoverKafkaState.loading}
                    discoverError={discoverState.error ?? discoverKafkaState.error}
                    onDiscover={() => void runDiscover()}
                    dispatch={dispatch}
                  />
                ) : null}
                {step === 2 ? <StepOptions draft={draft} errors={errors} dispatch={dispatch} /> : null}
                {step === 2 && pair ? <StepKafka draft={draft} pair={pair} errors={errors} dispatch={dispatch} names={names} /> : null}
                {step === PREFLIGHT_STEP ? (
                  <StepPreflight checks={checks} cdc={isCdcMode(draft.mode)} loading={preflight.loading} error={preflight.error} onRun={runPreflight} />
                ) : null}
                {step === 4 ? (
                  <StepPlan
                    plan={plan}
                    dry={dry}
                    onDryRun={() => void engine.run(input, revision)}
                    kafka={pair ? { pair, names, tables } : null}
                    spec={input.spec}
                    policies={{
                      value: (table, column) => draft.edits[table]?.outOfRange?.[column],
                      set: (table, column, policy) => dispatch({ type: 'policy', table, column, policy }),
                    }}
                  />
                ) : null}
                {step === 5 ? (
                  <StepReview
                    input={input}
                    all={all}
                    preflight={checks ? (blocking ? 'failing' : 'passed') : 'not run'}
                    error={createState.error ?? updateState.error ?? startState.error}
                  />
                ) : null}

                <div className="row-between" style={{ borderTop: '1px solid var(--border)', paddingTop: 14 }}>
                  <Button disabled={step === 0} onClick={() => dispatch({ type: 'back' })}>
                    ← Back
                  </Button>
                  {step < STEPS.length - 1 ? (
                    <Button variant="primary" onClick={next}>
                      {step === PREFLIGHT_STEP && blocking ? 'Continue anyway →' : 'Next →'}
                    </Button>
                  ) : (
                    <div className="row">
                      <Button loading={createState.loading && !startState.loading} onClick={() => void submit(false)}>
                        Save as draft
                      </Button>
                      <Button variant="primary" loading={createState.loading || startState.loading} onClick={() => void submit(true)}>
                        Create and start
                      </Button>
                    </div>
                  )}
                </div>
              </div>
            )}
          </QueryView>
        </div>
      </div>
    </>
  );
}
