/**
 * The api process: a Node http server hosting Apollo Server at /graphql (via
 * executeHTTPGraphQLRequest; no express), graphql-ws subscriptions on the same
 * path, extra WebSocket routes registered by path (deps.upgradeRoutes, e.g.
 * `/agent`), /healthz, /readyz and /metrics.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import path from 'node:path';
import { createListener, schemeOf } from './gateway/tls';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import type { Worker } from 'bullmq';
import type { DestinationStream } from 'pino';
import { WebSocketServer } from 'ws';
import { SESSION_COOKIE, extractCredential, type RequestMeta } from './auth/context';
import { createDeps, type AppDeps } from './deps';
import type { Env } from './env';
import { AppError, formatErrorForClient } from './errors';
import { buildSchema } from './graphql/build-schema';
import { createContext, type CookieJar, type GraphQLContext } from './graphql/context';
import { graphqlLimits, operationLimitsRule } from './graphql/limits';
import { gateAnonymous, withoutSuggestions } from './graphql/anonymous';
import { applyCors } from './http/cors';
import { attachGraphQLWs } from './http/graphql-ws';
import { metricsAccess } from './http/metrics-access';
import { BodyTooLarge, clientIp, parseJsonBody, readBody, requestIdOf } from './http/request';
import { createWorker } from './jobs/queue';
import { createLogger, type Logger } from './logger';
import { AGENT_INSTALLER_PATH, AGENT_TARBALL_PATH, serveDownload } from './http/agent-downloads';
import { AgentBundler, REPO_ROOT } from './http/agent-bundle';

export interface CreateAppOptions {
  /** Where log lines go (tests capture them); default stdout. */
  logDestination?: DestinationStream;
  logger?: Logger;
  /** Run the BullMQ worker in this process (default: env.RUN_WORKER). */
  worker?: boolean;
}

export interface App {
  httpServer: Server;
  deps: AppDeps;
  logger: Logger;
  /** Listens (port 0 = any free port) and resolves with the bound port. */
  start(port?: number, host?: string): Promise<{ port: number; url: string; wsUrl: string }>;
  stop(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';

export async function createApp(env: Env, opts: CreateAppOptions = {}): Promise<App> {
  const logger = opts.logger ?? createLogger(env, opts.logDestination);
  const deps = createDeps(env, { logger, http: true });
  const runWorker = opts.worker ?? env.RUN_WORKER;

  const schema = buildSchema();
  const als = new AsyncLocalStorage<{ requestId: string }>();
  const report = (err: unknown, requestId: string) => logger.error({ err, requestId }, 'unexpected error');

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: env.GRAPHQL_INTROSPECTION,
    includeStacktraceInErrorResponses: false,
    validationRules: [operationLimitsRule(graphqlLimits(env))],
    formatError: (formatted, error) => {
      const formattedOut = formatErrorForClient(formatted, error, als.getStore()?.requestId ?? 'unknown', report);
      const out = env.GRAPHQL_SUGGESTIONS ? formattedOut : { ...formattedOut, message: withoutSuggestions(formattedOut.message) };
      deps.metrics.graphqlErrors.inc({ code: String(out.extensions?.code ?? 'UNKNOWN') });
      return out;
    },
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
    plugins: [
      {
        async requestDidStart() {
          return {
            // Without a credential only signUp, logIn, registerAgent, acceptInvitation and apiInfo run.
            async didResolveOperation(rc) {
              gateAnonymous(rc.contextValue, rc.document, rc.operationName);
            },
            async willSendResponse(rc) {
              const kind = rc.operation?.operation ?? 'unknown';
              const errors = rc.response.body.kind === 'single' ? rc.response.body.singleResult.errors : undefined;
              deps.metrics.graphqlOperations.inc({ type: kind, outcome: errors?.length ? 'error' : 'ok' });
              // Operation name, who, and error codes only: never variables (they carry passwords and secrets).
              logger.debug(
                {
                  requestId: rc.contextValue.meta.requestId,
                  operation: kind,
                  operationName: rc.operationName ?? null,
                  tenantId: rc.contextValue.auth?.tenantId ?? null,
                  actor: rc.contextValue.auth?.actor ?? null,
                  errors: errors?.map((e) => e.extensions?.code) ?? [],
                },
                'graphql',
              );
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  const cookieAttrs = (maxAge: number) => [`Path=/`, `HttpOnly`, `SameSite=Lax`, `Max-Age=${maxAge}`, ...(env.COOKIE_SECURE ? ['Secure'] : [])].join('; ');

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, requestId: string, url: URL): Promise<void> {
    let body: unknown;
    if (req.method === 'POST') {
      try {
        body = parseJsonBody(await readBody(req, env.MAX_BODY_BYTES));
      } catch (e) {
        const status = e instanceof BodyTooLarge ? 413 : 400;
        const message = e instanceof BodyTooLarge || e instanceof AppError ? e.message : 'could not read the request body';
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] }));
        return;
      }
    }
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    const meta: RequestMeta = { requestId, ip: clientIp(req, env.TRUST_PROXY), userAgent: req.headers['user-agent'] ?? null };
    const setCookies: string[] = [];
    const cookies: CookieJar = {
      setSession: (token, maxAge) => setCookies.push(`${SESSION_COOKIE}=${encodeURIComponent(token)}; ${cookieAttrs(maxAge)}`),
      clearSession: () => setCookies.push(`${SESSION_COOKIE}=; ${cookieAttrs(0)}`),
    };
    const { auth, error } = await deps.authenticator.authenticate(extractCredential(req.headers.authorization, req.headers.cookie), meta);
    const context = createContext(deps, { auth, authError: error, meta, cookies, transport: 'http' });
    const result = await als.run({ requestId }, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: async () => context,
      }),
    );
    for (const [k, v] of result.headers) res.setHeader(k, v);
    if (setCookies.length) res.setHeader('set-cookie', setCookies);
    res.setHeader('x-request-id', requestId);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  }

