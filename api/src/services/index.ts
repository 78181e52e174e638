/** Every service, built once per process from the core dependencies. Add one line per new service. */
import type { CoreDeps } from '../deps';
import { AccountsService } from './accounts/accounts-service';
import { AgentsService } from './agents/agents-service';
import { ApiKeysService } from './api-keys/api-keys-service';
import { DataSourcesService } from './data-sources/data-sources-service';
import { JobsService } from './jobs/jobs-service';
import { MembersService } from './members/members-service';

export function createServices(deps: CoreDeps) {
  return {
    accounts: new AccountsService(deps),
    members: new MembersService(deps),
    apiKeys: new ApiKeysService(deps),
    dataSources: new DataSourcesService(deps),
    jobs: new JobsService(deps),
    agents: new AgentsService(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
