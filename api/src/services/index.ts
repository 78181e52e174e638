/** The tenant-facing services, built once per process by the composition root (deps.ts). Add one line per new service. */
import type { AgentRouter, Enqueuer, Persistence, Publisher } from '../core/ports';
import type { RateLimiter } from '../auth/rate-limit';
import type { SecretBox } from '../crypto/secret-box';
import type { Env } from '../env';
import { AccountsService } from './accounts/accounts-service';
import { AgentsService } from './agents/agents-service';
import { ApiKeysService } from './api-keys/api-keys-service';
import { DataSourcesService } from './data-sources/data-sources-service';
import { JobsService } from './jobs/jobs-service';
import { MembersService } from './members/members-service';

export type ServiceDeps = Persistence & {
  env: Env;
  rateLimiter: RateLimiter;
  secretBox: SecretBox;
  pubsub: Publisher;
  queue: Enqueuer;
};

/** The jobs service comes first: the agents side (task service, scheduler) is built on it. */
export function createJobsService(d: ServiceDeps): JobsService {
  return new JobsService(d);
}

export function createServices(d: ServiceDeps, jobs: JobsService, agents: AgentRouter | null) {
  return {
    accounts: new AccountsService(d),
    members: new MembersService(d),
    apiKeys: new ApiKeysService(d),
    dataSources: new DataSourcesService(d),
    jobs,
    agents: new AgentsService({ ...d, agents }),
  };
}

export type Services = ReturnType<typeof createServices>;
