'use client';

import { useState } from 'react';
import { Button, DataTable } from '../ui';
import { JobStateBadge } from '../status';
import { formatBytes, formatDateTime, formatDuration, formatNumber } from '../../lib/format';
import type { JobRun } from '../../lib/ops/jobs';
import { downloadReceipt } from '../../lib/ops/receipts';
import { describeError } from '../../lib/gql';

/** Saves the run's signed correctness receipt; its title names the signing key's fingerprint. */
function ReceiptButton({ jobId, run }: { jobId: string; run: JobRun }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!run.receipt) return <span className="muted">—</span>;
  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        loading={busy}
        title={`Signed by the agent's key ${run.receipt.publicKeyFingerprint}; check it with: sluice-agent receipt verify FILE`}
        data-testid="download-receipt"
        onClick={() => {
          setBusy(true);
          setError(null);
          downloadReceipt(jobId, run.id)
            .catch((e: unknown) => setError(describeError(e)))
            .finally(() => setBusy(false));
        }}
      >
        Download receipt
      </Button>
      {error ? <div className="small error">{error}</div> : null}
    </>
  );
}

/** The job's history (dry runs are not in it: see DryRunPlan). */
export function JobRuns({ runs, jobId }: { runs: JobRun[]; jobId: string }) {
  if (runs.length === 0) return null;
  return (
    <div className="card">
      <div className="card-head">
        <h2>Runs</h2>
      </div>
      <DataTable compact columns={['Run', 'State', 'Started', 'Finished', 'Duration', 'Error', 'Receipt']}>
        {runs.map((r) => (
          <tr key={r.id}>
            <td data-label="Run" className="mono">
              {r.id.slice(0, 8)}
            </td>
            <td data-label="State">
              <JobStateBadge state={r.state} />
            </td>
            <td data-label="Started" className="muted nowrap">
              {formatDateTime(r.startedAt)}
            </td>
            <td data-label="Finished" className="muted nowrap">
              {formatDateTime(r.finishedAt)}
            </td>
            <td data-label="Duration" className="nowrap">
              {r.startedAt && r.finishedAt ? formatDuration(new Date(r.finishedAt).getTime() - new Date(r.startedAt).getTime()) : '—'}
            </td>
            <td data-label="Error" className="small break">
              {r.error ?? <span className="muted">—</span>}
            </td>
            <td data-label="Receipt" className="nowrap">
              <ReceiptButton jobId={jobId} run={r} />
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

interface DryRunPlanTable {
  table: string;
  target: string;
  rows: number;
  bytes: number;
  chunks: number;
  estimatedSeconds: number;
  warnings: string[];
}

/** The dry run's stored plan (Job.dryRun.plan, from the engine's dry-run result). */
export function DryRunPlan({ run }: { run: JobRun | null }) {
  const p = run?.plan;
  if (!p || p['dryRun'] !== true || !Array.isArray(p['tables']) || typeof p['estimatedSeconds'] !== 'number') return null;
  const tables = p['tables'] as DryRunPlanTable[];
  const rate = typeof p['measuredRowsPerSec'] === 'number' ? p['measuredRowsPerSec'] : null;
  return (
    <div className="card" data-testid="dry-run-plan">
      <div className="card-head">
        <div>
          <h2>Dry-run plan</h2>
          <p>
            {formatNumber(typeof p['totalRows'] === 'number' ? p['totalRows'] : 0)} rows,{' '}
            {formatBytes(typeof p['totalBytes'] === 'number' ? p['totalBytes'] : 0)}; estimated {formatDuration(p['estimatedSeconds'] * 1000)}
            {rate ? ` at a measured ${formatNumber(Math.round(rate))} rows/s` : ''}. Planned {formatDateTime(run?.finishedAt ?? run?.createdAt)}; a dry run
            writes nothing and is not part of the job’s runs.
          </p>
        </div>
      </div>
      <DataTable compact columns={['Table', 'Target', 'Rows', 'Size', 'Chunks', 'Estimate', 'Warnings']}>
        {tables.map((t) => (
          <tr key={t.table}>
            <td data-label="Table" className="mono">
              {t.table}
            </td>
            <td data-label="Target" className="mono">
              {t.target}
            </td>
            <td data-label="Rows">{formatNumber(t.rows)}</td>
            <td data-label="Size">{formatBytes(t.bytes)}</td>
            <td data-label="Chunks">{formatNumber(t.chunks)}</td>
            <td data-label="Estimate" className="nowrap">
              {formatDuration(t.estimatedSeconds * 1000)}
            </td>
            <td data-label="Warnings" className="small break">
              {t.warnings?.length ? t.warnings.join('; ') : <span className="muted">—</span>}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
