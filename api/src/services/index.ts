/** The tenant-facing services, built once per process by the composition root (deps.ts). Add one line per new service. */
import type { AgentRouter, Enqueuer, Outbox, Persistence, Publisher } from '../core/ports';
import type { RateLimiter } from '../auth/rate-limit';
import type { SecretBox } from '../crypto/secret-box';
import type { Env } from '../env';
import { AccountsService } from './accounts/accounts-service';
import { AgentsService } from './agents/agents-service';
import { AlertDeliverer } from './alerts/alert-deliveries';
import { AlertEvaluator } from './alerts/alert-evaluator';
import { AlertsService } from './alerts/alerts-service';
import { ApiKeysService } from './api-keys/api-keys-service';
import { DataSourcesService } from './data-sources/data-sources-service';
import { JobsService } from './jobs/jobs-service';
import { JobTablesService } from './jobs/job-tables-service';
import { MembersService } from './members/members-service';

export type ServiceDeps = Persistence & {
  env: Env;
  rateLimiter: RateLimiter;
  secretBox: SecretBox;
  pubsub: Publisher;
  /** Enqueue after commit, best effort (alert webhooks: their rows are the record). */
  queue: Enqueuer;
  /** Enqueue in the transaction (job.schedule, job.command): nothing lost, see jobs/outbox.ts. */
  outbox: Outbox;
};

export interface AlertsSide {
  /** Turns job/agent facts into incidents (the AlertSignals port). */
  evaluator: AlertEvaluator;
  /** Sends and records webhook attempts (the alerts.deliver job). */
  deliverer: AlertDeliverer;
}

/** Alerting comes first: the jobs service and the agents side report facts to it. */
export function createAlertsSide(d: ServiceDeps): AlertsSide {
  return { evaluator: new AlertEvaluator(d), deliverer: new AlertDeliverer(d) };
}

/** The jobs service comes next: the agents side (task service, scheduler) is built on it. */
export function createJobsService(d: ServiceDeps, alerts: AlertsSide): JobsService {
  return new JobsService({ ...d, alerts: alerts.evaluator });
}

export function createServices(d: ServiceDeps, jobs: JobsService, agents: AgentRouter | null, alerts: AlertsSide) {
  return {
    accounts: new AccountsService(d),
    members: new MembersService(d),
    apiKeys: new ApiKeysService(d),
    dataSources: new DataSourcesService(d),
    jobs,
    jobTables: new JobTablesService(d),
    agents: new AgentsService({ ...d, agents }),
    alerts: new AlertsService(d, alerts.evaluator, alerts.deliverer),
  };
}

export type Services = ReturnType<typeof createServices>;
