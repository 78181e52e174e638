'use client';

import Link from 'next/link';
import { JobStateBadge, MODE_LABEL } from '../../components/status';
import { Empty, PageHeader, ProgressBar, QueryView, StatCard, DataTable } from '../../components/ui';
import { formatNumber, pct, timeAgo } from '../../lib/format';
import { useQuery } from '../../lib/hooks';
import { jobFigures } from '../../lib/job-figures';
import { OVERVIEW } from '../../lib/ops/overview';
import { useSession } from '../../lib/session';

export default function OverviewPage() {
  const { me, can } = useSession();
  const q = useQuery(OVERVIEW, {}, { pollMs: 10_000 });
  return (
    <>
      <PageHeader
        title={me.tenant.name}
        description="Your agents, data sources and replication jobs at a glance."
        actions={
          can('OPERATOR') ? (
            <Link className="btn btn-primary" href="/jobs/new">
              New job
            </Link>
          ) : null
        }
      />
      <QueryView state={q}>
        {(d) => {
          const live = d.agents.filter((a) => !a.revokedAt);
          const online = live.filter((a) => a.online).length;
          const jobs = d.jobs.edges.map((e) => e.node);
          const running = jobs.filter((j) => j.state === 'RUNNING').length;
          const failed = jobs.filter((j) => j.state === 'FAILED').length;
          const needsSetup = live.length === 0 || d.dataSources.length === 0;
          return (
            <div className="stack">
              <div className="grid-4">
                <StatCard
                  href="/agents"
                  label="Agents online"
                  value={
                    <>
                      {online}
                      <span className="muted" style={{ fontSize: 15 }}>
                        {' '}
                        / {live.length}
                      </span>
                    </>
                  }
                  sub={live.length === 0 ? 'None registered yet' : `${live.length - online} offline`}
                />
                <StatCard
                  href="/data-sources"
                  label="Data sources"
                  value={d.dataSources.length}
                  sub={
                    (['MYSQL', 'POSTGRES', 'KAFKA'] as const)
                      .map((k) => [k, d.dataSources.filter((s) => s.kind === k).length] as const)
                      .filter(([, n]) => n > 0)
                      .map(([k, n]) => `${n} ${k.toLowerCase()}`)
                      .join(' · ') || 'None yet'
                  }
                />
                <StatCard href="/jobs" label="Jobs running" value={running} sub={`${jobs.length} recent`} />
                <StatCard
                  href="/jobs"
                  label="Jobs failed"
                  value={failed}
                  valueStyle={{ color: failed ? 'var(--danger)' : undefined }}
                  sub="among recent jobs"
                />
              </div>

              {needsSetup && !can('OPERATOR') ? (
                <div className="card">
                  <Empty title="Nothing set up yet">An admin or operator registers agents and adds data sources; they show up here.</Empty>
                </div>
              ) : null}
              {needsSetup && can('OPERATOR') ? (
                <div className="card">
                  <div className="card-head">
                    <h2>Get started</h2>
                  </div>
                  <div className="card-body">
                    <ol className="stack-sm" style={{ margin: 0, paddingLeft: 18 }}>
                      <li>
                        <Link href="/agents">Register an agent</Link> inside the network that can reach your databases.
                      </li>
                      <li>
                        <Link href="/data-sources/new">Add a source and a target data source</Link> and test them through the agent.
                      </li>
                      <li>
                        <Link href="/jobs/new">Create a job</Link> in the wizard, check its preflight and plan, then start it.
                      </li>
                    </ol>
                  </div>
                </div>
              ) : null}

              <div className="card">
                <div className="card-head">
                  <h2>Recent jobs</h2>
                  <Link href="/jobs">All jobs →</Link>
                </div>
                {jobs.length === 0 ? (
                  <Empty title="No jobs yet">Create one to copy or replicate tables between your data sources.</Empty>
                ) : (
                  <DataTable columns={['Job', 'Mode', 'State', 'Progress', 'Updated']}>
                    {jobs.map((j) => {
                      const f = jobFigures(j);
                      return (
                        <tr key={j.id}>
                          <td data-label="Job">
                            <Link href={`/jobs/${j.id}`}>{j.name}</Link>
                          </td>
                          <td data-label="Mode">{MODE_LABEL[j.mode] ?? j.mode}</td>
                          <td data-label="State">
                            <JobStateBadge state={j.state} />
                          </td>
                          <td data-label="Progress" style={{ minWidth: 140 }}>
                            {f.loadTotal || j.state === 'COMPLETED' ? (
                              <ProgressBar
                                value={j.state === 'COMPLETED' ? 100 : pct(f.loaded, f.loadTotal ?? 0)}
                                label={`${j.name} progress`}
                                tone={j.state === 'COMPLETED' ? 'ok' : undefined}
                              />
                            ) : (
                              <span className="muted">{formatNumber(f.loaded)} rows loaded</span>
                            )}
                          </td>
                          <td data-label="Updated" className="muted nowrap">
                            {timeAgo(j.updatedAt)}
                          </td>
                        </tr>
                      );
                    })}
                  </DataTable>
                )}
              </div>
            </div>
          );
        }}
      </QueryView>
    </>
  );
}
