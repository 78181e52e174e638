'use client';

import type { PreflightCheck } from '../../lib/preflight';
import { CheckList } from '../check-list';
import { Alert, Button, CopyBox, ErrorAlert, Loading } from '../ui';
import { Section } from './section';

/** Whether any check blocks the job. */
export const preflightBlocks = (checks: PreflightCheck[] | null | undefined) => !!checks?.some((c) => c.status === 'fail');

/** Step 4: every check the agent ran, with the SQL (or setting) that fixes each failing one, copyable. */
export function StepPreflight({
  checks,
  cdc,
  loading,
  error,
  onRun,
}: {
  checks: PreflightCheck[] | null;
  cdc: boolean;
  loading: boolean;
  error: unknown;
  onRun: () => void;
}) {
  const blocking = preflightBlocks(checks);
  const cdcChecks = checks?.filter((c) => c.name.startsWith('CDC: ')).length ?? 0;
  return (
    <Section
      title="Preflight"
      description={
        cdc
          ? 'The agent checks permissions, settings and table compatibility, and the change-capture settings this job needs, before anything moves.'
          : 'The agent checks permissions, settings and table compatibility before anything moves.'
      }
    >
      {loading ? <Loading label="Running preflight checks through an agent…" /> : null}
      <ErrorAlert error={error} onRetry={onRun} />
      {checks ? (
        <div className="stack" data-testid="preflight">
          <Alert
            tone={blocking ? 'error' : checks.some((c) => c.status === 'warn') ? 'warn' : 'ok'}
            title={blocking ? 'Fix the failing checks first' : 'Preflight passed'}
          >
            {checks.filter((c) => c.status === 'ok').length} of {checks.length} checks passed
            {cdc ? `, including ${cdcChecks} change-capture (CDC) check${cdcChecks === 1 ? '' : 's'} the job meets at Start` : ''}.
          </Alert>
          <CheckList
            items={checks.map((c, i) => ({
              key: `${i}-${c.name}`,
              status: c.status,
              title: c.name,
              detail: (
                <>
                  {c.message}
                  {c.fix ? (
                    <span style={{ display: 'block', marginTop: 6 }}>
                      <CopyBox value={c.fix} label={`Fix for ${c.name}`} wrap />
                    </span>
                  ) : null}
                </>
              ),
            }))}
          />
          <div>
            <Button onClick={onRun} loading={loading}>
              Run again
            </Button>
          </div>
        </div>
      ) : null}
    </Section>
  );
}
