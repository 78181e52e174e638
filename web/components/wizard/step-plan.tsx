'use client';

import { SchemaObjectsCard } from '../job/schema-objects';
import { formatBytes, formatDuration, formatNumber } from '../../lib/format';
import type { Plan } from '../../lib/preflight';
import type { JobSpec } from '../../lib/ops/jobs';
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

function EngineDryRunCard({ dry, onRun }: { dry: EngineDryRun | null; onRun: () => void }) {
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
}: {
  plan: Plan | null;
  dry: EngineDryRun | null;
  onDryRun: () => void;
  kafka: KafkaPlanInput | null;
  spec: JobSpec;
}) {
  if (kafka) {
    return (
      <Section title="Dry-run plan" description="What the job will read and write, from what the agent discovered. Nothing has moved yet.">
        <div className="stack" data-testid="plan">
          {kafka.pair === 'db-kafka' && plan ? <PlanTables plan={plan} /> : null}
          <KafkaWizardPlan kafka={kafka} spec={spec} />
          <EngineDryRunCard dry={dry} onRun={onDryRun} />
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
          <EngineDryRunCard dry={dry} onRun={onDryRun} />
        </div>
      )}
    </Section>
  );
}
