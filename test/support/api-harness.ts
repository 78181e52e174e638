/**
 * Starts a real api in-process on port 0 against a fresh control database
 * (created and migrated) and the real Redis, with a unique key prefix. Every
 * log line is captured in `logs` (tests assert secrets never appear there).
 *
 *   const api = await startApi();
 *   const a = await api.signUp();            // a fresh tenant + owner session
 *   const r = await api.gql('{ me { role } }', {}, a.token);
 *   await api.stop();                         // drops the database and the Redis keys
 */
import { Writable } from 'node:stream';
import pg from 'pg';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createApp, type App } from '../../api/src/app';
import { parseEnv, type Env } from '../../api/src/env';
import { deleteRedisKeys, dropControlDatabase } from './cleanup';
import { createControlDatabase } from './control-db';
import { controlDbUrl, services, uniqueName } from './services';

export interface GqlError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [k: string]: unknown };
}
export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: GqlError[];
  headers: Headers;
}

export interface SignedUp {
  token: string;
  userId: string;
  tenantId: string;
  email: string;
  password: string;
}

export interface ApiHarnessOptions {
  /** Database name prefix (your helper's, e.g. sluice_h1). */
  dbPrefix?: string;
  /** Redis/BullMQ key prefix stem (a random suffix is added). */
  redisPrefix?: string;
  /** Run the BullMQ worker in-process (default true). */
  worker?: boolean;
  /** Extra env vars (strings, as in process.env). */
  env?: Record<string, string>;
  /** Keep the database after stop() (for debugging). */
  keepDatabase?: boolean;
  /**
   * A second api replica: the same database and Redis prefix as this harness. Its stop()
   * leaves both to the first harness.
   */
  replicaOf?: ApiHarness;
}

export interface ApiHarness {
  app: App;
  env: Env;
  url: string;
  wsUrl: string;
  baseUrl: string;
  databaseUrl: string;
  redisPrefix: string;
  /** Every log line the api wrote, parsed JSON where possible. */
  logs: string[];
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string, headers?: Record<string, string>): Promise<GqlResult<T>>;
  /** Like gql but throws if there are errors; returns data. */
  gqlOk<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  signUp(input?: Partial<{ email: string; password: string; name: string; tenantName: string }>): Promise<SignedUp>;
  logIn(email: string, password: string, tenantId?: string): Promise<{ token: string; tenantId: string }>;
  /** A graphql-ws client authenticated with token (connectionParams.authorization). */
  wsClient(token?: string): Client;
  /** Runs SQL against the control database (assertions only). */
  sql<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  stop(): Promise<void>;
}

let counter = 0;

export async function startApi(opts: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const replica = opts.replicaOf;
  const dbName = replica ? new URL(replica.databaseUrl).pathname.slice(1) : uniqueName(opts.dbPrefix ?? 'sluice_h1');
  const databaseUrl = replica ? replica.databaseUrl : controlDbUrl(dbName);
  if (!replica) await createControlDatabase(databaseUrl);
  const redisPrefix = replica ? replica.redisPrefix : uniqueName(opts.redisPrefix ?? 'h1');
  const env = parseEnv({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '5',
    REDIS_URL: services.redis,
    REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: 'debug',
    // Tests sign up many users from one address.
    SIGNUP_RATE_LIMIT_PER_HOUR: '100000',
    LOGIN_IP_RATE_LIMIT_PER_MINUTE: '100000',
    ...opts.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(line);
      cb();
    },
  });
  const app = await createApp(env, { logDestination: sink, worker: opts.worker ?? true });
  const { url, wsUrl, port } = await app.start(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${port}`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  // stop() drops the database WITH (FORCE); a client still closing then gets FATAL 57P01,
  // which must not surface as an unhandled error in whichever test file runs at the time.
  pool.on('error', () => {});
  const wsClients: Client[] = [];

  const gql = async <T>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
    headers: Record<string, string> = {},
  ): Promise<GqlResult<T>> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    let body: { data?: T | null; errors?: GqlError[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error(`non-JSON response ${res.status}: ${text.slice(0, 500)}`);
    }
    return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
  };

  const harness: ApiHarness = {
    app,
    env,
    url,
    wsUrl,
    baseUrl,
    databaseUrl,
    redisPrefix,
    logs,
    gql,
    async gqlOk<T>(query: string, variables?: Record<string, unknown>, token?: string) {
      const r = await gql<T>(query, variables, token);
      if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
      return r.data as T;
    },
    async signUp(input = {}) {
      const n = `${Date.now().toString(36)}${++counter}${Math.random().toString(36).slice(2, 6)}`;
      const v = {
        email: input.email ?? `user-${n}@example.test`,
        password: input.password ?? `password-${n}`,
        name: input.name ?? `User ${n}`,
        tenantName: input.tenantName ?? `Tenant ${n}`,
      };
      const r = await gql<{ signUp: { token: string; me: { user: { id: string }; tenant: { id: string } } } }>(
        `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token me { user { id } tenant { id } } } }`,
        { input: v },
      );
      if (r.errors?.length || !r.data) throw new Error(`signUp failed: ${JSON.stringify(r.errors)}`);
      return {
        token: r.data.signUp.token,
        userId: r.data.signUp.me.user.id,
        tenantId: r.data.signUp.me.tenant.id,
        email: v.email.toLowerCase(),
        password: v.password,
      };
    },
    async logIn(email, password, tenantId) {
      const r = await gql<{ logIn: { token: string; me: { tenant: { id: string } } } }>(
        `mutation LogIn($input: LogInInput!) { logIn(input: $input) { token me { tenant { id } } } }`,
        { input: { email, password, ...(tenantId ? { tenantId } : {}) } },
      );
      if (r.errors?.length || !r.data) throw new Error(`logIn failed: ${JSON.stringify(r.errors)}`);
      return { token: r.data.logIn.token, tenantId: r.data.logIn.me.tenant.id };
    },
    wsClient(token) {
      const c = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
        lazy: true,
      });
      wsClients.push(c);
      return c;
    },
    sql: (text, params) => pool.query(text, params),
    async stop() {
      for (const c of wsClients) await c.dispose();
      await app.stop();
      await pool.end();
      if (replica) return;
      // Drop this run's Redis keys (BullMQ queue, rate limits).
      await deleteRedisKeys(redisPrefix);
      if (!opts.keepDatabase) await dropControlDatabase(dbName);
    },
  };
  return harness;
}
