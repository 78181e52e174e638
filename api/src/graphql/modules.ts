/**
 * Every GraphQL domain module, in one list. To add a domain: create
 * `graphql/<domain>/{schema.ts,resolvers.ts}` (resolvers.ts exporting a
 * GraphQLModule) and add one line here.
 */
import { accountsModule } from './accounts/resolvers';
import { agentsModule } from './agents/resolvers';
import { alertsModule } from './alerts/resolvers';
import { apiKeysModule } from './api-keys/resolvers';
import { auditModule } from './audit/resolvers';
import { baseResolvers } from './base/resolvers';
import { baseTypeDefs } from './base/schema';
import { chunksModule } from './chunks/resolvers';
import { dataSourcesModule } from './data-sources/resolvers';
import { jobsModule } from './jobs/resolvers';
import { jobTablesModule } from './job-tables/resolvers';
import { kafkaModule } from './kafka/resolvers';
import { membersModule } from './members/resolvers';
import { objectsModule } from './objects/resolvers';
import { receiptsModule } from './receipts/resolvers';
import { schemaChangesModule } from './schema-changes/resolvers';
import type { GraphQLModule } from './module';

export const modules: GraphQLModule[] = [
  { name: 'base', typeDefs: baseTypeDefs, resolvers: baseResolvers },
  accountsModule,
  membersModule,
  apiKeysModule,
  dataSourcesModule,
  jobsModule,
  jobTablesModule,
  auditModule,
  agentsModule,
  alertsModule,
  kafkaModule,
  objectsModule,
  schemaChangesModule,
  receiptsModule,
  chunksModule,
];
