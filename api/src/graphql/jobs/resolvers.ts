import { AppError, parseInput } from '../../errors';
import { jobLogView, jobView, type JobView } from '../../presenters/views';
import { jobOutcome } from '../../presenters/job-outcome';
import { topics } from '../../pubsub/redis-pubsub';
import { roleAtLeast } from '../../auth/roles';
import { createJobInput, updateJobInput } from '../../services/jobs/jobs-service';
import { allowedActions } from '../../services/jobs/state-machine';
import { unverifiedId } from '../args';
import { requireAuth, type GraphQLContext } from '../context';
import type { GraphQLModule } from '../module';
import { jobsTypeDefs } from './schema';

type Ctx = GraphQLContext;
type PageArgs = { first?: number | null; after?: string | null; newestFirst?: boolean | null };

export const jobModeEnum = { FULL: 'full', FULL_CDC: 'full_cdc', CDC: 'cdc', VERIFY: 'verify' } as const;
export const jobStateEnum = {
  DRAFT: 'draft',
  QUEUED: 'queued',
  RUNNING: 'running',
  PAUSING: 'pausing',
  PAUSED: 'paused',
  STOPPING: 'stopping',
  STOPPED: 'stopped',
  COMPLETED: 'completed',
  FAILED: 'failed',
} as const;
export const jobActionEnum = { START: 'start', PAUSE: 'pause', RESUME: 'resume', STOP: 'stop', EDIT: 'edit', DELETE: 'delete' } as const;
export const jobAgentStateEnum = { ONLINE: 'online', OFFLINE: 'offline', WAITING: 'waiting' } as const;
export const jobOutcomeEnum = {
  VERIFIED: 'verified',
  DIFFERENCES: 'differences',
  VERIFICATION_FAILED: 'verification_failed',
  NOT_VERIFIED: 'not_verified',
} as const;
export const logLevelEnum = { DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** A job of the caller's tenant, or NOT_FOUND (same for another tenant's id). */
async function loadJob(ctx: Ctx, rawId: unknown, field: string): Promise<JobView> {
  const id = unverifiedId(rawId, field);
  const job = await ctx.presenters().job(id);
  if (!job) throw AppError.notFound('job', id);
  return job;
}

