/**
 * The api's one env schema, parsed once at boot. Nothing else reads process.env.
 * Every variable is documented in README.md ("Environment") with its default.
 */
import { z } from 'zod';
import { DEFAULT_KEY_FILE, loadOrCreateKeyFile } from './crypto/dev-key';

/** "true"/"false"/"1"/"0" (z.coerce.boolean would turn "false" into true). */
const bool = (d: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? d : v === 'true' || v === '1' || v === 'yes'));

const optionalBool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1' || v === 'yes'));

/** 32 bytes as 64 hex chars or as base64 (44 chars with padding). */
const secretKey = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const buf = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(v) ? Buffer.from(v, 'base64') : null;
    if (!buf || buf.length !== 32) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be 32 bytes, as 64 hex characters or base64 (generate one with: openssl rand -base64 32)',
      });
      return z.NEVER;
    }
    return buf;
  });

const DEV_SECRET_KEY = 'ZGV2LW9ubHktc2x1aWNlLXNlY3JldC1rZXktMzJieXQ=';

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/sluice'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
    /** Prefix for every Redis key: BullMQ queues, pub/sub channels, rate limits. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ and - only (max 32)')
      .default('sluice'),
    /**
     * 32 bytes, base64 or hex: encrypts secrets with AES-256-GCM. Required in production; elsewhere,
     * when unset, a key generated once per installation is kept in SLUICE_SECRET_KEY_FILE (mode 0600).
     */
    SLUICE_SECRET_KEY: secretKey.optional(),
    /** Where the generated development key lives (default <repo>/.sluice/secret-key). */
    SLUICE_SECRET_KEY_FILE: z.string().min(1).optional(),
    /** Earlier keys, comma-separated: they only decrypt, until `npm run secrets:rotate` re-encrypted everything. */
    SLUICE_OLD_SECRET_KEYS: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const out: Buffer[] = [];
        for (const part of (v ?? '')
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)) {
          const r = secretKey.safeParse(part);
          if (!r.success) {
            ctx.addIssue({ code: 'custom', message: 'each key must be 32 bytes, as 64 hex characters or base64, separated by commas' });
            return z.NEVER;
          }
          out.push(r.data);
        }
        return out;
      }),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** The portal's origin: allowed by CORS (with credentials) and for cookie-authenticated WebSockets. */
    WEB_ORIGIN: z.string().url().default('http://localhost:3000'),
    /** Run the BullMQ worker inside the api process (false: run `npm run worker` separately). */
    RUN_WORKER: bool(true),
    SESSION_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 365)
      .default(24 * 14),
    /** Secure cookies (HTTPS only). Default: on in production. */
    COOKIE_SECURE: optionalBool,
    /** Login attempts allowed per email and IP per minute. */
    LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
    /** Login attempts per client address per minute, whatever the email (stops password spraying). */
    LOGIN_IP_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(30),
    /** Bearer token /metrics requires. Unset: /metrics is public outside production and disabled in production. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (openssl rand -hex 24)').optional(),
    /** First cooling-off period of an agent disconnected for violations; doubles with each further disconnect. */
    AGENT_COOLOFF_BASE_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
    AGENT_COOLOFF_MAX_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(7 * 86_400_000)
      .default(3_600_000),
    /** Sign-ups allowed per IP per hour. */
    SIGNUP_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(30),
    /** Trust X-Forwarded-For for the client IP (only behind a proxy you control). */
    TRUST_PROXY: bool(false),
    /** GraphQL introspection. Default: on except in production. */
    GRAPHQL_INTROSPECTION: optionalBool,
    GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(10),
    GRAPHQL_MAX_COMPLEXITY: z.coerce.number().int().min(10).max(1_000_000).default(5000),
    /** Aliased fields per operation (fragments expanded). */
    GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(10_000).default(30),
    /** Field selections per operation (fragments expanded). */
    GRAPHQL_MAX_FIELDS: z.coerce.number().int().min(10).max(100_000).default(1000),
    /** "Did you mean …" suggestions in error messages. Default: on except in production. */
    GRAPHQL_SUGGESTIONS: optionalBool,
    /** How long a subscription's credential check is cached between deliveries (ms). */
    SUBSCRIPTION_AUTH_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    /** Largest accepted HTTP request body. */
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(1_000_000),
    /** Seed: the demo login. */
    SEED_DEMO_EMAIL: z.string().email().default('demo@sluice.local'),
    SEED_DEMO_PASSWORD: z.string().min(8).default('sluice-demo-password'),
    /** Agents (README "Agents"): heartbeat interval and lease TTL the server sets in \`ready\`. */
    AGENT_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    AGENT_LEASE_TTL_MS: z.coerce.number().int().min(400).max(3_600_000).default(30_000),
    /** Largest agent frame; a bigger one closes the socket (1009). */
    AGENT_MAX_FRAME_BYTES: z.coerce
      .number()
      .int()
      .min(4096)
      .max(64 * 1024 * 1024)
      .default(4 * 1024 * 1024),
    /** Largest accepted difference between an agent's clock and ours at connect. */
    AGENT_MAX_CLOCK_SKEW_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
    /** Ownership violations on one socket before the agent is disconnected. */
    AGENT_MAX_VIOLATIONS: z.coerce.number().int().min(1).max(1000).default(5),
    /** How often jobs left in the transactional outbox (Redis was unreachable after a commit) are retried. */
    OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(2_000),
    /** Retryable task failures before a task fails for good. */
    AGENT_TASK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
    /** Serve HTTPS/WSS with this PEM certificate and key (both or neither). */
    TLS_CERT_FILE: z.string().min(1).optional(),
    /** The URL agents use to reach this api (shown in the register command); default http://localhost:PORT. */
    PUBLIC_API_URL: z.string().url().optional(),
    /** Where the agent bundle served at /downloads/sluice-agent.tgz is built and cached (default <repo>/.sluice/agent-bundle). */
    AGENT_BUNDLE_DIR: z.string().min(1).optional(),
    TLS_KEY_FILE: z.string().min(1).optional(),
    /** Alert webhooks: first retry after ~this (doubling, equal jitter), capped at ALERT_RETRY_CAP_MS. */
    ALERT_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
    ALERT_RETRY_CAP_MS: z.coerce
      .number()
      .int()
      .min(100)
      .max(86_400_000)
      .default(15 * 60_000),
    /** Attempts per webhook message before it is marked failed. */
    ALERT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    ALERT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** How often each process looks for pending webhook messages whose queue job was lost, and how overdue they must be. */
    ALERT_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    ALERT_SWEEP_GRACE_MS: z.coerce.number().int().min(100).max(86_400_000).default(120_000),
    /** Allow webhook URLs that resolve to loopback/private/link-local addresses (default: everywhere but production). */
    ALERT_WEBHOOK_ALLOW_PRIVATE: optionalBool,
  })
  .transform((e) => ({
    ...e,
    COOKIE_SECURE: e.COOKIE_SECURE ?? e.NODE_ENV === 'production',
    GRAPHQL_INTROSPECTION: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    GRAPHQL_SUGGESTIONS: e.GRAPHQL_SUGGESTIONS ?? e.NODE_ENV !== 'production',
    ALERT_WEBHOOK_ALLOW_PRIVATE: e.ALERT_WEBHOOK_ALLOW_PRIVATE ?? e.NODE_ENV !== 'production',
  }))
  .superRefine((e, ctx) => {
    if (e.NODE_ENV === 'production' && (!e.SLUICE_SECRET_KEY || e.SLUICE_SECRET_KEY.equals(Buffer.from(DEV_SECRET_KEY, 'base64')))) {
      ctx.addIssue({ code: 'custom', path: ['SLUICE_SECRET_KEY'], message: 'set your own key in production (openssl rand -base64 32)' });
    }
  });

