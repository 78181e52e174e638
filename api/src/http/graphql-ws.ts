/** graphql-ws subscriptions on the api's HTTP server, sharing the schema, auth and error mapping of HTTP. */
import { randomUUID } from 'node:crypto';
import type { ExecutionArgs, ExecutionResult, GraphQLSchema } from 'graphql';
import { GraphQLError, specifiedRules, validate } from '../graphql/graphql-runtime';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import { extractCredential, type RequestMeta } from '../auth/context';
import type { AppDeps } from '../deps';
import { formatErrorForClient } from '../errors';
import { createContext, type GraphQLContext } from '../graphql/context';
import { graphqlLimits, operationLimitsRule } from '../graphql/limits';
import { gateAnonymous, withoutSuggestions } from '../graphql/anonymous';
import { execute, subscribe } from '../graphql/graphql-runtime';
import { clientIp } from './request';
import { SubscriptionGuard } from './subscription-guard';

export function attachGraphQLWs(deps: AppDeps, schema: GraphQLSchema, wss: WebSocketServer) {
  const env = deps.env;
  const limits = operationLimitsRule(graphqlLimits(env));
  const hide = (m: string) => (env.GRAPHQL_SUGGESTIONS ? m : withoutSuggestions(m));
  // Without a credential only signUp, logIn, registerAgent, acceptInvitation and apiInfo run (as over HTTP).
  /** Null when allowed; otherwise a result carrying the refusal (a throw here would close the socket as an internal error). */
  const anonymousGate = (args: ExecutionArgs): ExecutionResult | null => {
    try {
      gateAnonymous(args.contextValue as GraphQLContext, args.document, args.operationName);
      return null;
    } catch (e) {
      return { errors: [new GraphQLError((e as Error).message, { originalError: e as Error })] };
    }
  };
  const report = (err: unknown, requestId: string) => deps.logger.error({ err, requestId }, 'unexpected error in subscription');
  const requestIds = new WeakMap<object, Map<string, string>>();
  const guard = new SubscriptionGuard(deps, env.SUBSCRIPTION_AUTH_CACHE_MS);
  const ready = guard.start();

  const credentialOf = (ctx: { connectionParams?: Readonly<Record<string, unknown>>; extra: { request: import('node:http').IncomingMessage } }) => {
    const p = ctx.connectionParams ?? {};
    const raw = (p.authorization ?? p.Authorization) as unknown;
    if (typeof raw === 'string' && raw) {
      const cred = extractCredential(raw, null);
      return cred ? { ...cred, source: 'connectionParams' as const } : null;
    }
    return extractCredential(null, ctx.extra.request.headers.cookie);
  };

  const server = useServer(
    {
      schema,
      validate: (s, doc) => validate(s, doc, [...specifiedRules, limits]),
      execute: (args) => anonymousGate(args) ?? execute(args),
      subscribe: (args) => anonymousGate(args) ?? subscribe(args),
      onConnect: (ctx) => {
        const cred = credentialOf(ctx);
        // A cookie rides along automatically, so only the portal's own origin may use it (no cross-site WebSocket hijacking).
        if (cred?.source === 'cookie' && ctx.extra.request.headers.origin !== env.WEB_ORIGIN) return false;
        return true;
      },
      context: async (ctx, id) => {
        const requestId = randomUUID();
        let m = requestIds.get(ctx);
        if (!m) requestIds.set(ctx, (m = new Map()));
        m.set(id, requestId);
        const meta: RequestMeta = {
          requestId,
          ip: clientIp(ctx.extra.request, env.TRUST_PROXY),
          userAgent: (ctx.extra.request.headers['user-agent'] as string | undefined) ?? null,
        };
        const cred = credentialOf(ctx);
        const { auth, error } = await deps.authenticator.authenticate(cred, meta).catch((err: unknown) => {
          deps.logger.error({ err, requestId }, 'authentication failed unexpectedly');
          return { auth: null, error: null };
        });
        if (auth && cred) guard.track(ctx.extra.socket, cred, auth, meta);
        return createContext(deps, {
          auth,
          authError: error,
          meta,
          transport: 'ws',
          cookies: { setSession: () => {}, clearSession: () => {} },
        }) as unknown as Record<string, unknown>;
      },
      // Each delivery of a stream is checked against the credential's current validity.
      onOperation: (ctx, _id, _payload, _args, result) => {
        if (result && typeof result === 'object' && Symbol.asyncIterator in result)
          return guard.guard(ctx.extra.socket, result as AsyncIterable<ExecutionResult>);
        return undefined;
      },
      onNext: (ctx, id, _payload, _args, result: ExecutionResult) => {
        if (!result.errors?.length) return;
        const requestId = requestIds.get(ctx)?.get(id) ?? 'unknown';
        return {
          ...result,
          errors: result.errors.map((e) => {
            const f = formatErrorForClient(e.toJSON(), e, requestId, report);
            return { ...f, message: hide(f.message) };
          }),
        };
      },
      onError: (ctx, id, _payload, errors) => {
        const requestId = requestIds.get(ctx)?.get(id) ?? randomUUID();
        return errors.map((e) => {
          const f = formatErrorForClient(e.toJSON(), e, requestId, report);
          return { ...f, message: hide(f.message) };
        });
      },
      onComplete: (ctx, id) => {
        requestIds.get(ctx)?.delete(id);
      },
    },
    wss,
  );
  return {
    /** Resolves once this process listens for credential revocations. */
    ready,
    guard,
    dispose: async () => {
      guard.stop();
      await server.dispose();
    },
  };
}
