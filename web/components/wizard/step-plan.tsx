'use client';

import { SchemaObjectsCard } from '../job/schema-objects';
import { formatBytes, formatDuration, formatNumber } from '../../lib/format';
import type { Plan } from '../../lib/preflight';
import type { JobSpec, OutOfRangePolicy } from '../../lib/ops/jobs';
import { OUT_OF_RANGE_CHOICES } from './step-options';
import type { EngineDryRun } from '../../lib/wizard/use-dry-run';
import { KafkaPlanTopics } from '../kafka/kafka-plan';
import { KafkaWizardPlan, type KafkaPlanInput } from './kafka-wizard-plan';
import { Alert, Button, Loading } from '../ui';
import { Section } from './section';

function PlanTables({ plan }: { plan: Plan }) {
  return (
    <>
      <div className="grid-4">
        <div className="card stat">
          <div className="stat-label">Tables</div>
          <div className="stat-value">{plan.tables.length}</div>
        </div>
        <div className="card stat">
          <div className="stat-label">Rows (est.)</div>
          <div className="stat-value">{formatNumber(plan.totalRows)}</div>
        </div>
        <div className="card stat">
          <div className="stat-label">Data (est.)</div>
          <div className="stat-value">{formatBytes(plan.totalBytes)}</div>
        </div>
        <div className="card stat">
          <div className="stat-label">Duration (est.)</div>
          <div className="stat-value">{formatDuration(plan.estimatedSeconds * 1000)}</div>
          <div className="stat-sub">at ~{formatNumber(plan.rate)} rows/s</div>
        </div>
      </div>
      <div className="table-wrap">
        <table className="table stacked">
          <thead>
            <tr>
              <th>Source table</th>
              <th>Target table</th>
              <th className="num">Rows (est.)</th>
              <th className="num">Size</th>
              <th className="num">Chunks</th>
              <th>Notes</th>
            </tr>
          </thead>
          <tbody>
            {plan.tables.map((t) => (
              <tr key={t.source}>
                <td data-label="Source" className="mono">
                  {t.source}
                </td>
                <td data-label="Target" className="mono">
                  {t.target}
                </td>
                <td data-label="Rows" className="num">
                  {formatNumber(t.rows)}
                </td>
                <td data-label="Size" className="num">
                  {formatBytes(t.bytes)}
                </td>
                <td data-label="Chunks" className="num">
                  {t.chunks}
                </td>
                <td data-label="Notes" className="small">
                  {t.notes.length ? t.notes.join('; ') : <span className="muted">—</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** A column the engine flagged: it can meet values the target can't hold. */
interface FlaggedColumn {
  table: string;
  column: string;
  targetType: string;
  values: string;
  policy: OutOfRangePolicy;
}

/** Per-column choice of the policy for values the target can't hold (the columns the dry run flagged). */
export interface PolicyChoice {
  value: (table: string, column: string) => OutOfRangePolicy | undefined;
  set: (table: string, column: string, policy: OutOfRangePolicy | null) => void;
}

function flaggedColumns(dry: EngineDryRun): FlaggedColumn[] {
  const tables = (dry.plan as { tables?: { table: string; outOfRange?: Omit<FlaggedColumn, 'table'>[] }[] } | null)?.tables ?? [];
  return tables.flatMap((t) => (t.outOfRange ?? []).map((o) => ({ ...o, table: t.table })));
}

function OutOfRangeColumns({ cols, choice, fallback }: { cols: FlaggedColumn[]; choice: PolicyChoice | undefined; fallback: OutOfRangePolicy }) {
  return (
    <div className="table-wrap" data-testid="out-of-range-columns">
      <p className="small">Columns that can hold values the target can't store, and what happens to such a value:</p>
      <table className="table stacked">
        <thead>
          <tr>
            <th>Column</th>
            <th>Target type</th>
            <th>Values</th>
            <th>Policy</th>
          </tr>
        </thead>
        <tbody>
          {cols.map((c) => {
            const own = choice?.value(c.table, c.column);
            return (
              <tr key={`${c.table}.${c.column}`}>
                <td data-label="Column" className="mono">
                  {c.table}.{c.column}
                </td>
                <td data-label="Target type" className="mono">
                  {c.targetType}
                </td>
                <td data-label="Values" className="small">
                  {c.values}
                </td>
                <td data-label="Policy">
                  {choice ? (
                    <select
                      aria-label={`Policy for ${c.table}.${c.column}`}
                      value={own ?? ''}
                      onChange={(e) => choice.set(c.table, c.column, e.target.value ? (e.target.value as OutOfRangePolicy) : null)}
                    >
                      <option value="">Job default ({fallback})</option>
                      {OUT_OF_RANGE_CHOICES.map(([v, l]) => (
                        <option key={v} value={v}>
                          {l}
                        </option>
                      ))}
                    </select>
                  ) : (
                    c.policy
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function EngineDryRunCard({
  dry,
  onRun,
  choice,
  fallback,
}: {
  dry: EngineDryRun | null;
  onRun: () => void;
  choice?: PolicyChoice | undefined;
  fallback: OutOfRangePolicy;
}) {
  const flagged = dry?.state === 'done' ? flaggedColumns(dry) : [];
  return (
    <div className="card" data-testid="engine-dry-run">
      <div className="card-head">
        <div>
          <h2>Engine dry run</h2>
          <p>An agent plans the job for real: chunk bounds, lossy type mappings and a timed sample read. Nothing is written.</p>
        </div>
        <Button onClick={onRun} loading={dry?.state === 'running'}>
          {dry ? 'Run the dry run again' : 'Run a dry run on an agent'}
        </Button>
      </div>
      {dry ? (
        <div className="card-body stack-sm">
          {dry.state === 'running' ? <Loading label={`Dry run ${dry.jobState ? dry.jobState.toLowerCase() : 'starting'}…`} /> : null}
          {dry.state === 'failed' ? (
            <Alert tone="error" title="The dry run failed">
              {dry.error}
            </Alert>
          ) : null}
          {dry.state === 'done' ? (
            <Alert
              tone={dry.warnings.length ? 'warn' : 'ok'}
              title={
                dry.warnings.length
                  ? `${dry.warnings.length} warning${dry.warnings.length > 1 ? 's' : ''} from the engine`
                  : 'The engine planned the job without warnings'
              }
            >
              {dry.plan?.estimatedSeconds !== undefined ? (
                <>
                  Engine estimate: {formatDuration(dry.plan.estimatedSeconds * 1000)}
                  {dry.plan.measuredRowsPerSec ? ` at a measured ${formatNumber(dry.plan.measuredRowsPerSec)} rows/s` : ''}.
                </>
              ) : null}
            </Alert>
          ) : null}
          {dry.kafkaPlanProblem ? (
            <Alert tone="warn" title="The Kafka plan could not be read">
              {dry.kafkaPlanProblem}
            </Alert>
          ) : null}
          {dry.kafkaPlan ? <KafkaPlanTopics plan={dry.kafkaPlan} /> : null}
          <SchemaObjectsCard objects={dry.schemaObjects} problem={dry.schemaObjectsProblem} title="Schema objects" />
          {flagged.length ? <OutOfRangeColumns cols={flagged} choice={choice} fallback={fallback} /> : null}
          {dry.warnings.length ? (
            <ul className="check-list" data-testid="dry-run-warnings">
              {dry.warnings.map((w) => (
                <li key={w}>
                  <span className="check-icon warn" aria-hidden="true">
                    !
                  </span>
                  <span className="small break">{w}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** Step 5: the plan from the source catalogue, and the engine's own dry run on an agent. */
export function StepPlan({
  plan,
  dry,
  onDryRun,
  kafka,
  spec,
  policies,
}: {
  plan: Plan | null;
  dry: EngineDryRun | null;
  onDryRun: () => void;
  kafka: KafkaPlanInput | null;
  spec: JobSpec;
  policies?: PolicyChoice;
}) {
  const fallback = spec.options.outOfRange ?? 'dead-letter';
  if (kafka) {
    return (
      <Section title="Dry-run plan" description="What the job will read and write, from what the agent discovered. Nothing has moved yet.">
        <div className="stack" data-testid="plan">
          {kafka.pair === 'db-kafka' && plan ? <PlanTables plan={plan} /> : null}
          <KafkaWizardPlan kafka={kafka} spec={spec} />
          <EngineDryRunCard dry={dry} onRun={onDryRun} fallback={fallback} />
        </div>
      </Section>
    );
  }
  return (
    <Section title="Dry-run plan" description="What the job will do, from the source catalogue the agent read. Nothing has moved yet.">
      {!plan ? (
        <Alert tone="info" title="No plan yet">
          The plan needs the source catalogue. Run the preflight (previous step) with an online agent.
        </Alert>
      ) : (
        <div className="stack" data-testid="plan">
          <PlanTables plan={plan} />
          <EngineDryRunCard dry={dry} onRun={onDryRun} choice={policies} fallback={fallback} />
        </div>
      )}
    </Section>
  );
}
