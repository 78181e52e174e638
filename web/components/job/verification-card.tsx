'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Badge, Button, Empty, useToast } from '../ui';
import { describeError } from '../../lib/gql';
import { formatDateTime, formatNumber } from '../../lib/format';
import { useMutation } from '../../lib/hooks';
import { CREATE_JOB, START_JOB, type JobDetail } from '../../lib/ops/jobs';
import type { VerificationView } from '../../lib/job-views';
import { useSession } from '../../lib/session';

/** The per-table counts of the verification table: column label and field. */
const VERIFY_COUNTS = [
  ['Chunks OK', 'chunksOk'],
  ['Mismatched', 'chunksMismatched'],
  ['Repaired', 'chunksRepaired'],
  ['Missing', 'rowsMissing'],
  ['Extra', 'rowsExtra'],
  ['Different', 'rowsDifferent'],
] as const satisfies ReadonlyArray<readonly [string, keyof VerificationView]>;

/** The differing rows named by key; for a different row, the columns with both values. Falls back on the sample keys. */
function DifferingKeys({ v }: { v: VerificationView }) {
  if (v.differences.length > 0) {
    return (
      <div className="small" data-testid="differing-keys">
        <div className="muted">
          {v.differencesTotal > v.differences.length
            ? `first ${formatNumber(v.differences.length)} of ${formatNumber(v.differencesTotal)} differing rows`
            : `${formatNumber(v.differences.length)} differing rows`}
        </div>
        <ul data-testid="differences" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {v.differences.map((d, i) => (
            <li key={`${d.kind}:${d.key}:${i}`}>
              <span className="muted">{d.kind} </span>
              <span className="mono break">({d.key})</span>
              {d.columns.map((c) => (
                <div key={c.column} className="mono break" style={{ paddingLeft: 12 }}>
                  {c.column}: source {c.source === null ? 'NULL' : JSON.stringify(c.source)} → target {c.target === null ? 'NULL' : JSON.stringify(c.target)}
                </div>
              ))}
              {d.columnsDiffering > d.columns.length ? <div className="muted">… {formatNumber(d.columnsDiffering - d.columns.length)} more columns</div> : null}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const k = v.sampleKeys;
  if (!k) return null;
  const groups = (['missing', 'extra', 'different'] as const).filter((g) => k[g].length > 0);
  return (
    <div className="small" data-testid="differing-keys">
      {groups.map((g) => (
        <div key={g}>
          <span className="muted">{g} keys: </span>
          <span className="mono break">{k[g].map((x) => `(${x})`).join(' ')}</span>
          {k[g].length >= 20 ? <span className="muted"> …</span> : null}
        </div>
      ))}
    </div>
  );
}

/**
 * The latest verification per table (Job.verification, the newest run that reported any),
 * with the keys that differ. Repair = a verify-mode job over that one table with repair on:
 * it re-diffs only the mismatched chunks and re-copies the differing rows.
 */
export function VerificationCard({ job, rows }: { job: JobDetail; rows: VerificationView[] }) {
  const { can } = useSession();
  const toast = useToast();
  const router = useRouter();
  const [createJob, state] = useMutation(CREATE_JOB);
  const [startJob] = useMutation(START_JOB);
  const [busy, setBusy] = useState<string | null>(null);
  async function repair(table: string) {
    const mapping = Object.fromEntries(
      Object.entries(job.spec.mapping ?? {}).filter(([k]) => k === table || k.endsWith(`.${table}`) || table.endsWith(`.${k}`)),
    );
    const r = await createJob({
      input: {
        name: `Repair ${table} (${job.name})`.slice(0, 100),
        sourceId: job.source?.id ?? '',
        targetId: job.target?.id ?? null,
        spec: { mode: 'verify', tables: { include: [table], exclude: [] }, mapping, options: { ...job.spec.options, repair: true, verifyAfterLoad: true } },
      },
    });
    await startJob({ id: r.createJob.id });
    toast(`Repair of ${table} started`);
    router.push(`/jobs/${r.createJob.id}`);
  }
  const body =
    rows.length === 0 ? (
      <Empty title="No verification yet">
        {job.spec.options?.verifyAfterLoad === false && job.mode !== 'VERIFY'
          ? 'Verification is off for this job.'
          : 'Counts and hashes are compared per chunk once the load finishes.'}
      </Empty>
    ) : (
      <div className="table-wrap">
        <table className="table stacked compact" data-testid="verification-table">
          <thead>
            <tr>
              <th>Table</th>
              <th>Result</th>
              {VERIFY_COUNTS.map(([label]) => (
                <th key={label} className="num">
                  {label}
                </th>
              ))}
              {can('OPERATOR') ? (
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((v) => {
              const ok = v.status === 'ok' || v.status === 'repaired';
              return (
                <tr key={v.tableName}>
                  <td data-label="Table" className="mono">
                    {v.tableName}
                    <div className="muted small">{formatDateTime(v.at)}</div>
                    <DifferingKeys v={v} />
                  </td>
                  <td data-label="Result">
                    {ok ? (
                      <Badge tone="ok">{v.status === 'repaired' ? 'repaired' : 'match'}</Badge>
                    ) : (
                      <span title={v.error ?? undefined}>
                        <Badge tone="danger">{v.status === 'failed' ? 'failed' : 'mismatch'}</Badge>
                      </span>
                    )}
                  </td>
                  {VERIFY_COUNTS.map(([label, key]) => (
                    <td key={label} data-label={label} className="num">
                      {formatNumber(v[key])}
                    </td>
                  ))}
                  {can('OPERATOR') ? (
                    <td className="actions">
                      {!ok ? (
                        <Button
                          size="sm"
                          loading={state.loading && busy === v.tableName}
                          onClick={async () => {
                            setBusy(v.tableName);
                            try {
                              await repair(v.tableName);
                            } catch (e) {
                              toast(describeError(e), true);
                            } finally {
                              setBusy(null);
                            }
                          }}
                        >
                          Repair
                        </Button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    );
  return (
    <div className="card" data-testid="verification-card">
      <div className="card-head">
        <div>
          <h2>Verification</h2>
          <p>Per-chunk counts and hashes computed inside both databases; only mismatched chunks are diffed and repaired.</p>
        </div>
      </div>
      {body}
    </div>
  );
}
