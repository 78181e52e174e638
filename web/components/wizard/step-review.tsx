'use client';

import { cliRunCommand } from '../../lib/cli-command';
import type { DataSource } from '../../lib/ops/data-sources';
import type { JobInput } from '../../lib/ops/jobs';
import { MODES } from '../../lib/wizard/draft';
import { MODE_LABEL } from '../status';
import { Badge, CopyBox, ErrorAlert } from '../ui';
import { Section } from './section';

/** Step 6: what will be created, the spec as JSON, and the create/start error if any. */
export function StepReview({
  input,
  all,
  preflight,
  error,
}: {
  input: JobInput;
  all: DataSource[];
  preflight: 'passed' | 'failing' | 'not run';
  error: unknown;
}) {
  return (
    <Section title="Review and create">
      <dl className="kv">
        <dt>Name</dt>
        <dd>{input.name}</dd>
        <dt>Route</dt>
        <dd>
          {all.find((s) => s.id === input.sourceId)?.name} → {all.find((s) => s.id === input.targetId)?.name ?? '—'}
        </dd>
        <dt>Mode</dt>
        <dd>
          {MODE_LABEL[MODES.find((m) => m.spec === input.spec.mode)?.mode ?? 'FULL']}
          {input.spec.mode === 'verify' ? (input.spec.options.repair ? ' (repairs the target)' : ' (report only)') : ''}
        </dd>
        <dt>Tables</dt>
        <dd className="mono">
          {input.spec.tables.include.join(', ')}
          {input.spec.tables.exclude.length ? ` (except ${input.spec.tables.exclude.join(', ')})` : ''}
        </dd>
        <dt>Mappings</dt>
        <dd>{Object.keys(input.spec.mapping).length || 'none'}</dd>
        <dt>Preflight</dt>
        <dd>
          {preflight === 'failing' ? (
            <Badge tone="danger">failing checks</Badge>
          ) : preflight === 'passed' ? (
            <Badge tone="ok">passed</Badge>
          ) : (
            <Badge>not run</Badge>
          )}
        </dd>
      </dl>
      <details>
        <summary className="muted small">Job spec (JSON)</summary>
        <pre className="block">{JSON.stringify(input.spec, null, 2)}</pre>
        <p className="muted small">
          The same spec runs without the control plane: save it as <span className="mono">job.json</span> and run (format: docs/job-spec.md)
        </p>
        <CopyBox
          value={cliRunCommand(
            all.find((s) => s.id === input.sourceId),
            all.find((s) => s.id === input.targetId),
          )}
          label="Standalone command"
          wrap
        />
      </details>
      <ErrorAlert error={error} />
    </Section>
  );
}
