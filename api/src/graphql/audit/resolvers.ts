import { z } from 'zod';
import { parseInput } from '../../errors';
import type { GraphQLContext } from '../context';
import type { GraphQLModule } from '../module';
import { auditTypeDefs } from './schema';

type Ctx = GraphQLContext;

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`).optional().nullable();
const filterSchema = z
  .strictObject({
    actorType: z.enum(['user', 'api_key', 'agent', 'system', 'anonymous']).nullable().optional(),
    actorId: text(128),
    action: text(128),
    targetType: text(64),
    targetId: text(128),
    outcome: z.enum(['ok', 'denied', 'error']).nullable().optional(),
    from: z.date().nullable().optional(),
    to: z.date().nullable().optional(),
  })
  .nullable()
  .optional();

export const auditModule: GraphQLModule = {
  name: 'audit',
  typeDefs: auditTypeDefs,
  resolvers: {
    AuditOutcome: { OK: 'ok', DENIED: 'denied', ERROR: 'error' },
    AuditActorType: { USER: 'user', API_KEY: 'api_key', AGENT: 'agent', SYSTEM: 'system', ANONYMOUS: 'anonymous' },
    AuditEntry: {
      actorLabel: (e: { actorType: string; actorId: string | null }, _: unknown, ctx: Ctx) =>
        e.actorId && (e.actorType === 'user' || e.actorType === 'api_key') ? ctx.presenters().loaders.actorLabel.load(`${e.actorType}:${e.actorId}`) : null,
    },
    Query: {
      auditLog: (_: unknown, args: { filter?: unknown; first?: number | null; after?: string | null }, ctx: Ctx) => {
        const f = parseInput(filterSchema, args.filter ? { ...(args.filter as object) } : args.filter, 'filter') ?? {};
        const filter = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== null && v !== undefined));
        return ctx.presenters().auditLog(filter, { first: args.first, after: args.after });
      },
    },
  },
};
