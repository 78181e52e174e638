import { describe, expect, it } from 'vitest';
import { agentStatusView, loadCountsView, waitingView } from './job-status';

const seen = new Date('2026-01-01T10:00:00Z');
const task = (v: Partial<Parameters<typeof agentStatusView>[1][number]> = {}) => ({
  jobId: 'j',
  state: 'running',
  agentId: 'a1',
  agentName: 'db-host',
  agentOnline: true,
  agentLastSeenAt: seen,
  ...v,
});

describe('job status read models', () => {
  it('sums committed rows per table and the estimate only when every table has one', () => {
    const v = loadCountsView([
      { jobId: 'j', table: 's.a', rows: 100, chunks: 2, chunksDone: 2, chunksPlanned: 2, rowEstimate: 100 },
      { jobId: 'j', table: 's.b', rows: 50, chunks: 1, chunksDone: 0, chunksPlanned: null, rowEstimate: null },
    ]);
    expect(v.rowsLoaded).toBe(150);
    expect(v.rowsEstimate).toBeNull();
    expect(loadCountsView([{ jobId: 'j', table: 's.a', rows: 1, chunks: 1, chunksDone: 1, chunksPlanned: 1, rowEstimate: 9 }]).rowsEstimate).toBe(9);
    expect(loadCountsView([])).toEqual({ rowsLoaded: 0, rowsEstimate: null, tables: [] });
  });

  it('names the holding agent, or the offline one with the time it was last seen', () => {
    expect(agentStatusView('completed', [task()], [])).toBeNull();
    expect(agentStatusView('running', [task()], [])).toMatchObject({ state: 'online', agentName: 'db-host' });
    expect(agentStatusView('running', [task({ agentOnline: false })], [])).toMatchObject({ state: 'offline', agentName: 'db-host', since: seen });
  });

  it('a job whose task waits with no agent online is offline since the last agent left', () => {
    const pending = task({ state: 'pending', agentId: null, agentName: null, agentOnline: null, agentLastSeenAt: null });
    expect(agentStatusView('running', [pending], [{ id: 'a1', name: 'db-host', online: false, lastSeenAt: seen }])).toMatchObject({
      state: 'offline',
      agentName: 'db-host',
      since: seen,
    });
    expect(agentStatusView('running', [pending], [{ id: 'a2', name: 'other', online: true, lastSeenAt: seen }])).toMatchObject({ state: 'waiting' });
    expect(agentStatusView('queued', [], [])).toMatchObject({ state: 'offline', agentName: null });
    expect(agentStatusView('paused', [pending], [])).toBeNull();
  });
});

describe('waitingView', () => {
  const at = new Date('2026-01-01T10:00:00Z');
  const ev = (v: Partial<Parameters<typeof waitingView>[2] & object> = {}) => ({
    type: 'job.waiting',
    message: 'waiting for the source: cannot reach MySQL at db:3306: connect ECONNREFUSED',
    data: { endpoint: 'source', failures: 3, retryInMs: 4000, waitingSince: '2026-01-01T09:59:00.000Z' },
    runId: 'r1',
    createdAt: at,
    ...v,
  });
  it('shows the newest job.waiting of the current run of an active job', () => {
    expect(waitingView('running', 'r1', ev())).toEqual({
      endpoint: 'source',
      message: 'waiting for the source: cannot reach MySQL at db:3306: connect ECONNREFUSED',
      since: new Date('2026-01-01T09:59:00.000Z'),
      failures: 3,
      nextRetryAt: new Date('2026-01-01T10:00:04.000Z'),
    });
  });
  it('is null once recovered, for an older run, or when the job is not active', () => {
    expect(waitingView('running', 'r1', ev({ type: 'job.recovered' }))).toBeNull();
    expect(waitingView('running', 'r2', ev())).toBeNull();
    expect(waitingView('failed', 'r1', ev())).toBeNull();
    expect(waitingView('running', 'r1', undefined)).toBeNull();
  });
  it('tolerates an event without data', () => {
    expect(waitingView('paused', 'r1', ev({ data: {} }))).toMatchObject({ endpoint: 'source or target', since: at, failures: 1, nextRetryAt: null });
  });
});