type ParsedEnv = z.infer<typeof envSchema>;
export type Env = Omit<ParsedEnv, 'SLUICE_SECRET_KEY'> & {
  SLUICE_SECRET_KEY: Buffer;
  /** Where the key came from: the environment, or the generated per-installation file (warned about at boot). */
  SLUICE_SECRET_KEY_SOURCE: 'env' | 'file';
};
export type EnvInput = Record<string, string | undefined>;

export function parseEnv(source: EnvInput = process.env): Env {
  const r = envSchema.safeParse(source);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid environment:\n${lines}\nSee README.md "Environment" for every variable and its default.`);
  }
  const e = r.data;
  if (e.SLUICE_SECRET_KEY) return { ...e, SLUICE_SECRET_KEY: e.SLUICE_SECRET_KEY, SLUICE_SECRET_KEY_SOURCE: 'env' };
  // Not production (checked above): the per-installation key. The old fixed development key still
  // decrypts what it encrypted, until `npm run secrets:rotate` moves those secrets to the new key.
  const key = loadOrCreateKeyFile(e.SLUICE_SECRET_KEY_FILE ?? DEFAULT_KEY_FILE);
  return {
    ...e,
    SLUICE_SECRET_KEY: key,
    SLUICE_SECRET_KEY_SOURCE: 'file',
    SLUICE_OLD_SECRET_KEYS: [...e.SLUICE_OLD_SECRET_KEYS, Buffer.from(DEV_SECRET_KEY, 'base64')],
  };
}
