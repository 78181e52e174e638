/**
 * The job page's chart history (Job.samples): rates and lag sampled from agent
 * progress (services/scheduling/job-samples.ts), oldest first. Tenant-scoped.
 */
import type { AuthContext } from '../auth/context';
import type { Repos } from '../repositories';

export interface JobSampleView {
  at: Date;
  loadRate: number | null;
  cdcRate: number | null;
  lagMs: number | null;
}

export function jobSamplePresenters(deps: { repos: Pick<Repos, 'jobSamples'> }, auth: AuthContext) {
  return {
    /** The job's samples of the last `minutes` (1 to 120; the job is already known to be the tenant's). */
    async jobSamples(jobId: string, minutes: number): Promise<JobSampleView[]> {
      const m = Math.min(120, Math.max(1, Math.floor(minutes)));
      const rows = await deps.repos.jobSamples.since(auth.tenantId, jobId, new Date(Date.now() - m * 60_000));
      return rows.map((r) => ({ at: r.at, loadRate: r.loadRate, cdcRate: r.cdcRate, lagMs: r.lagMs }));
    },
  };
}
