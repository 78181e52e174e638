'use client';

import { Badge } from '../ui';
import { LineChart } from '../line-chart';
import { formatCompact, formatLag } from '../../lib/format';
import type { LiveSeries } from '../../lib/live-series';
import type { LiveStatus } from '../../lib/hooks';

function ChartCard({ title, live, children }: { title: string; live?: LiveStatus; children: React.ReactNode }) {
  return (
    <div className="card">
      <div className="card-head">
        <h2>{title}</h2>
        {live ? (
          <Badge tone={live === 'live' ? 'ok' : 'neutral'} dot>
            {live === 'live' ? 'live' : 'polling'}
          </Badge>
        ) : null}
      </div>
      <div className="card-body">{children}</div>
    </div>
  );
}

/**
 * The last hour, one chart per figure: the load's rows/s and CDC's events/s are
 * separate charts, each on its own automatic scale, so a few events/s stay readable
 * next to a load that peaked at tens of thousands of rows/s.
 */
export function JobCharts({ series, cdcMode, verify = false, live }: { series: LiveSeries; cdcMode: boolean; verify?: boolean; live: LiveStatus }) {
  const showLoad = series.loadRate.length > 0 || !cdcMode || series.cdcRate.length === 0;
  return (
    <div className={cdcMode ? 'grid-2' : 'stack'} data-testid="job-charts">
      {showLoad ? (
        <ChartCard title={`${verify ? 'Verification' : 'Load'} · rows per second (last hour)`} live={live}>
          <LineChart
            points={series.loadRate}
            label={verify ? 'Rows verified per second' : 'Full-load rows per second'}
            format={(v) => formatCompact(v)}
            height={cdcMode ? 160 : 120}
          />
        </ChartCard>
      ) : null}
      {cdcMode ? (
        <ChartCard title="CDC · events per second (last hour)" live={showLoad ? undefined : live}>
          <LineChart points={series.cdcRate} label="CDC events per second" color="#0e9f6e" format={(v) => (v < 10 ? v.toFixed(1) : formatCompact(v))} />
        </ChartCard>
      ) : null}
      {cdcMode ? (
        <ChartCard title="Replication lag (last hour)">
          <LineChart points={series.lagMs} label="Replication lag" color="#d97706" format={(v) => formatLag(v)} />
        </ChartCard>
      ) : null}
    </div>
  );
}
