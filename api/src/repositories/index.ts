/**
 * The only code that imports drizzle. `createRepositories(db)` binds every
 * repository to a handle (the pool, or a transaction). Services run writes in
 * `unitOfWork(async (r) => ...)`, which gives them repositories bound to one
 * transaction, so the change and its audit entry commit together.
 *
 * To add a repository (e.g. agents, tasks): create `<name>.ts` exporting
 * `<name>Repo(db)` and add one line below.
 */
import type { Db, DbOrTx } from '@sluice/db/client';
import { agentAuthRepo, agentsRepo } from './agents';
import { alertsRepo } from './alerts';
import { apiKeysRepo } from './api-keys';
import { auditRepo } from './audit';
import { dataSourcesRepo } from './data-sources';
import { identityRepo } from './identity';
import { jobReceiptsRepo } from './job-receipts';
import { jobRunsRepo } from './job-runs';
import { jobSamplesRepo } from './job-samples';
import { jobTablesRepo } from './job-tables';
import { jobStatusRepo } from './job-status';
import { jobsRepo } from './jobs';
import { outboxRepo } from './outbox';
import { cdcCleanupsRepo } from './cdc-cleanups';
import { chunkTasksRepo } from './chunk-tasks';
import { taskSchedulerRepo, tasksRepo } from './tasks';
import { invitationByTokenRepo, tenantsRepo } from './tenants';

export function createRepositories(db: DbOrTx) {
  return {
    identity: identityRepo(db),
    tenants: tenantsRepo(db),
    invitationsByToken: invitationByTokenRepo(db),
    apiKeys: apiKeysRepo(db),
    dataSources: dataSourcesRepo(db),
    jobs: jobsRepo(db),
    jobRuns: jobRunsRepo(db),
    jobReceipts: jobReceiptsRepo(db),
    jobSamples: jobSamplesRepo(db),
    jobTables: jobTablesRepo(db),
    jobStatus: jobStatusRepo(db),
    audit: auditRepo(db),
    agents: agentsRepo(db),
    agentAuth: agentAuthRepo(db),
    tasks: tasksRepo(db),
    taskScheduler: taskSchedulerRepo(db),
    chunkTasks: chunkTasksRepo(db),
    alerts: alertsRepo(db),
    outbox: outboxRepo(db),
    cdcCleanups: cdcCleanupsRepo(db),
  };
}

export type Repos = ReturnType<typeof createRepositories>;
export type UnitOfWork = <T>(fn: (r: Repos) => Promise<T>) => Promise<T>;

export function createUnitOfWork(db: Db): UnitOfWork {
  return (fn) => db.transaction((tx) => fn(createRepositories(tx)));
}

/** Postgres error codes services care about (kept here so services never see driver errors' shapes). */
export function pgErrorCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown; cause?: { code?: unknown } } | null)?.code ?? (e as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof c === 'string' ? c : undefined;
}
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FK_VIOLATION = '23503';