  async function readiness(): Promise<{ ok: boolean; checks: Record<string, string> }> {
    const timeout = <T>(p: Promise<T>) => Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error('timed out after 2s')), 2000))]);
    const checks: Record<string, string> = {};
    await Promise.all([
      timeout(deps.repos.identity.ping()).then(
        () => (checks.postgres = 'ok'),
        (e: Error) => (checks.postgres = `unreachable: ${e.message}`),
      ),
      timeout(deps.redis.ping()).then(
        () => (checks.redis = 'ok'),
        (e: Error) => (checks.redis = `unreachable: ${e.message}`),
      ),
    ]);
    return { ok: Object.values(checks).every((v) => v === 'ok'), checks };
  }

  const agentBundler = new AgentBundler(env.AGENT_BUNDLE_DIR ?? path.join(REPO_ROOT, '.sluice/agent-bundle'), logger);
  const httpServer = createListener(env, (req, res) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route =
      url.pathname === GRAPHQL_PATH || ['/healthz', '/readyz', '/metrics', AGENT_TARBALL_PATH, AGENT_INSTALLER_PATH].includes(url.pathname)
        ? url.pathname
        : 'other';
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics.httpRequests.inc({ route, status: String(res.statusCode) });
      deps.metrics.httpDuration.observe({ route }, seconds);
      if (route !== '/healthz' && route !== '/metrics') {
        logger.info({ requestId, method: req.method, path: route, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
      }
    });
    const json = (status: number, v: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    (async () => {
      if (applyCors(req, res, env.WEB_ORIGIN)) return;
      switch (url.pathname) {
        case '/healthz':
          return json(200, { status: 'ok' });
        case '/readyz': {
          const r = await readiness();
          return json(r.ok ? 200 : 503, { status: r.ok ? 'ready' : 'not ready', checks: r.checks });
        }
        case '/metrics': {
          const denied = metricsAccess(env, req.headers.authorization);
          if (denied) return json(denied.status, { error: denied.error });
          res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
          return res.end(await deps.metrics.registry.metrics());
        }
        case GRAPHQL_PATH:
          return handleGraphQL(req, res, requestId, url);
        case AGENT_TARBALL_PATH:
        case AGENT_INSTALLER_PATH:
          return serveDownload(req, res, url.pathname, { bundler: agentBundler, publicApiUrl: env.PUBLIC_API_URL ?? `http://localhost:${env.PORT}` });
        default:
          return json(404, { error: `no route ${url.pathname}: GraphQL is at ${GRAPHQL_PATH}` });
      }
    })().catch((err: unknown) => {
      logger.error({ err, requestId }, 'unhandled error in http handler');
      if (!res.headersSent) json(500, { errors: [{ message: `internal error, request id ${requestId}`, extensions: { code: 'INTERNAL', requestId } }] });
      else res.end();
    });
  });

  // WebSockets: /graphql (graphql-ws) plus any route registered in deps.upgradeRoutes.
  const gqlWss = new WebSocketServer({ noServer: true, maxPayload: env.MAX_BODY_BYTES });
  const gqlWsServer = attachGraphQLWs(deps, schema, gqlWss);
  gqlWss.on('connection', (ws) => {
    deps.metrics.wsConnections.inc({ path: GRAPHQL_PATH });
    ws.on('close', () => deps.metrics.wsConnections.dec({ path: GRAPHQL_PATH }));
  });
  deps.upgradeRoutes.set(GRAPHQL_PATH, (req, socket, head) => {
    gqlWss.handleUpgrade(req, socket, head, (ws) => gqlWss.emit('connection', ws, req));
  });
  // Upgraded sockets (agents, subscriptions) still count as server connections: stop() ends them.
  const upgraded = new Set<{ destroy(): void }>();
  httpServer.on('upgrade', (req, socket, head) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handler = deps.upgradeRoutes.get(path);
    if (!handler) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    try {
      handler(req, socket, head);
    } catch (err) {
      logger.error({ err, path }, 'upgrade handler failed');
      socket.destroy();
    }
  });

  let worker: Worker | null = null;
  let workerRedis: ReturnType<AppDeps['newRedis']> | null = null;
  let stopped = false;

  return {
    httpServer,
    deps,
    logger,
    async start(port = env.PORT, host = env.HOST) {
      await gqlWsServer.ready;
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
      if (runWorker && !worker) {
        workerRedis = deps.newRedis({ forBullWorker: true });
        worker = createWorker({ handlers: deps.handlers, logger, metrics: deps.metrics, redisPrefix: env.REDIS_PREFIX }, workerRedis);
      }
      const bound = (httpServer.address() as AddressInfo).port;
      const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      logger.info({ port: bound, worker: runWorker }, 'api listening');
      return { port: bound, url: `${schemeOf(env).http}://${h}:${bound}${GRAPHQL_PATH}`, wsUrl: `${schemeOf(env).ws}://${h}:${bound}${GRAPHQL_PATH}` };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (worker) await worker.close().catch(() => {});
      workerRedis?.disconnect();
      await Promise.resolve(gqlWsServer.dispose()).catch(() => {});
      for (const c of gqlWss.clients) c.terminate();
      gqlWss.close();
      httpServer.closeAllConnections();
      for (const sock of upgraded) sock.destroy();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await apollo.stop().catch(() => {});
      await deps.close();
    },
  };
}
