import { presentKafkaCatalog, presentKafkaPlan, presentKafkaProgress, previewTopicNames, type TopicSource } from '../../presenters/kafka';
import type { JobView } from '../../presenters/views';
import { AppError } from '../../errors';
import { requireAuth, type GraphQLContext } from '../context';
import type { GraphQLModule } from '../module';
import { kafkaTypeDefs } from './schema';

const MAX_SOURCES = 5000;

/** Typed views of what Kafka connectors report (presenters/kafka.ts), and the topic-name preview of the wizard. */
export const kafkaModule: GraphQLModule = {
  name: 'kafka',
  typeDefs: kafkaTypeDefs,
  resolvers: {
    DataSourceDiscovery: {
      kafka: (d: { catalog: unknown }) => presentKafkaCatalog(d.catalog),
    },
    JobRun: {
      kafkaPlan: (r: { plan: unknown }) => presentKafkaPlan(r.plan).value,
      kafkaPlanProblem: (r: { plan: unknown }) => presentKafkaPlan(r.plan).problem,
    },
    Job: {
      kafkaProgress: (j: JobView) => presentKafkaProgress(j.progress).value,
      kafkaProgressProblem: (j: JobView) => presentKafkaProgress(j.progress).problem,
    },
    Query: {
      kafkaTopicNames: (_: unknown, args: { kafka: unknown; sources: TopicSource[] }, ctx: GraphQLContext) => {
        requireAuth(ctx);
        if (args.sources.length > MAX_SOURCES) throw AppError.badInput(`sources: at most ${MAX_SOURCES} (got ${args.sources.length})`, 'sources');
        return previewTopicNames(args.kafka, args.sources);
      },
    },
  },
};
