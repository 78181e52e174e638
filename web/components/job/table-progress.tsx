'use client';

import { Empty, ProgressBar } from '../ui';
import { formatNumber, pct } from '../../lib/format';
import type { JobFigures } from '../../lib/job-figures';
import type { JobState } from '../../lib/ops/jobs';

/** Per table: rows loaded of total (full load) and, separately, CDC events applied. */
export function TableProgress({ f, state }: { f: JobFigures; state: JobState }) {
  if (f.tables.length === 0) return <Empty title="No table progress yet">It appears once the agent has planned the job.</Empty>;
  const anyCdc = f.tables.some((t) => t.cdcEvents !== null);
  return (
    <div className="card-body stack-sm" data-testid="table-progress">
      {f.tables.map((t) => {
        const tp = state === 'COMPLETED' ? 100 : t.total ? pct(t.loaded, t.total) : t.state === 'done' || t.state === 'copied' ? 100 : 0;
        return (
          <div key={t.name} data-testid={`table-${t.name}`}>
            <div className="row-between small">
              <span className="mono">{t.name}</span>
              <span className="muted">
                <span data-testid="table-loaded">{formatNumber(t.loaded)}</span>
                {t.total !== null ? ` of ${formatNumber(t.total)}` : ''} rows loaded
                {t.state && state !== 'COMPLETED' && t.state !== 'cdc' ? ` · ${t.state}` : ''}
                {anyCdc ? ` · ${formatNumber(t.cdcEvents ?? 0)} CDC events` : ''}
              </span>
            </div>
            <ProgressBar value={tp} label={`${t.name} load progress`} tone={tp >= 100 ? 'ok' : undefined} />
          </div>
        );
      })}
    </div>
  );
}
