import { z } from 'zod';
import { parseInput } from '../../errors';
import { alertDeliveryView, alertRuleView, type AlertRuleView } from '../../presenters/alerts';
import { alertTopics } from '../../services/alerts/alert-evaluator';
import { createAlertRuleInput, updateAlertRuleInput, type RuleWithSecret } from '../../services/alerts/alerts-service';
import { unverifiedId } from '../args';
import { requireAuth, type GraphQLContext } from '../context';
import type { GraphQLModule } from '../module';
import { alertsTypeDefs } from './schema';

type Ctx = GraphQLContext;

export const alertKindEnum = {
  JOB_FAILED: 'job_failed',
  LAG: 'lag',
  RETENTION: 'retention',
  VERIFICATION_MISMATCH: 'verification_mismatch',
  AGENT_OFFLINE: 'agent_offline',
} as const;

const firstSchema = z.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200');
// Only admins and owners reach the mutations: they see the whole URL.
const payload = (r: RuleWithSecret) => ({ rule: alertRuleView(r.rule, true), secret: r.secret });
const optionalId = (v: unknown, field: string) => (v === undefined || v === null ? null : unverifiedId(v, field));

export const alertsModule: GraphQLModule = {
  name: 'alerts',
  typeDefs: alertsTypeDefs,
  resolvers: {
    AlertKind: alertKindEnum,
    AlertScope: { TENANT: 'tenant', JOB: 'job' },
    AlertDeliveryState: { PENDING: 'pending', SUCCEEDED: 'succeeded', FAILED: 'failed' },
    AlertRule: {
      job: (r: AlertRuleView, _: unknown, ctx: Ctx) => (r.jobId ? ctx.presenters().loaders.job.load(r.jobId) : null),
    },
    Query: {
      alertRules: (_: unknown, __: unknown, ctx: Ctx) => ctx.presenters().alertRules(),
      alertRule: (_: unknown, args: { id: unknown }, ctx: Ctx) => ctx.presenters().alertRule(unverifiedId(args.id, 'id')),
      alertDeliveries: (_: unknown, args: { ruleId?: unknown; first?: unknown }, ctx: Ctx) =>
        ctx.presenters().alertDeliveries(optionalId(args.ruleId, 'ruleId'), parseInput(firstSchema, args.first ?? 50, 'first')),
      activeAlerts: (_: unknown, args: { jobId?: unknown }, ctx: Ctx) => ctx.presenters().activeAlerts(optionalId(args.jobId, 'jobId')),
    },
    Mutation: {
      createAlertRule: async (_: unknown, args: { input: unknown }, ctx: Ctx) =>
        payload(await ctx.deps.services.alerts.createAlertRule(requireAuth(ctx), parseInput(createAlertRuleInput, args.input, 'input'))),
      updateAlertRule: async (_: unknown, args: { id: unknown; input: unknown }, ctx: Ctx) => {
        const auth = requireAuth(ctx);
        const id = unverifiedId(args.id, 'id');
        return payload(await ctx.deps.services.alerts.updateAlertRule(auth, id, parseInput(updateAlertRuleInput, args.input, 'input')));
      },
      deleteAlertRule: async (_: unknown, args: { id: unknown }, ctx: Ctx) => {
        await ctx.deps.services.alerts.deleteAlertRule(requireAuth(ctx), unverifiedId(args.id, 'id'));
        return true;
      },
      testAlertRule: async (_: unknown, args: { id: unknown }, ctx: Ctx) =>
        alertDeliveryView(await ctx.deps.services.alerts.testAlertRule(requireAuth(ctx), unverifiedId(args.id, 'id'))),
    },
    Subscription: {
      alertsUpdated: {
        subscribe: async function* (_: unknown, __: unknown, ctx: Ctx) {
          const auth = requireAuth(ctx);
          const it = ctx.deps.pubsub.subscribe<{ tenantId: string }>(alertTopics.updated(auth.tenantId), { maxBuffer: 100 });
          try {
            yield { alertsUpdated: { alerts: await ctx.presenters().activeAlerts(null) } };
            for await (const _ev of it) yield { alertsUpdated: { alerts: await ctx.presenters().activeAlerts(null) } };
          } finally {
            await it.return?.();
          }
        },
      },
    },
  },
};