/** Ends an async iterator when the client goes away. */
function mapIterator<T, U>(it: AsyncIterableIterator<T>, fn: (v: T) => Promise<U | null>): AsyncIterableIterator<U> {
  const out: AsyncIterableIterator<U> = {
    async next() {
      for (;;) {
        const r = await it.next();
        if (r.done) return { done: true, value: undefined };
        const v = await fn(r.value);
        if (v !== null) return { done: false, value: v };
      }
    },
    return: async () => {
      await it.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => out,
  };
  return out;
}

export const jobsModule: GraphQLModule = {
  name: 'jobs',
  typeDefs: jobsTypeDefs,
  resolvers: {
    JobMode: jobModeEnum,
    JobState: jobStateEnum,
    LogLevel: logLevelEnum,
    JobAction: jobActionEnum,
    JobAgentState: jobAgentStateEnum,
    JobOutcome: jobOutcomeEnum,
    Job: {
      source: (j: JobView, _: unknown, ctx: Ctx) => ctx.presenters().loaders.dataSource.load(j.sourceId),
      target: (j: JobView, _: unknown, ctx: Ctx) => (j.targetId ? ctx.presenters().loaders.dataSource.load(j.targetId) : null),
      runs: async (j: JobView, _: unknown, ctx: Ctx) => (await ctx.presenters().loaders.runsByJob.load(j.id)).runs,
      dryRun: async (j: JobView, _: unknown, ctx: Ctx) => (await ctx.presenters().loaders.runsByJob.load(j.id)).dryRun,
      allowedActions: (j: JobView, _: unknown, ctx: Ctx) => (roleAtLeast(requireAuth(ctx).role, 'operator') ? allowedActions(j.state) : []),
      load: (j: JobView, _: unknown, ctx: Ctx) => ctx.presenters().loaders.loadCountsByJob.load(j.id),
      agentStatus: (j: JobView, _: unknown, ctx: Ctx) => ctx.presenters().jobAgentStatus(j),
      waiting: (j: JobView, _: unknown, ctx: Ctx) => ctx.presenters().jobWaiting(j),
      samples: (j: JobView, args: { minutes?: number | null }, ctx: Ctx) => ctx.presenters().jobSamples(j.id, args.minutes ?? 60),
      checkpoints: (j: JobView, _: unknown, ctx: Ctx) => ctx.presenters().loaders.checkpointsByJob.load(j.id),
      verification: (j: JobView, _: unknown, ctx: Ctx) => ctx.presenters().loaders.verificationByJob.load(j.id),
      outcome: async (j: JobView, _: unknown, ctx: Ctx) => {
        if (j.state !== 'completed') return null;
        const { loaders } = ctx.presenters();
        const [runs, rows] = await Promise.all([loaders.runsByJob.load(j.id), loaders.verificationByJob.load(j.id)]);
        return jobOutcome(j.state, runs.runs[0]?.id ?? null, rows);
      },
      events: (j: JobView, args: PageArgs, ctx: Ctx) => ctx.presenters().jobEvents(j.id, args),
      logs: (j: JobView, args: PageArgs & { level?: string | null }, ctx: Ctx) => ctx.presenters().jobLogs(j.id, args),
    },
    Query: {
      jobs: (_: unknown, args: PageArgs & { state?: string | null }, ctx: Ctx) =>
        ctx.presenters().jobs({ first: args.first, after: args.after, state: (args.state ?? null) as never }),
      job: (_: unknown, args: { id: unknown }, ctx: Ctx) => loadJob(ctx, args.id, 'id'),
      jobEvents: async (_: unknown, args: PageArgs & { jobId: unknown }, ctx: Ctx) => {
        const job = await loadJob(ctx, args.jobId, 'jobId');
        return ctx.presenters().jobEvents(job.id, args);
      },
      jobLogs: async (_: unknown, args: PageArgs & { jobId: unknown; level?: string | null }, ctx: Ctx) => {
        const job = await loadJob(ctx, args.jobId, 'jobId');
        return ctx.presenters().jobLogs(job.id, args);
      },
    },
    Mutation: {
      createJob: async (_: unknown, args: { input: unknown }, ctx: Ctx) =>
        jobView(await ctx.deps.services.jobs.createJob(requireAuth(ctx), parseInput(createJobInput, args.input, 'input'))),
      updateJob: async (_: unknown, args: { id: unknown; input: unknown }, ctx: Ctx) => {
        const auth = requireAuth(ctx);
        const id = unverifiedId(args.id, 'id');
        return jobView(await ctx.deps.services.jobs.updateJob(auth, id, parseInput(updateJobInput, args.input, 'input')));
      },
      deleteJob: async (_: unknown, args: { id: unknown }, ctx: Ctx) => {
        await ctx.deps.services.jobs.deleteJob(requireAuth(ctx), unverifiedId(args.id, 'id'));
        return true;
      },
      startJob: async (_: unknown, args: { id: unknown }, ctx: Ctx) =>
        jobView(await ctx.deps.services.jobs.startJob(requireAuth(ctx), unverifiedId(args.id, 'id'))),
      pauseJob: async (_: unknown, args: { id: unknown }, ctx: Ctx) =>
        jobView(await ctx.deps.services.jobs.pauseJob(requireAuth(ctx), unverifiedId(args.id, 'id'))),
      resumeJob: async (_: unknown, args: { id: unknown }, ctx: Ctx) =>
        jobView(await ctx.deps.services.jobs.resumeJob(requireAuth(ctx), unverifiedId(args.id, 'id'))),
      stopJob: async (_: unknown, args: { id: unknown }, ctx: Ctx) =>
        jobView(await ctx.deps.services.jobs.stopJob(requireAuth(ctx), unverifiedId(args.id, 'id'))),
    },
    Subscription: {
      jobUpdated: {
        subscribe: async (_: unknown, args: { jobId: unknown }, ctx: Ctx) => {
          const job = await loadJob(ctx, args.jobId, 'jobId');
          const auth = requireAuth(ctx);
          const it = await ctx.deps.pubsub.subscribeReady<{ jobId: string }>(topics.jobUpdated(auth.tenantId, job.id));
          // Each event re-reads the job (fresh, tenant-scoped) so subscribers see the committed state.
          return mapIterator(it, async () => {
            const p = ctx.presenters();
            p.clearCaches();
            const fresh = await p.job(job.id);
            return fresh ? { jobUpdated: fresh } : null;
          });
        },
      },
      jobLogs: {
        subscribe: async (_: unknown, args: { jobId: unknown }, ctx: Ctx) => {
          const job = await loadJob(ctx, args.jobId, 'jobId');
          const auth = requireAuth(ctx);
          const it = await ctx.deps.pubsub.subscribeReady<{ id: number; taskId: string | null; level: string; message: string; createdAt: string }>(
            topics.jobLogs(auth.tenantId, job.id),
          );
          return mapIterator(it, async (l) => ({ jobLogs: jobLogView(l) }));
        },
      },
    },
  },
};
