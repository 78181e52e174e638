import { SLUICE_VERSION } from '@sluice/agent/protocol';
import { AppError } from '../../errors';
import { DateTimeScalar, JSONScalar } from '../scalars';

export const roleEnum = { OWNER: 'owner', ADMIN: 'admin', OPERATOR: 'operator', VIEWER: 'viewer' } as const;

export const baseResolvers = {
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  Role: roleEnum,
  Query: {
    apiInfo: () => ({ name: 'sluice', version: SLUICE_VERSION, serverTime: new Date() }),
  },
  Mutation: {
    noop: () => true,
  },
  Subscription: {
    ticks: {
      subscribe: async function* (_: unknown, args: { count: number }) {
        if (args.count < 1 || args.count > 10) throw AppError.badInput('count: must be between 1 and 10', 'count');
        for (let i = 1; i <= args.count; i++) {
          await new Promise((r) => setTimeout(r, 1000));
          yield { ticks: i };
        }
      },
    },
  },
};
