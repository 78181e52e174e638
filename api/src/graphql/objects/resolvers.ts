import { presentSchemaObjects } from '../../presenters/objects';
import type { GraphQLModule } from '../module';
import { objectsTypeDefs } from './schema';

/** The plan's schema objects on a run (presenters/objects.ts). */
export const objectsModule: GraphQLModule = {
  name: 'objects',
  typeDefs: objectsTypeDefs,
  resolvers: {
    JobRun: {
      schemaObjects: (r: { plan: unknown }) => presentSchemaObjects(r.plan).value,
      schemaObjectsProblem: (r: { plan: unknown }) => presentSchemaObjects(r.plan).problem,
    },
  },
};
